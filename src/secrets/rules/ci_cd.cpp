// CI/CD, build and code-quality services: CircleCI, Travis CI, Buildkite, Jenkins, Codecov, Snyk,
// SonarQube, Octopus Deploy, Harness and Postman.

#include "secrets/rules/rule_lists.hpp"

namespace keyward::secrets {
namespace {

void add_build_service_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "circleci.token",
      .name = "CircleCI personal or project API token",
      .service = "CircleCI",
      .category = Category::ci_cd,
      .pattern = R"(\b(CCIP(?:AT|RJ)_[A-Za-z0-9]{22}_[a-f0-9]{40})\b)",
      .max_match_length = 72,
      .redact_prefix = 7,
      .examples = {"CIRCLECI_TOKEN=CCIPAT_KwFakeMTKZ3twZfCHmFMAd_0cf73853993c43591744ebe32c25cc300e044297", "CCIPRJ_KwFake7tXqSsWOUD2laf23_a31db7c107b26afd944ca1136693e9c4bd15a9e8"},
      .negative_examples = {"CCIPAT_KwFakegp8miOoLPPli0ARk_e45f714464c60563f95e", "CCIXYZ_KwFakelp9Mgby0VIpQOkAa_879ea73f6813919ec004cad92cb42fe076297f19"},
      .reference = "https://circleci.com/docs/managing-api-tokens/",
  });
  rules.push_back({
      .id = "circleci.token_legacy",
      .name = "CircleCI API token (40-hex format)",
      .service = "CircleCI",
      .category = Category::ci_cd,
      .pattern = R"((?i:circle)[A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{40})\b)",
      .max_match_length = 100,
      .min_entropy = 3.0,
      .examples = {"CIRCLE_TOKEN=0ecfb053820ce53d91edbb15864156da549b93da"},
      .negative_examples = {"CIRCLE_SHA1=aa3f96d4fc75b6df1f54f629a27b8b4b66f5b443", "CIRCLE_TOKEN=38e1b8ef7cc5218d9e6c37c9f8699d84"},
      .reference = "https://circleci.com/docs/managing-api-tokens/",
  });
  rules.push_back({
      .id = "travis.api_token",
      .name = "Travis CI API token",
      .service = "Travis CI",
      .category = Category::ci_cd,
      .pattern = R"((?i:travis)[A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9_-]{22})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 80,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"TRAVIS_API_TOKEN=KwFakeXDtQAHqC_MYsXMOf"},
      .negative_examples = {"TRAVIS_API_TOKEN=KwFakex00MZ7RXDH", "TRAVIS_BUILD_ID=KwFake5nIfWUmaiTx9xHBq"},
      .reference = "https://docs.travis-ci.com/user/triggering-builds/",
  });
  rules.push_back({
      .id = "buildkite.api_token",
      .name = "Buildkite API access token",
      .service = "Buildkite",
      .category = Category::ci_cd,
      .pattern = R"(\b(bkua_[a-f0-9]{40})\b)",
      .max_match_length = 45,
      .redact_prefix = 5,
      .examples = {"BUILDKITE_API_TOKEN=bkua_8cdcd7c01124725bf9c9a2b060676a2c064ee708"},
      .negative_examples = {"bkua_17dd8e66ce434458c517e5053887a3b5", "bkua_KwFake8H5dkjEZ3mOHtv4rYe9i7Vv5yEC2hgyxpy"},
      .reference = "https://buildkite.com/docs/apis/managing-api-tokens",
  });
  rules.push_back({
      .id = "jenkins.api_token",
      .name = "Jenkins API token",
      .service = "Jenkins",
      .category = Category::ci_cd,
      .pattern = R"((?i:jenkins)[A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?((?:11)?[0-9a-f]{32})\b)",
      .max_match_length = 100,
      .min_entropy = 3.0,
      .examples = {"JENKINS_API_TOKEN=115ae28999bdb409ca3a24d7422f771ef1", "jenkins_token: 2dac11fae3fb60ff72ea79da3f52739f"},
      .negative_examples = {"JENKINS_API_TOKEN=56672020051266b6547c", "JENKINS_URL=15f73b751a8192c844ff16ac93c2f662"},
      .reference = "https://www.jenkins.io/doc/book/system-administration/authenticating-scripted-clients/",
  });
}

void add_quality_and_deploy_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "codecov.upload_token",
      .name = "Codecov upload token",
      .service = "Codecov",
      .category = Category::ci_cd,
      .pattern = R"((?i:codecov)[A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b)",
      .max_match_length = 100,
      .min_entropy = 3.0,
      .examples = {"CODECOV_TOKEN=0fc03d83-2ac5-4001-b44e-94c8da50fc5b"},
      .negative_examples = {"CODECOV_TOKEN=c5eb64fc4731cf69605c3b8623067609", "CODECOV_URL=7ecc4e96-93dc-4fc8-a5d6-72182c14e43d"},
      .reference = "https://docs.codecov.com/docs/adding-the-codecov-token",
  });
  rules.push_back({
      .id = "snyk.api_token",
      .name = "Snyk API token",
      .service = "Snyk",
      .category = Category::ci_cd,
      .pattern = R"((?i:snyk)[A-Za-z0-9_.-]{0,24}(?i:token|key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b)",
      .max_match_length = 100,
      .min_entropy = 3.0,
      .examples = {"SNYK_TOKEN=bbcee131-7a61-464a-95e7-a06fe61ee0f9"},
      .negative_examples = {"SNYK_ORG_ID=84eb2dd9-06ad-44b9-8c0f-0848e3dd05b6", "SNYK_TOKEN=75c2c4029635a9700064892a874aef63"},
      .reference = "https://docs.snyk.io/snyk-api/authentication-for-api",
  });
  rules.push_back({
      .id = "sonarqube.token",
      .name = "SonarQube or SonarCloud token",
      .service = "SonarQube",
      .category = Category::ci_cd,
      .pattern = R"(\b(sq[pua]_[a-f0-9]{40})\b)",
      .max_match_length = 44,
      .redact_prefix = 4,
      .examples = {"SONAR_TOKEN=squ_7f83b67e3ad22e4de464ede07956baa11870cebe", "sonar.token=sqp_d00c0b3b90d7ddc01afcb378f1588c8b1e8f0cb6", "SONAR_TOKEN=sqa_706f4becd2fd20f26d1cb19b2e6175a03eb20835"},
      .negative_examples = {"sqx_35fa3e00cefda10b9b11467c3a2ff11ad70793e9", "squ_39e13315c13afbcccf0022a1ab9e92"},
      .reference = "https://docs.sonarsource.com/sonarqube-server/latest/user-guide/managing-tokens/",
  });
}

void add_deploy_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "octopus.api_key",
      .name = "Octopus Deploy API key",
      .service = "Octopus Deploy",
      .category = Category::ci_cd,
      .pattern = R"(\b(API-[A-Z0-9]{26,27})\b)",
      .max_match_length = 32,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"OCTOPUS_API_KEY=API-KWFAKEQWOXGIHGI4RD8H9FUYXK"},
      .negative_examples = {"API-KWFAKE4HXD5XS0HH", "API-kwfaketb4uuat0a6bosenzjus7"},
      .reference = "https://octopus.com/docs/octopus-rest-api/how-to-create-an-api-key",
  });
  rules.push_back({
      .id = "harness.api_key",
      .name = "Harness personal or service account token",
      .service = "Harness",
      .category = Category::ci_cd,
      .pattern = R"(\b((?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20})\b)",
      .max_match_length = 72,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"HARNESS_API_KEY=pat.ZtOBldqNVWKcr1Z_any0k8.KwFake5jzhbFyvRRXgJNHnuc.KwFakeV8b4aCEAAWuBmz"},
      .negative_examples = {"pat.gfksk_eN3ee7lsbOOLKkWH.KwFakeWfxoyVQzoe1hLklKPf", "pot.sgTPO5Ab0RbVt_C5FKNDpe.KwFakeSfnDQMW7GFl2sYaywU.KwFake1sV3Y9XIziRQIe"},
      .reference = "https://developer.harness.io/docs/platform/automation/api/add-and-manage-api-keys/",
  });
  rules.push_back({
      .id = "postman.api_key",
      .name = "Postman API key",
      .service = "Postman",
      .category = Category::ci_cd,
      .pattern = R"(\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b)",
      .max_match_length = 64,
      .redact_prefix = 5,
      .examples = {"X-Api-Key: PMAK-89323238dfba3ffb351a216d-06afaad524287bd1502b6070aeda00d609"},
      .negative_examples = {"PMAK-4898d71050c6c29fee4ef23f", "PMAK-9565bd620cefbef4f0c72490-f94601e971c0810e8dc4"},
      .reference = "https://learning.postman.com/docs/developer/postman-api/authentication/",
  });
}

}  // namespace

void add_ci_cd_rules(std::vector<SecretRule>& rules) {
  add_build_service_rules(rules);
  add_quality_and_deploy_rules(rules);
  add_deploy_rules(rules);
}

}  // namespace keyward::secrets
