#include "posture/checks/usage_support.hpp"

#include <gtest/gtest.h>

namespace keyward::posture {
namespace {

TEST(UsageSupport, NameTokensSplitAndLowercase) {
  const std::vector<std::string> expected = {"svc", "github", "deploy", "prod"};
  EXPECT_EQ(name_tokens("svc_GitHub-Deploy.prod"), expected);
  EXPECT_TRUE(name_tokens("--").empty());
}

TEST(UsageSupport, CiSystemNeedsWholeWord) {
  EXPECT_EQ(ci_system_named_in("github-actions-deployer"), "GitHub Actions");
  EXPECT_EQ(ci_system_named_in("jenkins_s3"), "Jenkins");
  EXPECT_EQ(ci_system_named_in("ci-release"), "a CI system");
  EXPECT_EQ(ci_system_named_in("ci-gitlab"), "GitLab CI") << "a named system wins over the generic word";
  EXPECT_EQ(ci_system_named_in("cifs-sync"), "");
  EXPECT_EQ(ci_system_named_in("specific-loader"), "");
}

TEST(UsageSupport, EnvironmentOfText) {
  struct Case {
    const char* text;
    Environment expected;
  };
  const Case cases[] = {
      {"acme-prod-data", Environment::production},
      {"PROD_ANALYTICS", Environment::production},
      {"payments-api-dev", Environment::non_production},
      {"acme-non-prod-artifacts", Environment::non_production},
      {"acme-nonprod", Environment::non_production},
      {"acme-preprod", Environment::non_production},
      {"acme-product-images", Environment::unknown},
      {"prod-to-staging-copy", Environment::unknown},
      {"", Environment::unknown},
  };
  for (const auto& c : cases) EXPECT_EQ(environment_of_text(c.text), c.expected) << c.text;
}

TEST(UsageSupport, EnvironmentOfTagsReadsEnvKeysOnly) {
  const nlohmann::json tags = {{"team", "prod-support"}, {"Deployment-Environment", "staging"}};
  const EnvironmentLabel label = environment_of_tags(tags);
  EXPECT_EQ(label.environment, Environment::non_production);
  EXPECT_EQ(label.origin, "tag Deployment-Environment=staging");
  EXPECT_EQ(environment_of_tags(nlohmann::json{{"team", "prod"}}).environment, Environment::unknown);
}

TEST(UsageSupport, ClientToolchainMergesSharedStacks) {
  EXPECT_EQ(client_toolchain("aws-cli"), client_toolchain("aws-sdk-python"));
  EXPECT_EQ(client_toolchain("terraform"), "aws-sdk-go");
  EXPECT_EQ(client_toolchain("curl"), "curl");
  EXPECT_EQ(client_toolchain("other"), "");
  EXPECT_EQ(client_toolchain("aws-console"), "");
}

TEST(UsageSupport, AsnNetworkNeedsDigits) {
  EXPECT_TRUE(is_asn_network("AS16509"));
  EXPECT_FALSE(is_asn_network("AS"));
  EXPECT_FALSE(is_asn_network("203.0.113.10"));
  EXPECT_FALSE(is_asn_network("ASX1"));
}

TEST(UsageSupport, SecretFingerprintSources) {
  core::Credential ssh;
  ssh.kind = "github_deploy_key";
  ssh.attributes["key_fingerprint"] = "SHA256:abc";
  EXPECT_EQ(secret_fingerprint(ssh).value, "SHA256:abc");
  EXPECT_EQ(secret_fingerprint(ssh).kind, "SSH key fingerprint");

  core::Credential secret;
  secret.kind = "entra_client_secret";
  secret.attributes["custom_key_identifier"] = "ignored for secrets";
  EXPECT_EQ(secret_fingerprint(secret).value, "");

  secret.fingerprint = "hmac:0011";
  EXPECT_EQ(secret_fingerprint(secret).value, "hmac:0011");
}

TEST(UsageSupport, RevokeStepsNameTheCredential) {
  core::Identity identity;
  identity.platform = "gcp";
  identity.id = "etl@acme.iam.gserviceaccount.com";
  core::Credential key;
  key.kind = "gcp_service_account_key";
  key.id = "abc123";
  const std::vector<std::string> steps = revoke_credential_steps(identity, key);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0], "gcloud iam service-accounts keys disable abc123 --iam-account=etl@acme.iam.gserviceaccount.com");
  EXPECT_EQ(steps[2], "gcloud iam service-accounts keys delete abc123 --iam-account=etl@acme.iam.gserviceaccount.com");
}

}  // namespace
}  // namespace keyward::posture
