// Parses the public Cloud Audit Logs samples (Panther's detection test events, one LogEntry per
// file) and checks what they add to the inventory. Skipped when the shared data folder is absent.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "ingest/input_reader.hpp"
#include "sources/testing/source_testing.hpp"

namespace keyward::sources::gcp {
namespace {

namespace fs = std::filesystem;

struct SampleTotals {
  int files = 0;
  long long records = 0;
  std::vector<nlohmann::json> events;
  std::vector<RecordError> errors;
  std::map<std::string, core::Identity> identities;
  std::map<std::string, core::Identity> observed;
  std::map<std::string, core::Credential> credentials;
};

SampleTotals parse_samples(const fs::path& folder) {
  SampleTotals totals;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && name.find(".expect.") == std::string::npos) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    auto loaded = ingest::load_input(file.string());
    EXPECT_TRUE(loaded) << file;
    if (!loaded) continue;
    const Source* detected = detect_source(loaded->data().substr(0, 64 * 1024), file.string());
    EXPECT_NE(detected, nullptr) << file;
    if (detected != nullptr) {
      EXPECT_EQ(detected->name(), "gcp-audit-log") << file;
    }

    auto parsed = testing::parse_with_source("gcp-audit-log", file);
    EXPECT_TRUE(parsed.status.ok()) << file;
    ++totals.files;
    totals.records += parsed.records;
    for (auto& event : parsed.sink.events) totals.events.push_back(std::move(event));
    for (auto& error : parsed.errors) totals.errors.push_back(std::move(error));
    for (auto& identity : parsed.batch.identities) totals.identities[identity.id] = std::move(identity);
    for (auto& identity : parsed.batch.observed_identities) totals.observed[identity.id] = std::move(identity);
    for (auto& credential : parsed.batch.credentials) totals.credentials[credential.id] = std::move(credential);
  }
  return totals;
}

TEST(GcpAuditLogRealSamples, PantherEvents) {
  const fs::path folder = testing::shared_data() / "gcp_audit" / "panther";
  if (!fs::is_directory(folder)) GTEST_SKIP() << "real samples not found at " << folder << "; set up ../shared/data to run this test";
  const SampleTotals totals = parse_samples(folder);

  EXPECT_EQ(totals.files, 20);
  EXPECT_EQ(totals.records, 20) << "every sample is one JSON object, including the one skipped";
  // Entries without authenticationInfo (serial console, Google's own account creation) count as
  // records but send no event. The four Deployment Manager entries send one without an identity.
  EXPECT_EQ(totals.events.size(), 17u);

  // One sample has its fields nested one level too deep, with no top-level timestamp.
  ASSERT_EQ(totals.errors.size(), 1u);
  EXPECT_NE(totals.errors[0].message.find("missing timestamp"), std::string::npos) << totals.errors[0].message;
  EXPECT_NE(totals.errors[0].file.find("gcp_permissions_granted_to_create_or_manage_service_account_key__00"), std::string::npos);

  const auto created_account = totals.identities.find("created-service-account@gcp-project1.iam.gserviceaccount.com");
  ASSERT_NE(created_account, totals.identities.end());
  EXPECT_EQ(created_account->second.kind, "gcp_service_account");
  EXPECT_EQ(created_account->second.account, "gcp-project1");
  EXPECT_EQ(created_account->second.attributes["created_by"], "staging@company.io");
  EXPECT_EQ(created_account->second.created, core::parse_time("2023-03-09T15:49:21Z"));

  const auto appspot = totals.identities.find("test-project-123456@appspot.gserviceaccount.com");
  ASSERT_NE(appspot, totals.identities.end());
  EXPECT_EQ(appspot->second.kind, "gcp_default_service_account");
  EXPECT_EQ(totals.identities.size(), 2u) << "the denied CreateServiceAccount creates nothing";

  const auto key = totals.credentials.find("69049163b190437ab9279b28e8afa24bb5c5b076");
  ASSERT_NE(key, totals.credentials.end());
  EXPECT_EQ(key->second.identity_id, "created-service-account@gcp-project1.iam.gserviceaccount.com");
  EXPECT_EQ(key->second.created, 1678377036);
  EXPECT_FALSE(key->second.expires.has_value());
  EXPECT_EQ(key->second.attributes["key_type"], "USER_MANAGED");
  EXPECT_EQ(key->second.attributes["created_by"], "staging@company.io");

  EXPECT_TRUE(totals.observed.count("some-project@company.iam.gserviceaccount.com"));
  EXPECT_TRUE(totals.observed.count("test-no-perms@test-project-123456.iam.gserviceaccount.com"));

  int with_key = 0;
  int denied_by_status = 0;
  int denied_by_checks = 0;
  int deployments = 0;
  for (const auto& event : totals.events) {
    EXPECT_EQ(event["platform"], "gcp");
    if (event["event_source"] == "deploymentmanager.googleapis.com") {
      ++deployments;
      EXPECT_EQ(event["identity_id"], "") << "the service agent that ran the deployment is not logged";
      continue;
    }
    EXPECT_FALSE(event["identity_id"].get<std::string>().empty());
    if (event["credential_id"] == "a378358365ff3d22e9c1a72fecf4605ddff76b47") ++with_key;
    if (event["error_code"] != "PERMISSION_DENIED") continue;
    if (event["identity_id"] == "test-no-perms@test-project-123456.iam.gserviceaccount.com") {
      // status.code 7 on the denied CreateServiceAccount.
      ++denied_by_status;
      EXPECT_EQ(event["credential_id"], "a0064fe0ef82b9e256b8b093d927ee842a19da34");
      EXPECT_EQ(event["source_ip"], "12.12.12.12");
    } else {
      // The "not granted" SignBlob and SignJwt samples: status {} with their only check granted: false.
      ++denied_by_checks;
      EXPECT_EQ(event["identity_id"], "some-project@company.iam.gserviceaccount.com");
      EXPECT_EQ(event["event_name"], "SignJwt");
    }
  }
  EXPECT_EQ(deployments, 4);
  EXPECT_EQ(with_key, 4) << "SignBlob and SignJwt samples name the key";
  EXPECT_EQ(denied_by_status, 1);
  EXPECT_EQ(denied_by_checks, 2);
}

}  // namespace
}  // namespace keyward::sources::gcp
