#include "sources/common/json_records.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/event.hpp"

namespace keyward::sources {
namespace {

class NullSink : public core::EventSink {
 public:
  void on_event(core::Event&) override {}
};

struct Collected {
  std::vector<std::string> names;
  std::vector<RecordPosition> positions;
  std::vector<RecordError> errors;
  core::Status status;
};

Collected collect(const std::string& text, std::vector<std::string_view> envelope_keys = {"value"}) {
  Collected collected;
  std::string padded = text;
  padded.append(simdjson::SIMDJSON_PADDING, '\0');
  store::Batch batch;
  NullSink sink;
  ParseContext ctx{batch, sink, collected.errors, 0, std::nullopt, 0, {}};
  Input input{"test.json", std::string_view(padded.data(), text.size())};
  JsonRecordOptions options;
  options.envelope_keys = std::move(envelope_keys);
  options.record_name = "item";
  collected.status = for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    collected.names.emplace_back(string_or_empty(record, "name"));
    collected.positions.push_back(position);
  });
  return collected;
}

TEST(JsonRecords, ReadsTopLevelArray) {
  auto collected = collect(R"([{"name":"a"},{"name":"b"}])");
  ASSERT_TRUE(collected.status);
  EXPECT_EQ(collected.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(collected.errors.empty());
}

TEST(JsonRecords, ReadsGraphEnvelopePages) {
  auto collected = collect(
      "{\"@odata.context\":\"x\",\"value\":[{\"name\":\"a\"}],\"@odata.nextLink\":\"y\"}\n"
      "{\"@odata.context\":\"x\",\"value\":[{\"name\":\"b\"},{\"name\":\"c\"}]}\n");
  EXPECT_EQ(collected.names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(collected.errors.empty());
}

TEST(JsonRecords, ObjectWithoutEnvelopeIsOneRecord) {
  auto collected = collect(R"({"name":"solo","value":"not an array"})");
  EXPECT_EQ(collected.names, (std::vector<std::string>{"solo"}));
}

TEST(JsonRecords, ReadsJsonLinesWithPositions) {
  auto collected = collect("{\"name\":\"a\"}\n{\"name\":\"b\"}\n");
  ASSERT_EQ(collected.names.size(), 2u);
  EXPECT_EQ(collected.positions[1].line, 2);
  EXPECT_EQ(collected.positions[1].offset, 13);
}

TEST(JsonRecords, CutLineDoesNotSwallowNextLine) {
  auto collected = collect("{\"name\":\"a\"}\n{\"name\":\"b\n{\"name\":\"c\"}\n");
  EXPECT_EQ(collected.names, (std::vector<std::string>{"a", "c"}));
  ASSERT_EQ(collected.errors.size(), 1u);
  EXPECT_EQ(collected.errors[0].line, 2);
}

TEST(JsonRecords, ReportsNonObjectElementAndContinues) {
  auto collected = collect(R"([{"name":"a"}, 42, {"name":"b"}])");
  EXPECT_EQ(collected.names, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(collected.errors.size(), 1u);
  EXPECT_NE(collected.errors[0].message.find("not a JSON object"), std::string::npos);
}

TEST(JsonRecords, ReportsInvalidRecordAndContinues) {
  auto collected = collect(R"([{"name":"a"}, {"name": tru}, {"name":"b"}])");
  EXPECT_EQ(collected.names, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(collected.errors.size(), 1u);
  EXPECT_NE(collected.errors[0].message.find("not valid JSON"), std::string::npos);
}

TEST(JsonRecords, TruncatedArrayKeepsEarlierRecords) {
  auto collected = collect(R"([{"name":"a"}, {"name":"b")");
  EXPECT_EQ(collected.names, (std::vector<std::string>{"a"}));
  ASSERT_EQ(collected.errors.size(), 1u);
  EXPECT_NE(collected.errors[0].message.find("cut short"), std::string::npos);
}

TEST(JsonRecords, SingleLineWithoutNewline) {
  auto collected = collect(R"({"name":"a"})");
  EXPECT_EQ(collected.names, (std::vector<std::string>{"a"}));
  EXPECT_TRUE(collected.errors.empty());
}

TEST(JsonRecords, StrayTextLineIsOneError) {
  auto collected = collect("[{\"name\":\"a\"}]\nsome stray words here\n[{\"name\":\"b\"}]\n");
  EXPECT_EQ(collected.names, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(collected.errors.size(), 1u);
  EXPECT_EQ(collected.errors[0].line, 2);
}

TEST(JsonRecords, EmptyInputIsAnError) {
  auto collected = collect("  \n");
  EXPECT_FALSE(collected.status);
}

TEST(JsonRecords, SkipsByteOrderMark) {
  auto collected = collect("\xEF\xBB\xBF[{\"name\":\"a\"}]");
  EXPECT_EQ(collected.names, (std::vector<std::string>{"a"}));
}

TEST(JsonRecords, DeepNestingIsRejected) {
  std::string deep = "[{\"name\":\"x\",\"n\":" + std::string(200, '[') + std::string(200, ']') + "},{\"name\":\"ok\"}]";
  auto collected = collect(deep);
  EXPECT_EQ(collected.names, (std::vector<std::string>{"ok"}));
  ASSERT_EQ(collected.errors.size(), 1u);
}

TEST(JsonKeys, FindsQuotedKeyFollowedByColon) {
  EXPECT_TRUE(has_json_key(R"({"appId" : "x"})", "appId"));
  EXPECT_FALSE(has_json_key(R"({"x": "appId"})", "appId"));
  EXPECT_FALSE(has_json_key(R"({"myappId": 1})", "appId"));
}

}  // namespace
}  // namespace keyward::sources
