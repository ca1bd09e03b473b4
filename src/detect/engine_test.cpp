#include "detect/engine.hpp"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "detect/engine_activity.hpp"
#include "detect/engine_baselines.hpp"

namespace keyward::detect {
namespace {

// A store that only serves baselines from memory and counts the reads; the engine reads nothing
// else from it.
class BaselineOnlyStore final : public store::Store {
 public:
  core::Status commit(const store::Batch&) override { return {}; }
  core::Result<std::optional<store::LedgerEntry>> find_ledger(const std::string&) override {
    return std::optional<store::LedgerEntry>();
  }
  core::Result<std::vector<core::Identity>> list_identities(const store::IdentityFilter&) override {
    return std::vector<core::Identity>();
  }
  core::Result<std::vector<core::Identity>> find_identities(const std::string&) override {
    return std::vector<core::Identity>();
  }
  core::Result<std::optional<core::Identity>> get_identity(const std::string&, const std::string&) override {
    return std::optional<core::Identity>();
  }
  core::Result<std::vector<core::Credential>> list_credentials(const std::string&) override {
    return std::vector<core::Credential>();
  }
  core::Result<std::vector<core::Credential>> list_all_credentials() override { return std::vector<core::Credential>(); }
  core::Result<std::vector<core::Grant>> list_grants(const std::string&) override { return std::vector<core::Grant>(); }
  core::Result<std::vector<core::Grant>> list_all_grants() override { return std::vector<core::Grant>(); }
  core::Result<std::vector<core::ActivitySummary>> list_activity(const std::string&) override {
    return std::vector<core::ActivitySummary>();
  }
  core::Result<std::optional<store::BaselineEntry>> get_baseline(const std::string& entity, const std::string& dimension,
                                                                 const std::string& value) override {
    ++baseline_reads;
    if (fail_reads) return core::make_error(core::ErrorCode::store_error, "disk on fire");
    auto found = baselines.find({entity, dimension, value});
    if (found == baselines.end()) return std::optional<store::BaselineEntry>();
    return std::optional<store::BaselineEntry>(found->second);
  }
  core::Result<long long> count_baseline_values(const std::string&, const std::string&) override { return 0LL; }
  core::Status sync_findings(const std::vector<core::Finding>&, core::UnixTime) override { return {}; }
  core::Result<std::vector<core::Finding>> list_findings(bool) override { return std::vector<core::Finding>(); }
  core::Result<std::vector<core::Alert>> list_alerts() override { return std::vector<core::Alert>(); }
  core::Result<std::optional<std::string>> get_setting(const std::string&) override {
    return std::optional<std::string>();
  }
  core::Status put_setting(const std::string&, const std::string&) override { return {}; }

  std::map<std::tuple<std::string, std::string, std::string>, store::BaselineEntry> baselines;
  int baseline_reads = 0;
  bool fail_reads = false;
};

class FixedAsnEnricher final : public enrich::Enricher {
 public:
  void enrich(core::Event& event) override {
    event.enrichment.asn = 16509;
    event.enrichment.user_agent_family = "aws-cli";
    ++calls;
  }
  bool has_geo() const override { return false; }
  bool has_asn() const override { return true; }
  int calls = 0;
};

core::Event stop_logging_event(std::string_view event_id) {
  core::Event event;
  event.time = 1717423200;  // 2024-06-03T14:00:00Z
  event.event_id = event_id;
  event.event_source = "cloudtrail.amazonaws.com";
  event.event_name = "StopLogging";
  event.identity_type = "IAMUser";
  event.identity_id = "arn:aws:iam::111122223333:user/ci/deployer";
  event.user_name = "deployer";
  event.access_key_id = "AKIAEXAMPLEDEPLOY001";
  event.source_ip = "203.0.113.45";
  event.user_agent = "aws-cli/2.15.0 Python/3.11.6";
  event.request_parameters = R"({"name":"org-audit"})";
  event.file = "trail.json";
  event.offset = 12;
  return event;
}

TEST(DetectionEngine, RaisedAlertGetsIdentityNameAndPlatform) {
  BaselineOnlyStore store;
  DetectionEngine engine(store, nullptr, DetectOptions{});
  core::Event event = stop_logging_event("e-1");
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);

  ASSERT_EQ(batch.alerts.size(), 1u);
  const core::Alert& alert = batch.alerts[0];
  EXPECT_EQ(alert.detector, "aws.cloudtrail.logging_tampered");
  EXPECT_EQ(alert.identity.platform, "aws");
  EXPECT_EQ(alert.identity.name, "deployer");
  EXPECT_EQ(alert.credential_id, "AKIAEXAMPLEDEPLOY001");
  ASSERT_EQ(alert.evidence.size(), 1u);
  EXPECT_EQ(alert.evidence[0].source.file, "trail.json");
  EXPECT_EQ(alert.evidence[0].source.offset, 12);
  EXPECT_EQ(alert.evidence[0].source.record_id, "e-1");
  EXPECT_NE(alert.remediation.find("aws cloudtrail start-logging --name org-audit"), std::string::npos);
  EXPECT_NE(alert.remediation.find("aws iam update-access-key --user-name deployer --access-key-id AKIAEXAMPLEDEPLOY001 "
                                   "--status Inactive"),
            std::string::npos);
}

TEST(DetectionEngine, RepeatedEventRaisesOnce) {
  BaselineOnlyStore store;
  DetectionEngine engine(store, nullptr, DetectOptions{});
  core::Event first = stop_logging_event("e-1");
  core::Event again = stop_logging_event("e-1");
  engine.on_event(first);
  engine.on_event(again);
  store::Batch batch;
  engine.flush_into(batch);
  EXPECT_EQ(batch.alerts.size(), 1u);

  // Across flushes of the same run too.
  core::Event third = stop_logging_event("e-1");
  engine.on_event(third);
  store::Batch next;
  engine.flush_into(next);
  EXPECT_TRUE(next.alerts.empty());
}

TEST(DetectionEngine, DiscardAllowsRaisingAgain) {
  BaselineOnlyStore store;
  DetectionEngine engine(store, nullptr, DetectOptions{});
  core::Event event = stop_logging_event("e-1");
  engine.on_event(event);
  engine.discard();
  store::Batch empty;
  engine.flush_into(empty);
  EXPECT_TRUE(empty.alerts.empty());
  EXPECT_TRUE(empty.activity.empty());

  core::Event retry = stop_logging_event("e-1");
  engine.on_event(retry);
  store::Batch batch;
  engine.flush_into(batch);
  EXPECT_EQ(batch.alerts.size(), 1u);
}

TEST(DetectionEngine, SummarizesActivityPerCredentialAndDay) {
  BaselineOnlyStore store;
  DetectionEngine engine(store, nullptr, DetectOptions{});
  for (int i = 0; i < 3; ++i) {
    core::Event event = stop_logging_event("e-1");
    event.event_name = "DescribeTrails";
    event.time += i * 60;
    engine.on_event(event);
  }
  core::Event temporary = stop_logging_event("e-2");
  temporary.event_name = "DescribeTrails";
  temporary.access_key_id = "ASIAEXAMPLESESSION01";
  engine.on_event(temporary);

  store::Batch batch;
  engine.flush_into(batch);
  ASSERT_EQ(batch.activity.size(), 2u);
  for (const auto& row : batch.activity) {
    EXPECT_EQ(row.platform, "aws");
    EXPECT_EQ(row.identity_id, "arn:aws:iam::111122223333:user/ci/deployer");
    EXPECT_EQ(row.action, "cloudtrail.amazonaws.com:DescribeTrails");
    EXPECT_EQ(row.network, "203.0.113.45");
    EXPECT_EQ(row.user_agent_family, "aws-cli");
    EXPECT_EQ(row.day, 1717372800);
    if (row.credential_id == "AKIAEXAMPLEDEPLOY001") {
      EXPECT_EQ(row.count, 3);
      EXPECT_EQ(row.first_seen, 1717423200);
      EXPECT_EQ(row.last_seen, 1717423200 + 120);
    } else {
      EXPECT_EQ(row.credential_id, "") << "temporary keys are not credentials";
      EXPECT_EQ(row.count, 1);
    }
  }
}

TEST(DetectionEngine, EnrichesBeforeSummarizing) {
  BaselineOnlyStore store;
  FixedAsnEnricher enricher;
  DetectionEngine engine(store, &enricher, DetectOptions{});
  core::Event event = stop_logging_event("e-1");
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);
  EXPECT_EQ(enricher.calls, 1);
  ASSERT_EQ(batch.activity.size(), 1u);
  EXPECT_EQ(batch.activity[0].network, "AS16509");
}

TEST(BaselineCache, ObserveReturnsStateBeforeTheCall) {
  BaselineOnlyStore store;
  store.baselines[{"AKIA1", "country", "DE"}] = store::BaselineEntry{"AKIA1", "country", "DE", 100, 200, 4};
  BaselineCache cache(store);

  auto known = cache.observe("AKIA1", "country", "DE", 300);
  ASSERT_TRUE(known.has_value());
  EXPECT_EQ(known->count, 4);
  EXPECT_EQ(known->last_seen, 200);

  EXPECT_FALSE(cache.observe("AKIA1", "country", "FR", 300).has_value());
  auto seen_in_run = cache.observe("AKIA1", "country", "FR", 250);
  ASSERT_TRUE(seen_in_run.has_value()) << "a value observed earlier in the run is no longer new";
  EXPECT_EQ(seen_in_run->count, 1);

  auto looked_up = cache.lookup("AKIA1", "country", "DE");
  ASSERT_TRUE(looked_up.has_value());
  EXPECT_EQ(looked_up->count, 5);
  EXPECT_EQ(store.baseline_reads, 2) << "each value is read from the store once";
}

TEST(BaselineCache, FlushEmitsOnlyDeltas) {
  BaselineOnlyStore store;
  store.baselines[{"AKIA1", "country", "DE"}] = store::BaselineEntry{"AKIA1", "country", "DE", 100, 200, 4};
  BaselineCache cache(store);
  (void)cache.observe("AKIA1", "country", "DE", 300);
  (void)cache.observe("AKIA1", "country", "FR", 260);
  (void)cache.observe("AKIA1", "country", "FR", 250);
  (void)cache.lookup("AKIA1", "country", "US");

  std::vector<store::BaselineEntry> out;
  cache.flush_into(out);
  ASSERT_EQ(out.size(), 2u);
  for (const auto& entry : out) {
    if (entry.value == "DE") {
      EXPECT_EQ(entry.count, 1) << "the store adds counts, so only new observations are sent";
      EXPECT_EQ(entry.first_seen, 300);
    } else {
      EXPECT_EQ(entry.value, "FR");
      EXPECT_EQ(entry.count, 2);
      EXPECT_EQ(entry.first_seen, 250);
      EXPECT_EQ(entry.last_seen, 260);
    }
  }
  std::vector<store::BaselineEntry> second;
  cache.flush_into(second);
  EXPECT_TRUE(second.empty());
}

TEST(BaselineCache, DiscardForgetsObservations) {
  BaselineOnlyStore store;
  BaselineCache cache(store);
  (void)cache.observe("AKIA1", "asn", "AS1", 10);
  cache.discard();
  EXPECT_FALSE(cache.observe("AKIA1", "asn", "AS1", 20).has_value());
  std::vector<store::BaselineEntry> out;
  cache.flush_into(out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].first_seen, 20);
}

TEST(BaselineCache, StoreReadErrorsAreCounted) {
  BaselineOnlyStore store;
  store.fail_reads = true;
  BaselineCache cache(store);
  EXPECT_FALSE(cache.lookup("AKIA1", "asn", "AS1").has_value());
  EXPECT_EQ(cache.read_errors(), 1);
}

TEST(ActivitySummarizer, CoarsensRowsPastTheLimit) {
  ActivitySummarizer summarizer;
  core::Event event;
  event.identity_id = "arn:aws:iam::111122223333:user/scanner";
  event.event_source = "ec2.amazonaws.com";
  event.event_name = "DescribeInstances";
  event.user_agent = "aws-cli/2.15.0";
  std::string address;
  for (size_t i = 0; i < ActivitySummarizer::kMaxRows + 10; ++i) {
    address = "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250);
    event.source_ip = address;
    summarizer.add(event);
  }
  std::vector<core::ActivitySummary> rows;
  summarizer.flush_into(rows);
  EXPECT_EQ(rows.size(), ActivitySummarizer::kMaxRows + 1);
  long long other = 0;
  for (const auto& row : rows) {
    if (row.network == "other") other += row.count;
  }
  EXPECT_EQ(other, 10);
}

TEST(ActivitySummarizer, UserAgentFamilyFallsBackToProductToken) {
  core::Event event;
  event.user_agent = "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1";
  EXPECT_EQ(user_agent_family_of(event), "Boto3");
  event.user_agent = "AWS Internal";
  EXPECT_EQ(user_agent_family_of(event), "AWS");
  event.enrichment.user_agent_family = "aws-sdk-python";
  EXPECT_EQ(user_agent_family_of(event), "aws-sdk-python");
}

}  // namespace
}  // namespace keyward::detect
