// Checks the contents of the Entra detectors' alerts on their examples, run through the real ingest path
// (the example tests only count alerts).

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "detect/detectors/example_alerts_testing.hpp"

namespace keyward::detect {
namespace {

using testing::run_example;

std::string all_evidence(const core::Alert& alert) {
  std::string text;
  for (const core::Evidence& evidence : alert.evidence) text += evidence.description + "\n";
  return text;
}

TEST(EntraDetectors, CredentialAddedThenNewIpAlertContents) {
  KEYWARD_SKIP_WITHOUT_ENRICHMENT();
  const auto alerts = run_example("entra.service_principal.credential_added_then_new_ip",
                                  "positive_secret_added_then_sign_in_from_hosting");
  ASSERT_EQ(alerts.size(), 1u);
  const core::Alert& alert = alerts[0];
  EXPECT_EQ(alert.severity, core::Severity::high);
  EXPECT_EQ(alert.identity.id, "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d");
  EXPECT_EQ(alert.identity.name, "billing-sync");
  EXPECT_NE(alert.title.find("Service principal 'billing-sync' (appId 9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d)"),
            std::string::npos)
      << alert.title;
  EXPECT_NE(alert.title.find("Mallory.Admin@contoso.example"), std::string::npos) << alert.title;
  EXPECT_NE(alert.title.find("45.83.64.10"), std::string::npos) << alert.title;

  const std::string evidence = all_evidence(alert);
  EXPECT_NE(evidence.find("client secret c41f9a2e-8b7d-4e6f-a5c3-1d2e3f4a5b6c"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("2024-06-12T09:00:04Z"), std::string::npos) << "when it was added: " << evidence;
  EXPECT_NE(evidence.find("AS9009"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("3.210.14.7"), std::string::npos) << "the addresses used before: " << evidence;
  EXPECT_NE(evidence.find("3.210.14.9"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("AS16509"), std::string::npos) << evidence;
  ASSERT_EQ(alert.evidence.size(), 2u);
  EXPECT_NE(alert.evidence[0].source.file.find("02-directory-audit.json"), std::string::npos)
      << "the addition points at the audit record";

  EXPECT_NE(alert.remediation.find("az ad sp credential delete --id 9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d "
                                   "--key-id c41f9a2e-8b7d-4e6f-a5c3-1d2e3f4a5b6c"),
            std::string::npos)
      << alert.remediation;
}

TEST(EntraDetectors, NewAsnTitleNamesServicePrincipal) {
  KEYWARD_SKIP_WITHOUT_ENRICHMENT();
  const auto alerts = run_example("entra.service_principal.new_asn", "positive_secret_used_from_hosting");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].title.rfind("Service principal 'billing-sync' (appId 9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d)", 0), 0u)
      << alerts[0].title;
  EXPECT_EQ(alerts[0].identity.name, "billing-sync");
}

TEST(EntraDetectors, InvalidCredentialTitleNamesServicePrincipal) {
  KEYWARD_SKIP_WITHOUT_ENRICHMENT();
  const auto alerts = run_example("entra.service_principal.invalid_credential", "positive_invalid_client_secret.json");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].title,
            "Service principal 'billing-sync' (appId 9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d) failed to sign in with an "
            "invalid client secret");
}

}  // namespace
}  // namespace keyward::detect
