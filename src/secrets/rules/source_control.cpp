// Source hosting other than GitHub and GitLab: Bitbucket, Sourcegraph and Gitea.

#include "secrets/rules/rule_lists.hpp"

namespace keyward::secrets {

void add_source_control_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "bitbucket.app_password",
      .name = "Bitbucket app password",
      .service = "Bitbucket",
      .category = Category::source_control,
      .pattern = R"(\b(ATBB[A-Za-z0-9_=.-]{32})(?:[^A-Za-z0-9_=.-]|$))",
      .max_match_length = 40,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"BITBUCKET_APP_PASSWORD=ATBBKwFakeqJwjch3dzaDPbmdC51s6vl996R"},
      .negative_examples = {"ATBBKwFakesFMFbsb6quY9a3", "ATBBKwFakegfpYGHe3hH78uPggdz7omPIyLuaz7XFhkU"},
      .reference = "https://support.atlassian.com/bitbucket-cloud/docs/app-passwords/",
  });
  rules.push_back({
      .id = "bitbucket.repository_access_token",
      .name = "Bitbucket repository, project or workspace access token",
      .service = "Bitbucket",
      .category = Category::source_control,
      .pattern = R"(\b(ATCTT3xFfGN0[A-Za-z0-9_=-]{100,300}=[A-Fa-f0-9]{8})(?:[^A-Za-z0-9_=-]|$))",
      .max_match_length = 330,
      .redact_prefix = 12,
      .examples = {"BITBUCKET_ACCESS_TOKEN=ATCTT3xFfGN0KwFake46tKy-BY8hcs6oqNJZnZnqTgXkx6Gs7fwHmUA2usQ7gDqA0DjBx-QXHHRfNKJaQ8KNuwP9xSX3G1pG5xDV_EMhRdR19oBM7u2bUf6tbuFxZm1Bv4NH1DdP2HWI3c3Qq8M-edq66E1nUl0IPsJrGVvrhg5yWmGgCvApMIJEQE15o63w=F9EC5460"},
      .negative_examples = {"ATCTT3xFfGN0KwFakePi0ov5xlmvg0af_8VcigM0ZsvCHm0CsW6Y=C8554E66"},
      .reference = "https://support.atlassian.com/bitbucket-cloud/docs/access-tokens/",
  });
  rules.push_back({
      .id = "sourcegraph.access_token",
      .name = "Sourcegraph access token",
      .service = "Sourcegraph",
      .category = Category::source_control,
      .pattern = R"(\b(sgp_(?:(?:[a-f0-9]{16}|local)_)?[a-f0-9]{40})\b)",
      .max_match_length = 64,
      .redact_prefix = 4,
      .examples = {"SRC_ACCESS_TOKEN=sgp_c39e2a725e5a48e4_861822bca926a6573f6822046926c6bf69e151c4", "SRC_ACCESS_TOKEN=sgp_local_f527da1f7d4781e511726afe01d1245aea2d8886"},
      .negative_examples = {"sgp_3828c8913d36bc60dba5b6d63b508b", "sgp_KwFakeMXtsxXGTkRxLfN9TYk1GeEcpdvrVV0Kr7u"},
      .reference = "https://sourcegraph.com/docs/cli/how-tos/creating_an_access_token",
  });
  rules.push_back({
      .id = "gitea.access_token",
      .name = "Gitea or Forgejo access token",
      .service = "Gitea",
      .category = Category::source_control,
      .pattern = R"((?i:gitea|forgejo)[A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{40})\b)",
      .max_match_length = 100,
      .min_entropy = 3.0,
      .examples = {"GITEA_TOKEN=f9e74ec1d8ef3df24c6cec15d5775947cd306ecf"},
      .negative_examples = {"GITEA_TOKEN=fb8a935b74a9765b05624d5ad5c01e73", "GITEA_COMMIT=15f686fbcdb3130049ad091ad19c005e7268c670"},
      .reference = "https://docs.gitea.com/development/api-usage",
  });
}

}  // namespace keyward::secrets
