// GitHub tokens. The classic family (ghp_, gho_, ghu_, ghs_, ghr_) ends in a 6-character base62
// CRC-32 of the random part, so a scanner can tell a real token from a look-alike offline.

#include "secrets/rules/rule_lists.hpp"
#include "secrets/validators/checksums.hpp"

namespace keyward::secrets {
namespace {

constexpr std::string_view kTokenFormats =
    "https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/";

void add_user_token_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "github.pat.classic",
      .name = "GitHub personal access token (classic)",
      .service = "GitHub",
      .category = Category::source_control,
      .pattern = R"(\b(ghp_[A-Za-z0-9]{36})\b)",
      .max_match_length = 40,
      .validate = validate_underscore_token_checksum,
      .checksum = true,
      .platform = "github",
      .credential_kind = "github_pat_classic",
      .redact_prefix = 4,
      .examples = {"GITHUB_TOKEN=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", "git clone https://x-access-token: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@github.com/org/repo"},
      .negative_examples = {"GITHUB_TOKEN=ghp_KwFakeq9rjuqRAGVEI5C5Smm0JF2x61Js1lA", "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0"},
      .reference = kTokenFormats,
  });
  rules.push_back({
      .id = "github.oauth_token",
      .name = "GitHub OAuth app access token",
      .service = "GitHub",
      .category = Category::source_control,
      .pattern = R"(\b(gho_[A-Za-z0-9]{36})\b)",
      .max_match_length = 40,
      .validate = validate_underscore_token_checksum,
      .checksum = true,
      .platform = "github",
      .credential_kind = "github_oauth_token",
      .redact_prefix = 4,
      .examples = {"oauth_token: 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"},
      .negative_examples = {"oauth_token: gho_KwFakeRiHpwq2ROTZO5cdTMODcCO9W068YtA"},
      .reference = kTokenFormats,
  });
  rules.push_back({
      .id = "github.app_user_token",
      .name = "GitHub App user access token",
      .service = "GitHub",
      .category = Category::source_control,
      .pattern = R"(\b(ghu_[A-Za-z0-9]{36})\b)",
      .max_match_length = 40,
      .validate = validate_underscore_token_checksum,
      .checksum = true,
      .platform = "github",
      .credential_kind = "github_app_user_token",
      .redact_prefix = 4,
      .examples = {R"({"access_token":"ghu_KwFakenRpxZiXCDLzw1xWA7N1Uagqy3N4ENI","token_type":"bearer"})"},
      .negative_examples = {R"({"access_token":"ghu_KwFakeoBo8FEXPImqmlQVnNHEs6K9w37ZSoA"})"},
      .reference = kTokenFormats,
  });
}

void add_app_token_rules(std::vector<SecretRule>& rules) {
  // Installation tokens expire after an hour and the inventory does not list them, so the rule
  // names no credential kind.
  rules.push_back({
      .id = "github.app_installation_token",
      .name = "GitHub App installation access token",
      .service = "GitHub",
      .category = Category::source_control,
      .pattern = R"(\b(ghs_[A-Za-z0-9]{36})\b)",
      .max_match_length = 40,
      .validate = validate_underscore_token_checksum,
      .checksum = true,
      .platform = "github",
      .redact_prefix = 4,
      .examples = {"GH_TOKEN=ghs_KwFakegJUSpZpQRUv3bjYCD7lLkaOD0VFMHf"},
      .negative_examples = {"GH_TOKEN=ghs_KwFakeWCPQlZHmxzQr55EWAxxave4F0JoWxA"},
      .reference = kTokenFormats,
  });
  // Refresh tokens have 70 random characters before the checksum.
  rules.push_back({
      .id = "github.app_refresh_token",
      .name = "GitHub App user refresh token",
      .service = "GitHub",
      .category = Category::source_control,
      .pattern = R"(\b(ghr_[A-Za-z0-9]{76})\b)",
      .max_match_length = 80,
      .validate = validate_underscore_token_checksum,
      .checksum = true,
      .platform = "github",
      .redact_prefix = 4,
      .examples = {R"({"refresh_token":"ghr_KwFakeumBZsaEyazeQUScGxiRtobBiRVDnwEutn23kxQ7qIfeq6AhzLqfoOB1C9cGWgqw43jC9K2","refresh_token_expires_in":15811200})"},
      .negative_examples = {R"({"refresh_token":"ghr_KwFakeOibdZ3hiKiHVOmCiPL4eF8U6oNyzU5y2dMoDQu3JWbcxedrCA1laTBAMmoiOpntk24F7UA"})", "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"},
      .reference = "https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens",
  });
}

void add_other_github_rules(std::vector<SecretRule>& rules) {
  // NOTE: fine-grained tokens are reported to end in a checksum too, but GitHub has not
  // documented it, so only the shape is checked.
  rules.push_back({
      .id = "github.pat.fine_grained",
      .name = "GitHub fine-grained personal access token",
      .service = "GitHub",
      .category = Category::source_control,
      .pattern = R"(\b(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b)",
      .max_match_length = 93,
      .min_entropy = 4.0,
      .platform = "github",
      .credential_kind = "github_pat_fine_grained",
      .redact_prefix = 11,
      .examples = {"GITHUB_TOKEN=github_pat_11KwFakeCPRAtgU9t4N0rA_KwFakeFcutXS1a2yPVaXB9Bwaw4jeVzKnR7tN2kesS8geZ9BsKrKODGl10d"},
      .negative_examples = {"github_pat_11KwFakeK5fsuWmiMzUvIw_KwFakek1toY2MTj1SIAEwknBDynysnREUlCdKr7l", "github_pat_KwFake7Aeu2elXG3gsWGy3"},
      .reference = "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens",
  });
  // Tokens issued before April 2021: 40 hex digits with no prefix, found only next to a keyword.
  rules.push_back({
      .id = "github.token_legacy",
      .name = "GitHub token (40-hex format before 2021)",
      .service = "GitHub",
      .category = Category::source_control,
      .pattern = R"((?i:github[_.-]?(?:oauth|api|access|personal)?[_.-]?(?:token|pat)|gh[_.-](?:oauth[_.-]|api[_.-]|access[_.-])?token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{40})\b)",
      .max_match_length = 100,
      .min_entropy = 3.0,
      .placeholder_filter = true,
      .platform = "github",
      .examples = {"GITHUB_TOKEN=41947e75ec5215efb8749c6974d4da937c80d1d7", R"(github_api_token: "6417e1c65ab46de711ea90bbdf7a84602cda05a9")"},
      .negative_examples = {"GITHUB_SHA=99ae9c37cb8b5ac20be779f0ee71182286a76de0", "GITHUB_TOKEN=ccd76ac8939efb2029d759b5bb981ac5"},
      .reference = "https://github.blog/changelog/2021-03-04-authentication-token-format-updates/",
  });
  rules.push_back({
      .id = "github.oauth_client_secret",
      .name = "GitHub OAuth app client secret",
      .service = "GitHub",
      .category = Category::source_control,
      .pattern = R"((?i:(?:github|gh)[_.-]?(?:oauth|app)?[_.-]?client[_.-]?secret)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{40})\b)",
      .max_match_length = 100,
      .min_entropy = 3.0,
      .platform = "github",
      .examples = {"GITHUB_CLIENT_SECRET=94941e850ef6372c12f5daca37f62a92911f8c04"},
      .negative_examples = {"GITHUB_CLIENT_ID=Iv1.da4697ab442a1434", "GITHUB_CLIENT_SECRET=a8a771726e02faa6b2c1"},
      .reference = "https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps",
  });
}

}  // namespace

void add_github_rules(std::vector<SecretRule>& rules) {
  add_user_token_rules(rules);
  add_app_token_rules(rules);
  add_other_github_rules(rules);
}

}  // namespace keyward::secrets
