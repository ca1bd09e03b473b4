// ChronologicalSink: newest-first inputs reach the next sink oldest first with their strings
// intact, other inputs pass through in file order, and the memory limits release held events.

#include "ingest/event_order.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace keyward::ingest {
namespace {

struct Seen {
  core::UnixTime time;
  std::string event_id;
  std::string user_agent;
  std::string raw_record;
};

class RecordingSink final : public core::EventSink {
 public:
  void on_event(core::Event& event) override {
    seen.push_back({event.time, std::string(event.event_id), std::string(event.user_agent), std::string(event.raw_record)});
  }
  std::vector<Seen> seen;
};

// Sends events with the given times through `sink`. Every event's strings live in one buffer that
// is overwritten after each call, as a source's parse buffer is.
void feed(core::EventSink& sink, const std::vector<core::UnixTime>& times) {
  std::string buffer;
  for (size_t i = 0; i < times.size(); ++i) {
    buffer = "id-" + std::to_string(i) + "|agent-" + std::to_string(i) + "|{\"n\":" + std::to_string(i) + "}";
    const size_t first_bar = buffer.find('|');
    const size_t second_bar = buffer.find('|', first_bar + 1);
    core::Event event;
    event.time = times[i];
    event.event_id = std::string_view(buffer).substr(0, first_bar);
    event.user_agent = std::string_view(buffer).substr(first_bar + 1, second_bar - first_bar - 1);
    event.raw_record = std::string_view(buffer).substr(second_bar + 1);
    sink.on_event(event);
    buffer.assign(buffer.size(), 'X');
  }
}

std::vector<core::UnixTime> times_of(const std::vector<Seen>& seen) {
  std::vector<core::UnixTime> times;
  for (const auto& event : seen) times.push_back(event.time);
  return times;
}

TEST(ChronologicalSink, NewestFirstInputIsReversed) {
  RecordingSink next;
  ChronologicalSink ordered(next, "audit.json");
  feed(ordered, {500, 400, 300, 200, 100});
  EXPECT_TRUE(next.seen.empty()) << "a newest-first input is held until finish()";
  ordered.finish();

  EXPECT_TRUE(ordered.reversed());
  EXPECT_EQ(times_of(next.seen), (std::vector<core::UnixTime>{100, 200, 300, 400, 500}));
  ASSERT_EQ(next.seen.size(), 5u);
  EXPECT_EQ(next.seen[0].event_id, "id-4");
  EXPECT_EQ(next.seen[0].user_agent, "agent-4");
  EXPECT_EQ(next.seen[0].raw_record, "{\"n\":4}");
  EXPECT_EQ(next.seen[4].event_id, "id-0");
}

TEST(ChronologicalSink, EqualTimesKeepOccurrenceOrder) {
  RecordingSink next;
  ChronologicalSink ordered(next, "audit.json");
  // Newest first: ids 1 and 2 share a second, and id 2 is listed first because it happened last.
  feed(ordered, {300, 200, 200, 100});
  ordered.finish();

  ASSERT_EQ(next.seen.size(), 4u);
  EXPECT_EQ(next.seen[0].event_id, "id-3");
  EXPECT_EQ(next.seen[1].event_id, "id-2");
  EXPECT_EQ(next.seen[2].event_id, "id-1");
  EXPECT_EQ(next.seen[3].event_id, "id-0");
}

TEST(ChronologicalSink, OldestFirstInputPassesThrough) {
  RecordingSink next;
  EventOrderLimits limits;
  limits.probe_events = 3;
  ChronologicalSink ordered(next, "cloudtrail.json", limits);
  feed(ordered, {100, 200, 150, 300, 250});
  EXPECT_EQ(next.seen.size(), 5u) << "after the probe, events pass straight through";
  ordered.finish();

  EXPECT_FALSE(ordered.reversed());
  EXPECT_EQ(times_of(next.seen), (std::vector<core::UnixTime>{100, 200, 150, 300, 250}));
  EXPECT_EQ(next.seen[2].event_id, "id-2");
  EXPECT_EQ(next.seen[2].user_agent, "agent-2");
}

TEST(ChronologicalSink, UnorderedProbeKeepsFileOrder) {
  RecordingSink next;
  ChronologicalSink ordered(next, "log.json");
  feed(ordered, {100, 50, 200, 150, 300});  // two steps back, two forward
  ordered.finish();

  EXPECT_FALSE(ordered.reversed());
  EXPECT_EQ(times_of(next.seen), (std::vector<core::UnixTime>{100, 50, 200, 150, 300}));
}

TEST(ChronologicalSink, SingleEventAndEmptyInput) {
  RecordingSink next;
  ChronologicalSink one(next, "one.json");
  feed(one, {100});
  one.finish();
  EXPECT_EQ(times_of(next.seen), (std::vector<core::UnixTime>{100}));

  RecordingSink none;
  ChronologicalSink empty(none, "empty.json");
  empty.finish();
  EXPECT_TRUE(none.seen.empty());
}

TEST(ChronologicalSink, LimitReleasesSortedChunksAndWarnsOnce) {
  RecordingSink next;
  EventOrderLimits limits;
  limits.probe_events = 2;
  limits.max_buffered_events = 3;
  std::vector<std::string> warnings;
  ChronologicalSink ordered(next, "big.json", limits, [&](const std::string& line) { warnings.push_back(line); });
  feed(ordered, {700, 600, 500, 400, 300, 200, 100});
  ordered.finish();

  EXPECT_EQ(times_of(next.seen), (std::vector<core::UnixTime>{500, 600, 700, 200, 300, 400, 100}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("big.json"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("newest first"), std::string::npos) << warnings[0];
}

TEST(OwnedEvent, CopiesEveryViewAndSurvivesMoves) {
  std::string buffer = "arn:aws:iam::111122223333:user/ci|AKIAEXAMPLE|{\"a\":1}";
  core::Event event;
  event.principal_arn = std::string_view(buffer).substr(0, 33);
  event.access_key_id = std::string_view(buffer).substr(34, 11);
  event.request_parameters = std::string_view(buffer).substr(46);
  event.identity_id = "arn:aws:iam::111122223333:user/ci";

  std::vector<core::OwnedEvent> held;
  held.emplace_back(event);
  buffer.assign(buffer.size(), 'X');
  for (int i = 0; i < 100; ++i) held.emplace_back(core::Event{});  // forces reallocation and moves

  EXPECT_EQ(held[0].event().principal_arn, "arn:aws:iam::111122223333:user/ci");
  EXPECT_EQ(held[0].event().access_key_id, "AKIAEXAMPLE");
  EXPECT_EQ(held[0].event().request_parameters, "{\"a\":1}");
  EXPECT_EQ(held[0].event().identity_id, "arn:aws:iam::111122223333:user/ci");
  EXPECT_EQ(held[0].event().platform, "aws");
}

}  // namespace
}  // namespace keyward::ingest
