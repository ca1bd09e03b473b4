// Checks the alerts of the stateful detectors (novelty, dormancy, offensive user agents) in
// detail: fields, severity and evidence text, and that baselines carry over between ingests
// through the store. The pipeline is the real one: CloudTrail source, detection engine, SQLite
// store, and an enricher reading the MMDB and CSV fixtures of src/enrich/testdata. Every
// detector's positive and negative examples run in examples_test.cpp.

#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "enrich/testdata/enrich_fixture.hpp"
#include "ingest/ingest.hpp"
#include "store/store.hpp"

namespace keyward::detect {
namespace {

namespace fs = std::filesystem;

const fs::path kExamples = fs::path(KEYWARD_SOURCE_DIR) / "src/detect/detectors/testdata";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "keyward-stateful-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The eventID of the record at `index` in an example file.
std::string event_id_at(const fs::path& example, size_t index) {
  std::ifstream in(example);
  nlohmann::json records = nlohmann::json::parse(in, nullptr, false);
  if (!records.is_array() || index >= records.size()) return {};
  return records[index].value("eventID", "");
}

class StatefulDetectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto& fixture = enrich::testing::EnrichFixture::get();
    if (!fixture.skip_reason().empty()) GTEST_SKIP() << fixture.skip_reason();
    ASSERT_TRUE(fixture.error().empty()) << fixture.error();
    ASSERT_FALSE(temp_.path().empty()) << "cannot create a temporary directory";
    auto store = store::open_sqlite_store((temp_.path() / "store.db").string());
    ASSERT_TRUE(store.ok()) << store.error().describe();
    store_ = std::move(*store);
    options_.enrich = fixture.options();
  }

  // Ingests the files in order, each as its own input, into this test's store.
  void ingest(const std::vector<fs::path>& files) {
    std::vector<std::string> paths;
    for (const auto& file : files) paths.push_back(file.string());
    ingest::IngestReport report = ingest::ingest_paths(*store_, paths, options_);
    ASSERT_TRUE(report.all_inputs_ok());
    ASSERT_TRUE(report.geo_enabled) << "the enrichment fixture should provide geo data";
    ASSERT_TRUE(report.record_errors.empty()) << report.record_errors[0].message;
  }

  // The alerts of one detector in this test's store.
  std::vector<core::Alert> alerts_of(std::string_view detector) {
    auto alerts = store_->list_alerts();
    EXPECT_TRUE(alerts.ok());
    std::vector<core::Alert> matching;
    if (!alerts.ok()) return matching;
    for (auto& alert : *alerts) {
      if (alert.detector == detector) matching.push_back(std::move(alert));
    }
    return matching;
  }

  static fs::path example(std::string_view detector, std::string_view name) {
    return kExamples / detector / (std::string(name) + ".json");
  }

  TempDir temp_;
  std::unique_ptr<store::Store> store_;
  ingest::IngestOptions options_;
};

TEST_F(StatefulDetectorTest, NewCountryNamesEarlierCountries) {
  const fs::path file = example("network.new_country", "positive_key_used_from_new_country");
  ingest({file});
  auto alerts = alerts_of("network.new_country");
  ASSERT_EQ(alerts.size(), 1u);
  const core::Alert& alert = alerts[0];
  EXPECT_EQ(alert.severity, core::Severity::medium);
  EXPECT_EQ(alert.identity.id, "arn:aws:iam::111122223333:user/ci-deployer");
  EXPECT_EQ(alert.credential_id, "AKIAEXAMPLECIDEPLOY1");
  EXPECT_EQ(alert.time, core::parse_time("2024-05-15T22:41:07Z").value());
  EXPECT_EQ(alert.dedupe_key, "AKIAEXAMPLECIDEPLOY1|BR");
  ASSERT_EQ(alert.evidence.size(), 1u);
  const core::Evidence& evidence = alert.evidence[0];
  EXPECT_NE(evidence.description.find("from BR (Sao Paulo, AS22548"), std::string::npos) << evidence.description;
  EXPECT_NE(evidence.description.find("seen before from US"), std::string::npos) << evidence.description;
  EXPECT_NE(evidence.description.find("activity since 2024-05-01"), std::string::npos) << evidence.description;
  EXPECT_EQ(evidence.source.record_id, event_id_at(file, 6));
  EXPECT_GT(evidence.source.offset, 0);
  EXPECT_NE(evidence.source.file.find("positive_key_used_from_new_country.json"), std::string::npos);
  EXPECT_NE(alert.remediation.find(
                "aws iam update-access-key --user-name ci-deployer --access-key-id AKIAEXAMPLECIDEPLOY1 --status Inactive"),
            std::string::npos)
      << alert.remediation;
}

TEST_F(StatefulDetectorTest, NewCountryTracksRolesOverIpv6) {
  ingest({example("network.new_country", "positive_role_from_new_country_ipv6")});
  auto alerts = alerts_of("network.new_country");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].identity.id, "arn:aws:iam::111122223333:role/billing-sync");
  EXPECT_EQ(alerts[0].credential_id, "") << "temporary keys are not tracked credentials";
  EXPECT_EQ(alerts[0].dedupe_key, "arn:aws:iam::111122223333:role/billing-sync|IT");
  EXPECT_NE(alerts[0].evidence[0].description.find("seen before from GB"), std::string::npos);
  EXPECT_NE(alerts[0].remediation.find("aws iam put-role-policy --role-name billing-sync"), std::string::npos);
}

TEST_F(StatefulDetectorTest, BaselinesCarryOverBetweenIngests) {
  // The history and the new country arrive as separate inputs: the second run reads the first
  // run's baselines from the store, not from memory.
  const fs::path source = example("network.new_country", "positive_key_used_from_new_country");
  std::ifstream in(source);
  nlohmann::json records = nlohmann::json::parse(in);
  nlohmann::json history(records.begin(), records.begin() + 6);
  nlohmann::json later(records.begin() + 6, records.end());
  const fs::path first = temp_.path() / "history.json";
  const fs::path second = temp_.path() / "later.json";
  std::ofstream(first) << history.dump();
  std::ofstream(second) << later.dump();

  ingest({first});
  EXPECT_TRUE(alerts_of("network.new_country").empty());
  ingest({second});
  auto alerts = alerts_of("network.new_country");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_NE(alerts[0].evidence[0].description.find("seen before from US"), std::string::npos)
      << alerts[0].evidence[0].description;
  auto asn_alerts = alerts_of("network.new_asn");
  ASSERT_EQ(asn_alerts.size(), 1u);
  EXPECT_NE(asn_alerts[0].evidence[0].description.find("networks seen before this input are not listed"),
            std::string::npos)
      << asn_alerts[0].evidence[0].description;
}

TEST_F(StatefulDetectorTest, NewAsnOnHostingIsHigh) {
  ingest({example("network.new_asn", "positive_key_from_hosting_provider")});
  auto alerts = alerts_of("network.new_asn");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::high);
  EXPECT_EQ(alerts[0].score, 75);
  const std::string& description = alerts[0].evidence[0].description;
  EXPECT_NE(description.find("AS14061 DigitalOcean, LLC (hosting)"), std::string::npos) << description;
  EXPECT_NE(description.find("seen before from AS7922 Comcast Cable Communications, LLC"), std::string::npos)
      << description;
}

TEST_F(StatefulDetectorTest, KeyValidationAlertReplacesNewAsn) {
  // The thief's first call from the new network is GetCallerIdentity: the platform detector's
  // alert reports the new network, so the engine drops network.new_asn for that event.
  std::ifstream in(example("network.new_asn", "positive_key_from_hosting_provider"));
  nlohmann::json records = nlohmann::json::parse(in);
  nlohmann::json& first_from_new_network = records[records.size() - 2];
  ASSERT_EQ(first_from_new_network["sourceIPAddress"], "159.65.10.20");
  first_from_new_network["eventName"] = "GetCallerIdentity";
  first_from_new_network["eventSource"] = "sts.amazonaws.com";
  const fs::path input = temp_.path() / "validated.json";
  std::ofstream(input) << records.dump();

  ingest({input});
  // One alert for the first call from the residential network (no history yet), one for the
  // hosting provider.
  EXPECT_EQ(alerts_of("aws.sts.key_validated_from_new_network").size(), 2u);
  EXPECT_TRUE(alerts_of("network.new_asn").empty()) << "the ListSecrets call that follows is from a known network by then";
}

TEST_F(StatefulDetectorTest, NewAsnOnResidentialIsMedium) {
  ingest({example("network.new_country", "positive_key_used_from_new_country")});
  auto alerts = alerts_of("network.new_asn");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::medium);
  EXPECT_NE(alerts[0].evidence[0].description.find("AS22548"), std::string::npos);
}

// Writes the credential report of one IAM user whose console password is in use with MFA, which
// the report classifier reads as a person.
void write_person_credential_report(const fs::path& path, const std::string& user) {
  const std::string csv =
      "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
      "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
      "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
      "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,"
      "access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n" +
      user + ",arn:aws:iam::111122223333:user/" + user +
      ",2023-02-14T09:12:00+00:00,true,2024-05-14T08:41:10+00:00,2023-02-14T09:15:00+00:00,N/A,true,true,"
      "2024-04-01T10:00:00+00:00,2024-05-15T22:42:10+00:00,us-east-1,sts,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
  std::ofstream(path) << csv;
}

TEST_F(StatefulDetectorTest, NewAsnOfPersonAtHomeIsLow) {
  // The key's history is from an unclassified office network and its new network is a
  // residential ISP, and the credential report shows a person behind the user.
  std::ifstream in(example("network.new_asn", "positive_key_from_hosting_provider"));
  nlohmann::json records = nlohmann::json::parse(in);
  for (auto& record : records) {
    const std::string ip = record["sourceIPAddress"];
    record["sourceIPAddress"] = ip.rfind("73.", 0) == 0 ? "64.125.112.10" : "73.12.34.56";
  }
  const fs::path report = temp_.path() / "credential-report.csv";
  write_person_credential_report(report, records[0]["userIdentity"]["userName"]);
  const fs::path trail = temp_.path() / "trail.json";
  std::ofstream(trail) << records.dump();

  options_.as_of = 1717200000;  // 2024-06-01: the report's console use is recent as of then
  ingest({report, trail});
  auto alerts = alerts_of("network.new_asn");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::low);
  EXPECT_NE(alerts[0].evidence[0].description.find("belongs to a person"), std::string::npos)
      << alerts[0].evidence[0].description;
}

TEST_F(StatefulDetectorTest, NewAsnOfPersonOnHostingStaysHigh) {
  const fs::path report = temp_.path() / "credential-report.csv";
  write_person_credential_report(report, "ci-deployer");
  options_.as_of = 1717200000;  // 2024-06-01
  ingest({report, example("network.new_asn", "positive_key_from_hosting_provider")});
  auto alerts = alerts_of("network.new_asn");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::high);
}

TEST_F(StatefulDetectorTest, LearningPeriodComesFromOptions) {
  options_.detect.learning_days = 1;
  ingest({example("network.new_country", "negative_new_country_during_learning")});
  EXPECT_EQ(alerts_of("network.new_country").size(), 1u) << "two days of history exceed a one-day learning period";
}

TEST_F(StatefulDetectorTest, DormantReuseStatesIdleTime) {
  ingest({example("credential.dormant_reuse", "positive_key_unused_for_four_months")});
  auto alerts = alerts_of("credential.dormant_reuse");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::high);
  EXPECT_EQ(alerts[0].credential_id, "AKIAEXAMPLEREPORTS01");
  const std::string& description = alerts[0].evidence[0].description;
  EXPECT_NE(description.find("after 126 days without activity"), std::string::npos) << description;
  EXPECT_NE(description.find("last activity 2024-01-10T08:00:00Z"), std::string::npos) << description;
  EXPECT_NE(alerts[0].remediation.find("aws iam update-access-key --user-name reports-exporter --access-key-id "
                                       "AKIAEXAMPLEREPORTS01 --status Inactive"),
            std::string::npos);
}

TEST_F(StatefulDetectorTest, DormantThresholdComesFromOptions) {
  options_.detect.dormant_days = 30;
  ingest({example("credential.dormant_reuse", "negative_gap_below_threshold")});
  auto alerts = alerts_of("credential.dormant_reuse");
  ASSERT_EQ(alerts.size(), 1u) << "56 idle days exceed a 30-day threshold";
  EXPECT_NE(alerts[0].evidence[0].description.find("the dormancy threshold is 30 days"), std::string::npos);
}

TEST_F(StatefulDetectorTest, TruffleHogMeansLeakedKey) {
  ingest({example("client.offensive_user_agent", "positive_trufflehog_key_check")});
  auto alerts = alerts_of("client.offensive_user_agent");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::high);
  EXPECT_EQ(alerts[0].score, 90);
  EXPECT_NE(alerts[0].evidence[0].description.find("this key has leaked"), std::string::npos);
  EXPECT_NE(alerts[0].remediation.find("rotate the key"), std::string::npos);
}

TEST_F(StatefulDetectorTest, KaliClientIsOneAlertPerDay) {
  ingest({example("client.offensive_user_agent", "positive_kali_aws_cli")});
  auto alerts = alerts_of("client.offensive_user_agent");
  ASSERT_EQ(alerts.size(), 1u) << "three calls on one day";
  EXPECT_EQ(alerts[0].severity, core::Severity::medium);
  EXPECT_NE(alerts[0].evidence[0].description.find("the client runs on Kali Linux"), std::string::npos);
  EXPECT_EQ(alerts[0].dedupe_key, "AKIAEXAMPLECIDEPLOY1|Kali Linux|2024-05-15");
}

TEST_F(StatefulDetectorTest, FirstSensitiveCallSaysWhatItDoes) {
  const fs::path file = example("aws.api.first_sensitive_call", "positive_first_access_key_creation");
  ingest({file});
  auto alerts = alerts_of("aws.api.first_sensitive_call");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::high);
  EXPECT_EQ(alerts[0].dedupe_key, "AKIAEXAMPLECIDEPLOY1|iam:CreateAccessKey");
  EXPECT_EQ(alerts[0].evidence[0].source.record_id, event_id_at(file, 6));
  EXPECT_NE(alerts[0].evidence[0].description.find("creates a long-lived access key"), std::string::npos);
}

TEST_F(StatefulDetectorTest, NewClientListsEarlierClients) {
  ingest({example("client.new_user_agent_family", "positive_terraform_key_used_with_aws_cli")});
  auto alerts = alerts_of("client.new_user_agent_family");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::low);
  EXPECT_NE(alerts[0].evidence[0].description.find("with a client of family aws-cli"), std::string::npos);
  EXPECT_NE(alerts[0].evidence[0].description.find("used before with terraform"), std::string::npos);
}

TEST_F(StatefulDetectorTest, ScriptingClientIsMedium) {
  ingest({example("client.new_user_agent_family", "positive_service_key_driven_by_python_requests")});
  auto alerts = alerts_of("client.new_user_agent_family");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::medium);
}

TEST_F(StatefulDetectorTest, GeoDetectorsQuietWithoutData) {
  options_.enrich.geoip_path = (temp_.path() / "no-geo").string();
  options_.enrich.asn_path = (temp_.path() / "no-asn").string();
  std::vector<std::string> paths = {example("network.new_country", "positive_key_used_from_new_country").string()};
  ingest::IngestReport report = ingest::ingest_paths(*store_, paths, options_);
  EXPECT_FALSE(report.geo_enabled);
  EXPECT_FALSE(report.asn_enabled);
  EXPECT_TRUE(alerts_of("network.new_country").empty());
  EXPECT_TRUE(alerts_of("network.new_asn").empty());
}

}  // namespace
}  // namespace keyward::detect
