#pragma once

// Test helpers for sources: parse one fixture with a named source and compare the normalized
// result with a golden JSON file. Included by *_test.cpp files only.
//
// To regenerate golden files after an intended change, run the tests with KEYWARD_UPDATE_GOLDEN=1
// and review the diff before committing it.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "core/event.hpp"
#include "core/model_json.hpp"
#include "ingest/input_reader.hpp"
#include "sources/source.hpp"
#include "store/store.hpp"

namespace keyward::sources::testing {

// Fixtures live beside the sources: src/sources/<platform>/testdata/...
inline std::filesystem::path source_testdata(const std::string& platform) {
  return std::filesystem::path(KEYWARD_SOURCE_DIR) / "src" / "sources" / platform / "testdata";
}

// Real public samples, when ../shared is present beside the repository.
inline std::filesystem::path shared_data() { return std::filesystem::path(KEYWARD_SHARED_DATA); }

// Records the events a source emits, copying the fields that tests compare.
class RecordingSink : public core::EventSink {
 public:
  void on_event(core::Event& event) override {
    nlohmann::json out = {
        {"platform", std::string(event.platform)},
        {"time", core::format_time(event.time)},
        {"event_id", std::string(event.event_id)},
        {"event_source", std::string(event.event_source)},
        {"event_name", std::string(event.event_name)},
        {"identity_id", event.identity_id},
        {"credential_id", std::string(event.credential_id)},
        {"source_ip", std::string(event.source_ip)},
        {"user_agent", std::string(event.user_agent)},
        {"error_code", std::string(event.error_code)},
        {"offset", event.offset},
    };
    events.push_back(std::move(out));
  }
  std::vector<nlohmann::json> events;
};

struct ParsedInput {
  store::Batch batch;
  std::vector<RecordError> errors;
  RecordingSink sink;
  core::Status status;
  long long records = 0;
};

// Parses `path` with the source named `source_name`, as `keyward ingest --source` would, with
// ages measured against `as_of`.
inline ParsedInput parse_with_source(const std::string& source_name, const std::filesystem::path& path,
                                     core::UnixTime as_of = 1795996800) {
  ParsedInput parsed;
  const Source* source = find_source(source_name);
  if (source == nullptr) {
    ADD_FAILURE() << "no source named " << source_name;
    return parsed;
  }
  auto loaded = ingest::load_input(path.string());
  if (!loaded) {
    ADD_FAILURE() << loaded.error().describe();
    return parsed;
  }
  ParseContext context{parsed.batch, parsed.sink, parsed.errors, as_of, std::nullopt, 0, {}};
  Input input{path.string(), loaded->data()};
  parsed.status = source->parse(input, context);
  parsed.records = context.records;
  return parsed;
}

// Detects the source of a file from its first 64 KiB and path, as ingest does, and parses it
// with that source. `source` is empty, and nothing is parsed, when no source recognizes it.
struct DetectedInput {
  std::string source;
  ParsedInput parsed;
};

inline DetectedInput detect_and_parse(const std::filesystem::path& path) {
  DetectedInput detected;
  std::ifstream in(path, std::ios::binary);
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  const Source* source = detect_source(head, path.string());
  if (source == nullptr) return detected;
  detected.source = std::string(source->name());
  detected.parsed = parse_with_source(detected.source, path);
  return detected;
}

// Parses inline text with the source named `source_name`; `path` is the file name errors name.
inline ParsedInput parse_text_with_source(const std::string& source_name, const std::string& text,
                                          const std::string& path = "inline.json", core::UnixTime as_of = 1795996800) {
  ParsedInput parsed;
  const Source* source = find_source(source_name);
  if (source == nullptr) {
    ADD_FAILURE() << "no source named " << source_name;
    return parsed;
  }
  // Sources may read simdjson::SIMDJSON_PADDING bytes past the end, as ingest::load_input allows.
  const std::string buffer = text + std::string(simdjson::SIMDJSON_PADDING, '\0');
  ParseContext context{parsed.batch, parsed.sink, parsed.errors, as_of, std::nullopt, 0, {}};
  parsed.status = source->parse(Input{path, std::string_view(buffer.data(), text.size())}, context);
  parsed.records = context.records;
  return parsed;
}

inline const core::Identity* find_identity(const std::vector<core::Identity>& identities, const std::string& id) {
  for (const auto& identity : identities) {
    if (identity.id == id) return &identity;
  }
  return nullptr;
}

// Searches the identities of the batch, not its observed identities.
inline const core::Identity* find_identity(const store::Batch& batch, const std::string& id) {
  return find_identity(batch.identities, id);
}

inline const core::Credential* find_credential(const store::Batch& batch, const std::string& id) {
  for (const auto& credential : batch.credentials) {
    if (credential.id == id) return &credential;
  }
  return nullptr;
}

// The normalized output of a parse as one JSON document, for golden-file comparison.
inline nlohmann::json normalized_json(const ParsedInput& parsed) {
  nlohmann::json out;
  out["identities"] = nlohmann::json::array();
  for (const auto& identity : parsed.batch.identities) out["identities"].push_back(core::to_json(identity, {}));
  out["observed_identities"] = nlohmann::json::array();
  for (const auto& identity : parsed.batch.observed_identities) {
    out["observed_identities"].push_back(core::to_json(identity, {}));
  }
  out["credentials"] = nlohmann::json::array();
  for (const auto& credential : parsed.batch.credentials) {
    nlohmann::json item = core::to_json(credential);
    item["identity_id"] = credential.identity_id;
    out["credentials"].push_back(std::move(item));
  }
  out["grants"] = nlohmann::json::array();
  for (const auto& grant : parsed.batch.grants) {
    nlohmann::json item = core::to_json(grant);
    item["identity_id"] = grant.identity_id;
    out["grants"].push_back(std::move(item));
  }
  out["events"] = parsed.sink.events;
  out["errors"] = nlohmann::json::array();
  for (const auto& error : parsed.errors) {
    out["errors"].push_back({{"offset", error.offset}, {"line", error.line}, {"message", error.message}});
  }
  out["records"] = parsed.records;
  return out;
}

// Compares `actual` with the golden file, or rewrites the file when KEYWARD_UPDATE_GOLDEN=1.
inline void expect_golden(const nlohmann::json& actual, const std::filesystem::path& golden) {
  const char* update = std::getenv("KEYWARD_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary) << actual.dump(2) << "\n";
    return;
  }
  std::ifstream in(golden, std::ios::binary);
  ASSERT_TRUE(in) << "golden file " << golden << " is missing; run with KEYWARD_UPDATE_GOLDEN=1 to create it";
  std::stringstream buffer;
  buffer << in.rdbuf();
  const nlohmann::json expected = nlohmann::json::parse(buffer.str(), nullptr, false);
  ASSERT_FALSE(expected.is_discarded()) << golden << " is not valid JSON";
  EXPECT_EQ(expected, actual) << "normalized output differs from " << golden
                              << "; if the change is intended, rerun with KEYWARD_UPDATE_GOLDEN=1 and review the diff";
}

}  // namespace keyward::sources::testing
