// Package registry tokens: npm, PyPI, RubyGems, NuGet, crates.io, Docker Hub, JFrog and Clojars.

#include "secrets/rules/rule_lists.hpp"
#include "secrets/validators/checksums.hpp"
#include "secrets/validators/structure.hpp"

namespace keyward::secrets {
namespace {

void add_language_registry_rules(std::vector<SecretRule>& rules) {
  // npm tokens follow GitHub's layout: 30 random base62 characters and a base62 CRC-32.
  rules.push_back({
      .id = "npm.access_token",
      .name = "npm access token",
      .service = "npm",
      .category = Category::package_registry,
      .pattern = R"(\b(npm_[A-Za-z0-9]{36})\b)",
      .max_match_length = 40,
      .validate = validate_underscore_token_checksum,
      .checksum = true,
      .redact_prefix = 4,
      .examples = {"//registry.npmjs.org/:_authToken=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"},
      .negative_examples = {"//registry.npmjs.org/:_authToken=npm_KwFakebUql2cao2UIbHsm7CKCJBwPE3FrVpA", "npm_KwFakeyY9w9Uwj1qENOV"},
      .reference = "https://github.blog/2021-09-23-announcing-npms-new-access-token-format/",
  });
  rules.push_back({
      .id = "npm.npmrc_auth_token",
      .name = "Registry auth token in an .npmrc file",
      .service = "npm",
      .category = Category::package_registry,
      .pattern = R"(:_authToken\s{0,4}=\s{0,4}["']?([A-Za-z0-9_.+/=-]{20,400})(?:[^A-Za-z0-9_.+/=-]|$))",
      .max_match_length = 420,
      .min_entropy = 3.0,
      .placeholder_filter = true,
      .examples = {"//npm.pkg.kwfake.invalid/:_authToken=5c87fd3f-80e1-493b-8c61-2713e884e3b2", "//registry.kwfake.invalid/repository/npm/:_authToken=NpmKey.KwFakehWRG7V09K+CUYwTwcHGPrVozFz3qFEFYo6"},
      .negative_examples = {"//registry.npmjs.org/:_authToken=${NPM_TOKEN}", "_authToken is documented in npm help npmrc"},
      .reference = "https://docs.npmjs.com/cli/v10/configuring-npm/npmrc",
  });
  // A PyPI token is a base64 macaroon whose first field is the location "pypi.org", so every token
  // starts "AgEIcHlwaS5vcmc". Tokens for test.pypi.org encode that location instead.
  rules.push_back({
      .id = "pypi.upload_token",
      .name = "PyPI API token",
      .service = "PyPI",
      .category = Category::package_registry,
      .pattern = R"(\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 1024,
      .validate = validate_pypi_token,
      .redact_prefix = 5,
      .examples = {"TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmcCQ3sidmVyc2lvbiI6IDEsICJwZXJtaXNzaW9ucyI6ICJ1c2VyIiwgIm5vdGUiOiAia2V5d2FyZCBmYWtlIHRva2VuIn0ABiArwhVUbKlBlf2rLlXOY67AC1M-AFufe-efGVOXRria7A", "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmcCQ3sidmVyc2lvbiI6IDEsICJwZXJtaXNzaW9ucyI6ICJ1c2VyIiwgIm5vdGUiOiAia2V5d2FyZCBmYWtlIHRva2VuIn0ABiArwhVUbKlBlf2rLlXOY67AC1M-AFufe-efGVOXRria7A\n"},
      .negative_examples = {"pypi-AgEIcHlwaS5vcmcKwFake4Q6864TNDPNIyP", "pypi-AgEIcHlwaS5vcmcKwFakejyaxF4KbAS1qNUX1AcjZ4V077GMtshAaRSKPqMUaxm7g27wuqU5KkkZ3KUoOb0AXM8BFkU_lZJ"},
      .reference = "https://pypi.org/help/#apitoken",
  });
  rules.push_back({
      .id = "pypi.test_upload_token",
      .name = "TestPyPI API token",
      .service = "PyPI",
      .category = Category::package_registry,
      .pattern = R"(\b(pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_-]{50,1000})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 1040,
      .validate = validate_pypi_token,
      .redact_prefix = 5,
      .examples = {"TWINE_PASSWORD=pypi-AgENdGVzdC5weXBpLm9yZwJDeyJ2ZXJzaW9uIjogMSwgInBlcm1pc3Npb25zIjogInVzZXIiLCAibm90ZSI6ICJrZXl3YXJkIGZha2UgdG9rZW4ifQAGICvCFVRsqUGV_asuVc5jrsALUz4AW597558ZU5dGuJrs"},
      .negative_examples = {"pypi-AgENdGVzdC5weXBpLm9yZwKwFakeSEd9Z1DqVGxFC5fKhvnZLr4VJJKYQrlxoxtuxoRxFZI7FI8snNCaeYTw0XwhMDkGMYKgFH8ERe"},
      .reference = "https://test.pypi.org/help/#apitoken",
  });
}

void add_other_language_registry_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "rubygems.api_key",
      .name = "RubyGems API key",
      .service = "RubyGems",
      .category = Category::package_registry,
      .pattern = R"(\b(rubygems_[a-f0-9]{48})\b)",
      .max_match_length = 58,
      .redact_prefix = 9,
      .examples = {"GEM_HOST_API_KEY=rubygems_0acd68285bbbc37144ebc4767ca97d7b9b8610c067bd5584", "---\n:rubygems_api_key: rubygems_809b97bc5287fecfe2991fc0bf206a7f1449fa4e6e49bd28\n"},
      .negative_examples = {"rubygems_9ecb4a1da03173230dd8801b3ebf585aa4709051", "rubygems_version_0d21a3888a0d8129c1ccdcb872d418e081e3c544cc08d72e"},
      .reference = "https://guides.rubygems.org/api-key-scopes/",
  });
  rules.push_back({
      .id = "nuget.api_key",
      .name = "NuGet.org API key",
      .service = "NuGet",
      .category = Category::package_registry,
      .pattern = R"(\b(oy2[a-z0-9]{43})\b)",
      .max_match_length = 46,
      .min_entropy = 3.5,
      .redact_prefix = 3,
      .examples = {"dotnet nuget push pkg.nupkg --api-key oy2kwfake0wo7pm3b9a9okeg73e9tonoy9xq7en665eolj --source https://api.nuget.org/v3/index.json"},
      .negative_examples = {"oy2kwfakeqx3sdqzuyd4xcffb3jpz03es", "oy2KwFakePpBrQ4PDdRiYb9NiihARvEl7F1qGYWHPABw03"},
      .reference = "https://learn.microsoft.com/en-us/nuget/nuget-org/scoped-api-keys",
  });
  rules.push_back({
      .id = "crates_io.api_token",
      .name = "crates.io API token",
      .service = "crates.io",
      .category = Category::package_registry,
      .pattern = R"(\b(cio[A-Za-z0-9]{32})\b)",
      .max_match_length = 35,
      .min_entropy = 3.5,
      .redact_prefix = 3,
      .examples = {"CARGO_REGISTRY_TOKEN=cioKwFakeesc9dkwBaZZN094ocle9tlb5sz"},
      .negative_examples = {"cioKwFake8kTWT5R61Ar6Ml", "cioKwFake1L3pX5oLD8jO5e3grP4Eq09neLV8hyfcEe"},
      .reference = "https://doc.rust-lang.org/cargo/reference/registry-authentication.html",
  });
  rules.push_back({
      .id = "clojars.deploy_token",
      .name = "Clojars deploy token",
      .service = "Clojars",
      .category = Category::package_registry,
      .pattern = R"(\b(CLOJARS_[a-z0-9]{60})\b)",
      .max_match_length = 68,
      .redact_prefix = 8,
      .examples = {"CLOJARS_PASSWORD=CLOJARS_kwfakeqtix426i64hcw5lrgbr7n5ua69mi8xaojlzrz3gmyauxpspgass5wf"},
      .negative_examples = {"CLOJARS_kwfakeo9lwrsi1pn9lyrps9j74i5whw5wayus39t", "CLOJARS_USERNAME"},
      .reference = "https://github.com/clojars/clojars-web/wiki/Deploy-Tokens",
  });
}

void add_artifact_store_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "dockerhub.pat",
      .name = "Docker Hub personal access token",
      .service = "Docker Hub",
      .category = Category::package_registry,
      .pattern = R"(\b(dckr_pat_[A-Za-z0-9_-]{27})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 40,
      .redact_prefix = 9,
      .examples = {"echo dckr_pat_KwFakeBSwp3Wuep9R1RqjfrnIMI | docker login -u kwfake --password-stdin"},
      .negative_examples = {"dckr_pat_KwFakejr5ws-tUOz81Ln", "dckr_pat_KwFakefp7rXVO9zCqUigbFkJDHB3cr"},
      .reference = "https://docs.docker.com/security/for-developers/access-tokens/",
  });
  rules.push_back({
      .id = "docker.config_auth",
      .name = "Registry credentials in a Docker config.json",
      .service = "Docker",
      .category = Category::package_registry,
      .pattern = R"re("auth"\s{0,4}:\s{0,4}"([A-Za-z0-9+/]{8,400}={0,2})")re",
      .max_match_length = 420,
      .validate = validate_basic_credentials,
      .examples = {R"({"auths": {"registry.kwfake.invalid": {"auth": "Y2ktcm9ib3Q6S3g5bVEydkw3cFJ6NFdmVA=="}}})"},
      .negative_examples = {R"({"auths": {"registry.kwfake.invalid": {"auth": "bm8tY29sb24taGVyZS1hdC1hbGw="}}})",
                            R"({"auths": {"registry.kwfake.invalid": {"auth": "Y2ktcm9ib3Q6Y2hhbmdlbWU="}}})"},
      .reference = "https://docs.docker.com/reference/cli/docker/login/",
  });
  rules.push_back({
      .id = "jfrog.api_key",
      .name = "JFrog Artifactory API key",
      .service = "JFrog",
      .category = Category::package_registry,
      .pattern = R"(\b(AKCp[A-Za-z0-9]{69})\b)",
      .max_match_length = 73,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"ARTIFACTORY_API_KEY=AKCpKwFakelFICpub7IYCREerIPgOeZUrjqhrZWp0KMmMe3Hsg3OadkFNKgWn1lon5KqryXpE"},
      .negative_examples = {"AKCpKwFakedmGQWxhsd271e4OjkwPg1lOYa6flC8UAUc", "AKCpKwFake6kswtp8tkzBHQd6pzPtTrhxfyFeXfcPiB78SgqUXk5dXIJEurYpSuUVpgg8PQUB0Ijm61kbFCc"},
      .reference = "https://jfrog.com/help/r/jfrog-platform-administration-documentation/api-key",
  });
  rules.push_back({
      .id = "jfrog.reference_token",
      .name = "JFrog reference token",
      .service = "JFrog",
      .category = Category::package_registry,
      .pattern = R"(\b(cmVmdGtuOj[A-Za-z0-9]{54})\b)",
      .max_match_length = 64,
      .min_entropy = 3.5,
      .redact_prefix = 10,
      .examples = {"JFROG_ACCESS_TOKEN=cmVmdGtuOjKwFakemLMWwKwCwGlUjL8OhZX0KrcWzOKt4shQKUaYgXXZUxrfGd9x"},
      .negative_examples = {"cmVmdGtuOjKwFakeI5R8vP8RBjj6cNQRlU2RLiII"},
      .reference = "https://jfrog.com/help/r/jfrog-platform-administration-documentation/access-tokens",
  });
}

}  // namespace

void add_package_registry_rules(std::vector<SecretRule>& rules) {
  add_language_registry_rules(rules);
  add_other_language_registry_rules(rules);
  add_artifact_store_rules(rules);
}

}  // namespace keyward::secrets
