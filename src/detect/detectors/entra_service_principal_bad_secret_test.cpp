// Checks the alerts of entra.service_principal.invalid_credential on its examples, run through
// the real ingest path: severity, deduplication and the remediation of each kind of failure.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "detect/detectors/example_alerts_testing.hpp"

namespace keyward::detect {
namespace {

using testing::run_example;

constexpr std::string_view kDetector = "entra.service_principal.invalid_credential";

TEST(EntraInvalidCredential, ExpiredSecretAlertsOnceAtLowSeverity) {
  KEYWARD_SKIP_WITHOUT_ENRICHMENT();
  // Four failed sign-ins with one expired secret over three days and two addresses.
  const auto alerts = run_example(kDetector, "positive_expired_secret_used_for_days.json");
  ASSERT_EQ(alerts.size(), 1u);
  const core::Alert& alert = alerts[0];
  EXPECT_EQ(alert.severity, core::Severity::low);
  EXPECT_EQ(alert.title,
            "Service principal 'billing-sync' (appId 9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d) still signs in with an "
            "expired client secret");
  ASSERT_FALSE(alert.evidence.empty());
  const std::string& evidence = alert.evidence[0].description;
  EXPECT_NE(evidence.find("client secret 6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("on 2024-06-13"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("AADSTS7000222"), std::string::npos) << evidence;
  EXPECT_NE(alert.remediation.find("az ad app credential reset --id 9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d --append"),
            std::string::npos)
      << alert.remediation;
  EXPECT_NE(alert.remediation.find("--key-id 6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"), std::string::npos)
      << alert.remediation;
}

TEST(EntraInvalidCredential, InvalidSecretStaysHigh) {
  KEYWARD_SKIP_WITHOUT_ENRICHMENT();
  const auto alerts = run_example(kDetector, "positive_invalid_client_secret.json");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, core::Severity::high);
  EXPECT_NE(alerts[0].title.find("failed to sign in with an invalid client secret"), std::string::npos)
      << alerts[0].title;
}

// Returns `text` with every `from` replaced by `to`.
std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

TEST(EntraInvalidCredential, InvalidSecretDedupedPerNetwork) {
  KEYWARD_SKIP_WITHOUT_ENRICHMENT();
  const std::filesystem::path examples = std::filesystem::path(default_detector_examples_root()) / std::string(kDetector);
  std::ifstream in(examples / "positive_invalid_client_secret.json");
  ASSERT_TRUE(in) << "cannot read the invalid-secret example";
  const std::string first((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The same wrong secret a day later from the same network, then from DigitalOcean.
  const std::string repeat = replace_all(replace_all(first, "2024-06-13T07", "2024-06-14T07"), "000000000001", "000000000002");
  const std::string other_network = replace_all(replace_all(replace_all(first, "2024-06-13T07", "2024-06-14T08"),
                                                            "000000000001", "000000000003"),
                                                "45.83.64.10", "159.65.10.20");

  const std::filesystem::path folder = std::filesystem::temp_directory_path() / "keyward-entra-invalid-secret-networks";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "01-first.json") << first;
  std::ofstream(folder / "02-repeat.json") << repeat;
  std::ofstream(folder / "03-other-network.json") << other_network;

  DetectorExample example;
  example.path = folder.string();
  example.positive = false;
  enrich::EnrichOptions enrichment;
  enrichment = enrich::testing::EnrichFixture::get().options();
  auto outcome = run_detector_example(example, kDetector, enrichment, std::filesystem::temp_directory_path().string());
  std::filesystem::remove_all(folder);
  ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
  ASSERT_EQ(outcome->alerts.size(), 2u);
  EXPECT_NE(outcome->alerts[0].evidence[0].description.find("45.83.64.10"), std::string::npos);
  EXPECT_NE(outcome->alerts[1].evidence[0].description.find("159.65.10.20"), std::string::npos);
  EXPECT_EQ(outcome->alerts[1].severity, core::Severity::high);
}

}  // namespace
}  // namespace keyward::detect
