// Checks the alert of snowflake.login.password_without_mfa on its examples, run through the real
// ingest path: which network and which kind of user the evidence names.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "detect/detectors/example_alerts_testing.hpp"

namespace keyward::detect {
namespace {

using testing::run_example;

constexpr std::string_view kDetector = "snowflake.login.password_without_mfa";

TEST(SnowflakePasswordWithoutMfa, PersonNewNetworkEvidence) {
  KEYWARD_SKIP_WITHOUT_ENRICHMENT();
  const auto alerts = run_example(kDetector, "positive_person_new_network_after_learning");
  ASSERT_EQ(alerts.size(), 1u);
  const core::Alert& alert = alerts[0];
  EXPECT_EQ(alert.severity, core::Severity::medium);
  EXPECT_EQ(alert.identity.id, "MARIA_LOPEZ");
  ASSERT_FALSE(alert.evidence.empty());
  const std::string& evidence = alert.evidence[0].description;
  EXPECT_NE(evidence.find("159.65.10.20 (AS14061"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("hosting"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("TYPE = PERSON"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("its first recorded activity was on 2024-06-01"), std::string::npos) << evidence;
  EXPECT_NE(alert.remediation.find("ALTER USER \"MARIA_LOPEZ\" SET DISABLED = TRUE"), std::string::npos)
      << alert.remediation;
}

TEST(SnowflakePasswordWithoutMfa, UnknownUserEvidence) {
  KEYWARD_SKIP_WITHOUT_ENRICHMENT();
  const auto alerts = run_example(kDetector, "positive_password_only.json");
  ASSERT_EQ(alerts.size(), 1u);
  ASSERT_FALSE(alerts[0].evidence.empty());
  const std::string& evidence = alerts[0].evidence[0].description;
  EXPECT_NE(evidence.find("its first recorded activity was on 2024-06-12"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("not in the inventory"), std::string::npos) << evidence;
}

}  // namespace
}  // namespace keyward::detect
