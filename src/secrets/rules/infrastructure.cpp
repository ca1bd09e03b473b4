// Infrastructure-as-code and secret-management tokens: Terraform Cloud, HashiCorp Vault, Doppler,
// Pulumi, Infracost and Prefect.

#include "secrets/rules/rule_lists.hpp"

namespace keyward::secrets {
namespace {

void add_hashicorp_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "terraform.cloud_token",
      .name = "HCP Terraform (Terraform Cloud) API token",
      .service = "HCP Terraform",
      .category = Category::ci_cd,
      .pattern = R"(\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?:[^A-Za-z0-9_=-]|$))",
      .max_match_length = 100,
      .min_entropy = 3.5,
      .examples = {R"(credentials "app.terraform.io" { token = "CJpzAs46oMs6J6.atlasv1.KwFakecqzUSbNnJ008fHN8b1Nk2Zcuuct7NZa2Hva-eiA8-ALyW2j1V0oYGKzCDemdY" })"},
      .negative_examples = {"GiurZ7Xn1tyKXd.atlasv1.KwFakeYl9Kk5uK5z1ZXrlAgzhWFCCH", "qFXVCsr7uV.atlasv2.KwFakenQE6vuFL1aXanyAad1U6RCUCp5hycpK8iuo5nq0P3hv4PQ9lULQgcJUe30tjg"},
      .reference = "https://developer.hashicorp.com/terraform/cloud-docs/users-teams-organizations/api-tokens",
  });
  rules.push_back({
      .id = "vault.service_token",
      .name = "HashiCorp Vault service token",
      .service = "HashiCorp Vault",
      .category = Category::ci_cd,
      .pattern = R"(\b(hvs\.[A-Za-z0-9_-]{24,130})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 140,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"VAULT_TOKEN=hvs.CAESIKwFakeXsQNncPwcmH9HhCxyIPI6ZkHrR9l8CdgmcKNS_bj2UcP2lLv83bHiKy-aatXfZpynYJx0L1FwmeLwT_iFJeC"},
      .negative_examples = {"hvs.EcTWjO5Md-", "xhvs.KwFakenl0hl0yWoDxvytJ8LkKIstQkE7G7xEYzl8Ag1BUVP9nvudcDuGbXcy2yEOlb59fcLmEyZmAehJpU5hPdfGcG"},
      .reference = "https://developer.hashicorp.com/vault/docs/concepts/tokens",
  });
  rules.push_back({
      .id = "vault.batch_token",
      .name = "HashiCorp Vault batch token",
      .service = "HashiCorp Vault",
      .category = Category::ci_cd,
      .pattern = R"(\b(hvb\.[A-Za-z0-9_-]{100,320})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 330,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"VAULT_TOKEN=hvb.AAAAAQKwFaketCIMAuLmIKDZ3OLcTCBl5MsNSYPAiQtb6TvX9TEBwTo8ymXmBj_G6w97oLPJVvXNer_hI1ElL2Uslvvzam9GMyIXF8qBhWlbCtmQmgfAqt-apOotjFki813kzQQUEO2lC_zWnUJh22Y35FNu"},
      .negative_examples = {"hvb.KwFakeNzCsIm48A0wcCLR3PNnQ-KfKmKhiET4bDw"},
      .reference = "https://developer.hashicorp.com/vault/docs/concepts/tokens",
  });
  rules.push_back({
      .id = "vault.token_legacy",
      .name = "HashiCorp Vault token (format before 1.10)",
      .service = "HashiCorp Vault",
      .category = Category::ci_cd,
      .pattern = R"((?i:vault)[A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([sb]\.[A-Za-z0-9]{24})\b)",
      .max_match_length = 80,
      .min_entropy = 3.5,
      .examples = {"VAULT_TOKEN=s.KwFakeMQWGbGNFfl2RmEwkNg"},
      .negative_examples = {"VAULT_TOKEN=s.CkZ9cIqJ41fn", "VAULT_ADDR=s.KwFakeNhCC0PIFCCAr55gPM4"},
      .reference = "https://developer.hashicorp.com/vault/docs/concepts/tokens",
  });
}

void add_doppler_rules(std::vector<SecretRule>& rules) {
  // Doppler prefixes each token type: pt personal, st service, ct CLI, sa service account, scim
  // and audit. Service tokens may carry the config name as an extra segment.
  rules.push_back({
      .id = "doppler.personal_token",
      .name = "Doppler personal token",
      .service = "Doppler",
      .category = Category::ci_cd,
      .pattern = R"(\b(dp\.pt\.[A-Za-z0-9]{40,44})\b)",
      .max_match_length = 52,
      .redact_prefix = 6,
      .examples = {"DOPPLER_TOKEN=dp.pt.KwFakebWdhLi1CUNlJUq9MWOrKLB99hhGrOE45hLbK2"},
      .negative_examples = {"dp.pt.KwFake5YtP9jx4NKgwmH"},
      .reference = "https://docs.doppler.com/reference/auth-token-formats",
  });
  rules.push_back({
      .id = "doppler.service_token",
      .name = "Doppler service token",
      .service = "Doppler",
      .category = Category::ci_cd,
      .pattern = R"(\b(dp\.st\.(?:[a-z0-9_-]{2,35}\.)?[A-Za-z0-9]{40,44})\b)",
      .max_match_length = 90,
      .redact_prefix = 6,
      .examples = {"DOPPLER_TOKEN=dp.st.prd.KwFakeDWbjNh2N2MwE0zKorq2gL5aIeU0XnYljgQ410", "DOPPLER_TOKEN=dp.st.KwFake2AenXZb9kZMgN2RyIP0c3GI4l37s6KGpHkdw7"},
      .negative_examples = {"dp.st.prd.KwFakerGmYtvTTa1IFRH"},
      .reference = "https://docs.doppler.com/reference/auth-token-formats",
  });
  rules.push_back({
      .id = "doppler.cli_token",
      .name = "Doppler CLI token",
      .service = "Doppler",
      .category = Category::ci_cd,
      .pattern = R"(\b(dp\.ct\.[A-Za-z0-9]{40,44})\b)",
      .max_match_length = 52,
      .redact_prefix = 6,
      .examples = {"token: dp.ct.KwFake8euDrZs7RZm1mLf7fbQsvuTP7gwWKqauvfTKM"},
      .negative_examples = {"dp.ct.KwFakeczU6zpQNh7arzCisDxy9HwqW"},
      .reference = "https://docs.doppler.com/reference/auth-token-formats",
  });
}

void add_doppler_machine_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "doppler.service_account_token",
      .name = "Doppler service account token",
      .service = "Doppler",
      .category = Category::ci_cd,
      .pattern = R"(\b(dp\.sa\.[A-Za-z0-9]{40,44})\b)",
      .max_match_length = 52,
      .redact_prefix = 6,
      .examples = {"DOPPLER_TOKEN=dp.sa.KwFakeHv7POktk6gj1C1HmFolFym7RIbzUZnZvE04pi"},
      .negative_examples = {"dp.sa.KwFakeutR3phvYNZTYDC1eVtXA46Wu"},
      .reference = "https://docs.doppler.com/reference/auth-token-formats",
  });
  rules.push_back({
      .id = "doppler.scim_token",
      .name = "Doppler SCIM token",
      .service = "Doppler",
      .category = Category::ci_cd,
      .pattern = R"(\b(dp\.scim\.[A-Za-z0-9]{40,44})\b)",
      .max_match_length = 54,
      .redact_prefix = 8,
      .examples = {"Authorization: Bearer dp.scim.KwFakeCMAy27SzEiW7Px31hXSWKcySb1eYQZQT2yEwY"},
      .negative_examples = {"dp.scim.KwFakedQVCn6LycJpJDKv19d7E38cl"},
      .reference = "https://docs.doppler.com/reference/auth-token-formats",
  });
  rules.push_back({
      .id = "doppler.audit_token",
      .name = "Doppler audit token",
      .service = "Doppler",
      .category = Category::ci_cd,
      .pattern = R"(\b(dp\.audit\.[A-Za-z0-9]{40,44})\b)",
      .max_match_length = 56,
      .redact_prefix = 9,
      .examples = {"DOPPLER_AUDIT_TOKEN=dp.audit.KwFake4J7Ky9U9Uu3pkXgIHML54uHO03HCNLyFQqdB1"},
      .negative_examples = {"dp.audit.KwFakectfMLvcnfmc4Y9D8jYfb6z6G"},
      .reference = "https://docs.doppler.com/reference/auth-token-formats",
  });
}

void add_other_infrastructure_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "pulumi.access_token",
      .name = "Pulumi access token",
      .service = "Pulumi",
      .category = Category::ci_cd,
      .pattern = R"(\b(pul-[a-f0-9]{40})\b)",
      .max_match_length = 44,
      .redact_prefix = 4,
      .examples = {"PULUMI_ACCESS_TOKEN=pul-582857ef0dfea458b8c6bf99479744cd4ec02db5"},
      .negative_examples = {"pul-ade87b5bb6eb01c312fd354030601693", "pul-KwFakesccjajFPGw8O98eFyr1FxG3WA6aDaRGsUb"},
      .reference = "https://www.pulumi.com/docs/pulumi-cloud/access-management/access-tokens/",
  });
  rules.push_back({
      .id = "infracost.api_key",
      .name = "Infracost API key",
      .service = "Infracost",
      .category = Category::ci_cd,
      .pattern = R"(\b(ico-[A-Za-z0-9]{32})\b)",
      .max_match_length = 36,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"INFRACOST_API_KEY=ico-KwFakeqkDKK2DeFn815FYXZzlds2kWIO"},
      .negative_examples = {"ico-KwFake5H2HlQ0X4WuWJR", "ico-KwFakeFFEVtjvngqCR2EovJnVRr0sVliMCjmq3F9"},
      .reference = "https://www.infracost.io/docs/integrations/environment_variables/",
  });
  rules.push_back({
      .id = "prefect.api_key",
      .name = "Prefect Cloud API key",
      .service = "Prefect",
      .category = Category::ci_cd,
      .pattern = R"(\b(pnu_[A-Za-z0-9]{36})\b)",
      .max_match_length = 40,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"PREFECT_API_KEY=pnu_KwFakepaVrwaYvOxxrA8Qukh0u7SPMGbWzCv"},
      .negative_examples = {"pnu_KwFake3C8aqoWDVuJcfV", "pnu_KwFakeq4w1n7mu6k3VgwtKj10OaNK4hi8BepQB8O"},
      .reference = "https://docs.prefect.io/v3/manage/cloud/manage-users/api-keys",
  });
}

}  // namespace

void add_infrastructure_rules(std::vector<SecretRule>& rules) {
  add_hashicorp_rules(rules);
  add_doppler_rules(rules);
  add_doppler_machine_rules(rules);
  add_other_infrastructure_rules(rules);
}

}  // namespace keyward::secrets
