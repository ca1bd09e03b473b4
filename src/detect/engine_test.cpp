#include "detect/engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "detect/detection_config.hpp"
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

// A call by the deployer's access key from AS64500 (unclassified) in DE, enriched by hand, for
// the noise-control tests. The store records 30 days of activity of the key from AS7922 in US.
core::Event novel_network_event(core::UnixTime time) {
  core::Event event = stop_logging_event("e-novel");
  event.time = time;
  event.event_source = "s3.amazonaws.com";
  event.event_name = "ListBuckets";
  event.read_only = true;
  event.source_ip = "198.51.100.7";
  event.enrichment.ip_valid = true;
  event.enrichment.ip_public = true;
  event.enrichment.asn = 64500;
  event.enrichment.country = "DE";
  event.enrichment.user_agent_family = "aws-cli";
  return event;
}

constexpr core::UnixTime kNovelTime = 1717423200;  // 2024-06-03T14:00:00Z
const std::string kDeployKey = "AKIAEXAMPLEDEPLOY001";

void seed_history(BaselineOnlyStore& store, const std::string& entity) {
  const core::UnixTime start = kNovelTime - 30 * core::kSecondsPerDay;
  store.baselines[{entity, "activity", "any"}] = {entity, "activity", "any", start, kNovelTime - 3600, 500};
  store.baselines[{entity, "asn", "AS7922"}] = {entity, "asn", "AS7922", start, kNovelTime - 3600, 500};
  store.baselines[{entity, "country", "US"}] = {entity, "country", "US", start, kNovelTime - 3600, 500};
  store.baselines[{entity, "user_agent_family", "aws-cli"}] = {entity, "user_agent_family", "aws-cli", start,
                                                               kNovelTime - 3600, 500};
}

std::vector<core::Alert> alerts_of(const store::Batch& batch, std::string_view detector) {
  std::vector<core::Alert> found;
  for (const auto& alert : batch.alerts) {
    if (alert.detector == detector) found.push_back(alert);
  }
  return found;
}

TEST(DetectionEngine, NewNetworkAlertsWithoutDeclaredNetworks) {
  BaselineOnlyStore store;
  seed_history(store, kDeployKey);
  DetectionEngine engine(store, nullptr, DetectOptions{});
  core::Event event = novel_network_event(kNovelTime);
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);
  EXPECT_EQ(alerts_of(batch, "network.new_asn").size(), 1u);
  EXPECT_EQ(alerts_of(batch, "network.new_country").size(), 1u);
  EXPECT_EQ(engine.suppressed_alerts(), 0);
}

TEST(DetectionEngine, DeclaredNetworkSilencesNetworkNovelty) {
  BaselineOnlyStore store;
  seed_history(store, kDeployKey);
  DetectOptions options;
  options.own_networks.push_back(*parse_network("198.51.100.0/24", "office"));
  DetectionEngine engine(store, nullptr, options);
  core::Event event = novel_network_event(kNovelTime);
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);
  EXPECT_EQ(event.enrichment.network_class, "own");
  EXPECT_TRUE(alerts_of(batch, "network.new_asn").empty());
  EXPECT_TRUE(alerts_of(batch, "network.new_country").empty());
  EXPECT_EQ(engine.suppressed_alerts(), 2);
}

TEST(DetectionEngine, CiNetworkIsMarked) {
  BaselineOnlyStore store;
  DetectOptions options;
  options.own_networks.push_back(*parse_network("10.0.0.0/8", "office"));
  options.ci_networks.push_back(*parse_network("198.51.100.0/25", "runners"));
  DetectionEngine engine(store, nullptr, options);
  core::Event inside = novel_network_event(kNovelTime);
  engine.on_event(inside);
  EXPECT_EQ(inside.enrichment.network_class, "ci");
  core::Event outside = novel_network_event(kNovelTime);
  outside.source_ip = "198.51.100.200";
  engine.on_event(outside);
  EXPECT_EQ(outside.enrichment.network_class, "") << "outside both declared ranges";
}

// CreateAccessKey by an administrator for the deployer, at `time`.
core::Event rotation_event(core::UnixTime time) {
  core::Event event = stop_logging_event("e-rotate");
  event.time = time;
  event.event_source = "iam.amazonaws.com";
  event.event_name = "CreateAccessKey";
  event.identity_id = "arn:aws:iam::111122223333:user/admin";
  event.user_name = "admin";
  event.access_key_id = "AKIAEXAMPLEADMIN0001";
  event.account_id = "111122223333";
  event.request_parameters = R"({"userName":"deployer"})";
  return event;
}

TEST(DetectionEngine, ChangeWindowSilencesNoveltyAfterRotation) {
  BaselineOnlyStore store;
  seed_history(store, kDeployKey);
  DetectionEngine engine(store, nullptr, DetectOptions{});
  core::Event rotation = rotation_event(kNovelTime - 2 * 3600);
  engine.on_event(rotation);
  core::Event event = novel_network_event(kNovelTime);
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);
  EXPECT_TRUE(alerts_of(batch, "network.new_asn").empty());
  EXPECT_TRUE(alerts_of(batch, "network.new_country").empty());
  EXPECT_GE(engine.suppressed_alerts(), 2);
  EXPECT_FALSE(alerts_of(batch, "aws.iam.credential_created_for_other_principal").empty())
      << "the rotation itself is still reported by its own detector";
}

TEST(DetectionEngine, ChangeWindowEnds) {
  BaselineOnlyStore store;
  seed_history(store, kDeployKey);
  DetectOptions options;
  options.change_window_hours = 1;
  DetectionEngine engine(store, nullptr, options);
  core::Event rotation = rotation_event(kNovelTime - 2 * 3600);
  engine.on_event(rotation);
  core::Event event = novel_network_event(kNovelTime);
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);
  EXPECT_EQ(alerts_of(batch, "network.new_asn").size(), 1u);
}

TEST(DetectionEngine, ChangeWindowIsPerIdentity) {
  BaselineOnlyStore store;
  seed_history(store, kDeployKey);
  DetectionEngine engine(store, nullptr, DetectOptions{});
  core::Event rotation = rotation_event(kNovelTime - 2 * 3600);
  rotation.request_parameters = R"({"userName":"someone-else"})";
  engine.on_event(rotation);
  core::Event event = novel_network_event(kNovelTime);
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);
  EXPECT_EQ(alerts_of(batch, "network.new_asn").size(), 1u);
}

void seed_population(BaselineOnlyStore& store, long long entities, long long asn_users) {
  store.baselines[{"@org", "entities", "any"}] = {"@org", "entities", "any", 0, kNovelTime, entities};
  if (asn_users > 0) store.baselines[{"@org", "asn", "AS64500"}] = {"@org", "asn", "AS64500", 0, kNovelTime, asn_users};
}

TEST(DetectionEngine, ValueRareForOrganizationRaisesSeverity) {
  BaselineOnlyStore store;
  seed_history(store, kDeployKey);
  seed_population(store, 20, 0);
  DetectionEngine engine(store, nullptr, DetectOptions{});
  core::Event event = novel_network_event(kNovelTime);
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);
  auto alerts = alerts_of(batch, "network.new_asn");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::high) << "medium for an unclassified network, one step up";
  ASSERT_EQ(alerts[0].evidence.size(), 1u);
  const std::string& text = alerts[0].evidence[0].description;
  EXPECT_NE(text.find("a network it was never used from"), std::string::npos) << text;
  EXPECT_NE(text.find("rare for the organization"), std::string::npos) << text;
  const auto counted = batch.baselines.end() != std::find_if(batch.baselines.begin(), batch.baselines.end(), [](const auto& entry) {
    return entry.entity == "@org" && entry.dimension == "asn" && entry.value == "AS64500";
  });
  EXPECT_TRUE(counted) << "the key's first use of the ASN is counted for the organization";
}

TEST(DetectionEngine, ValueCommonInOrganizationKeepsSeverity) {
  BaselineOnlyStore store;
  seed_history(store, kDeployKey);
  seed_population(store, 20, 3);
  DetectionEngine engine(store, nullptr, DetectOptions{});
  core::Event event = novel_network_event(kNovelTime);
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);
  auto alerts = alerts_of(batch, "network.new_asn");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::medium);
  ASSERT_EQ(alerts[0].evidence.size(), 1u);
  EXPECT_NE(alerts[0].evidence[0].description.find("used before by 3 other"), std::string::npos)
      << alerts[0].evidence[0].description;
}

TEST(DetectionEngine, SmallPopulationKeepsSeverity) {
  BaselineOnlyStore store;
  seed_history(store, kDeployKey);
  seed_population(store, 2, 0);
  DetectionEngine engine(store, nullptr, DetectOptions{});
  core::Event event = novel_network_event(kNovelTime);
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);
  auto alerts = alerts_of(batch, "network.new_asn");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::medium);
}

TEST(DetectionEngine, DisabledDetectorRaisesNothing) {
  BaselineOnlyStore store;
  DetectOptions options;
  options.disabled_detectors.insert("aws.cloudtrail.logging_tampered");
  DetectionEngine engine(store, nullptr, options);
  core::Event event = stop_logging_event("e-1");
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);
  EXPECT_TRUE(alerts_of(batch, "aws.cloudtrail.logging_tampered").empty());
}

TEST(DetectionEngine, WeakAlertsAccumulateIntoOne) {
  BaselineOnlyStore store;
  seed_history(store, kDeployKey);
  DetectionEngine engine(store, nullptr, DetectOptions{});
  core::Event event = novel_network_event(kNovelTime);
  event.user_agent = "curl/8.5.0";
  event.enrichment.user_agent_family = "curl";
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);
  auto risk = alerts_of(batch, "credential.risk_accumulation");
  ASSERT_EQ(risk.size(), 1u);
  EXPECT_EQ(risk[0].severity, core::Severity::high);
  const std::string& text = risk[0].evidence.at(0).description;
  EXPECT_NE(text.find("network.new_asn"), std::string::npos) << text;
  EXPECT_NE(text.find("network.new_country"), std::string::npos) << text;
  EXPECT_NE(text.find("client.new_user_agent_family"), std::string::npos) << text;
}

TEST(DetectionEngine, TwoWeakAlertsDoNotAccumulate) {
  BaselineOnlyStore store;
  seed_history(store, kDeployKey);
  DetectionEngine engine(store, nullptr, DetectOptions{});
  core::Event event = novel_network_event(kNovelTime);
  engine.on_event(event);
  store::Batch batch;
  engine.flush_into(batch);
  EXPECT_TRUE(alerts_of(batch, "credential.risk_accumulation").empty());
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
