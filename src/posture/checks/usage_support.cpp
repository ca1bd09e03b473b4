#include "posture/checks/usage_support.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Words that name a CI system, and the system's name for evidence.
const std::map<std::string, std::string, std::less<>>& ci_words() {
  static const std::map<std::string, std::string, std::less<>> words = {
      {"github", "GitHub Actions"},   {"gha", "GitHub Actions"},       {"gitlab", "GitLab CI"},
      {"circleci", "CircleCI"},       {"jenkins", "Jenkins"},          {"bitbucket", "Bitbucket Pipelines"},
      {"buildkite", "Buildkite"},     {"travis", "Travis CI"},         {"teamcity", "TeamCity"},
      {"bamboo", "Bamboo"},           {"azdo", "Azure Pipelines"},     {"codefresh", "Codefresh"},
      {"drone", "Drone CI"},          {"ci", "a CI system"},           {"cicd", "a CI system"},
  };
  return words;
}

const std::set<std::string, std::less<>> kProductionWords = {"prod", "production", "prd"};
const std::set<std::string, std::less<>> kNonProductionWords = {
    "dev", "develop", "development", "staging", "stage", "stg", "test", "testing",
    "qa",  "uat",     "sandbox",     "sbx",     "nonprod", "preprod", "demo"};

}  // namespace

std::vector<std::string> name_tokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : text) {
    if (is_alnum(c)) {
      current.push_back(lower(c));
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

std::string ci_system_named_in(std::string_view text) {
  const std::vector<std::string> tokens = name_tokens(text);
  std::string generic;
  for (const auto& token : tokens) {
    auto found = ci_words().find(token);
    if (found == ci_words().end()) continue;
    // A named system wins over the generic "ci": "ci-github" is GitHub Actions.
    if (token != "ci" && token != "cicd") return found->second;
    generic = found->second;
  }
  return generic;
}

std::string ci_system_of_family(std::string_view family) {
  static const std::map<std::string, std::string, std::less<>> families = {
      {"github-actions", "GitHub Actions"}, {"gitlab-runner", "GitLab CI"},   {"circleci", "CircleCI"},
      {"jenkins", "Jenkins"},               {"bitbucket-pipelines", "Bitbucket Pipelines"},
      {"buildkite", "Buildkite"},           {"azure-pipelines", "Azure Pipelines"},
  };
  auto found = families.find(family);
  return found == families.end() ? std::string() : found->second;
}

std::string_view to_string(Environment environment) {
  switch (environment) {
    case Environment::production:
      return "production";
    case Environment::non_production:
      return "non-production";
    case Environment::unknown:
      break;
  }
  return "unknown";
}

Environment environment_of_text(std::string_view text) {
  const std::vector<std::string> tokens = name_tokens(text);
  bool production = false;
  bool non_production = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    // "non-prod" and "non_prod" split into "non" and "prod".
    if (tokens[i] == "non" && i + 1 < tokens.size() && kProductionWords.count(tokens[i + 1])) {
      non_production = true;
      ++i;
      continue;
    }
    if (kProductionWords.count(tokens[i])) production = true;
    if (kNonProductionWords.count(tokens[i])) non_production = true;
  }
  if (production == non_production) return Environment::unknown;
  return production ? Environment::production : Environment::non_production;
}

EnvironmentLabel environment_of_tags(const nlohmann::json& tags) {
  if (!tags.is_object()) return {};
  for (const auto& [key, value] : tags.items()) {
    std::string normalized;
    for (char c : key) {
      if (c != '-' && c != '_' && c != ':') normalized.push_back(lower(c));
    }
    if (normalized != "env" && normalized != "environment" && normalized != "stage" &&
        normalized != "deploymentenvironment") {
      continue;
    }
    if (!value.is_string()) continue;
    const Environment environment = environment_of_text(value.get<std::string>());
    if (environment != Environment::unknown) {
      return {environment, fmt::format("tag {}={}", key, value.get<std::string>())};
    }
  }
  return {};
}

bool is_asn_network(std::string_view network) {
  if (network.size() < 3 || network.substr(0, 2) != "AS") return false;
  return std::all_of(network.begin() + 2, network.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string client_toolchain(std::string_view family) {
  if (family.empty() || family == "unknown" || family == "other" || family == "aws-console" ||
      family == "aws-service" || family == "cloudformation" || ends_with(family, ".amazonaws.com") ||
      starts_with(family, "aws-internal")) {
    return {};
  }
  if (starts_with(family, "aws-cli") || starts_with(family, "aws-sdk-python")) return "botocore";
  if (starts_with(family, "terraform") || starts_with(family, "pulumi") || starts_with(family, "aws-sdk-go")) {
    return "aws-sdk-go";
  }
  return std::string(family);
}

SecretFingerprint secret_fingerprint(const core::Credential& credential) {
  if (!credential.fingerprint.empty()) return {credential.fingerprint, "secret fingerprint"};
  auto text = [&](const char* key) {
    auto found = credential.attributes.find(key);
    return found != credential.attributes.end() && found->is_string() ? found->get<std::string>() : std::string();
  };
  if (std::string value = text("key_fingerprint"); !value.empty()) return {value, "SSH key fingerprint"};
  if (credential.kind == "entra_certificate") {
    if (std::string value = text("custom_key_identifier"); !value.empty()) return {value, "certificate thumbprint"};
  }
  return {};
}

const core::Credential* find_credential(const Inventory& inventory, std::string_view identity_id,
                                        std::string_view credential_id) {
  auto list = inventory.credentials.find(std::string(identity_id));
  if (list == inventory.credentials.end()) return nullptr;
  for (const auto& credential : list->second) {
    if (credential.id == credential_id) return &credential;
  }
  return nullptr;
}

bool is_inactive_credential(const core::Credential& credential) {
  return credential.status == "inactive" || credential.status == "deleted" || credential.status == "expired" ||
         credential.status == "revoked" || credential.status == "disabled";
}

std::string display_name(const core::Identity& identity) { return identity.name.empty() ? identity.id : identity.name; }

std::vector<std::string> revoke_credential_steps(const core::Identity& identity, const core::Credential& credential) {
  const std::string& kind = credential.kind;
  const std::string name = display_name(identity);

  if (kind == "aws_access_key") {
    return {access_key_command(identity, credential, "update-access-key", "--status Inactive"),
            "# once nothing has failed for a while:",
            access_key_command(identity, credential, "delete-access-key")};
  }

  if (kind == "aws_console_password") return {fmt::format("aws iam delete-login-profile --user-name {}", identity.name)};

  if (kind == "gcp_service_account_key") {
    return {fmt::format("gcloud iam service-accounts keys disable {} --iam-account={}", credential.id, identity.id),
            "# once nothing has failed for a while:",
            fmt::format("gcloud iam service-accounts keys delete {} --iam-account={}", credential.id, identity.id)};
  }

  if (kind == "entra_client_secret" || kind == "entra_certificate") {
    const char* certificate_flag = kind == "entra_certificate" ? " --cert" : "";
    return {fmt::format("az ad app credential delete --id {} --key-id {}{}", identity.id, credential.id, certificate_flag),
            "# a credential of the service principal itself (not of the app registration):",
            fmt::format("az ad sp credential delete --id {} --key-id {}{}", identity.id, credential.id, certificate_flag)};
  }

  if (kind == "entra_federated_credential") {
    return {fmt::format("az ad app federated-credential delete --id {} --federated-credential-id {}", identity.id,
                        credential.id)};
  }

  if (kind == "okta_ssws_token") {
    return {fmt::format("curl -X DELETE -H \"Authorization: SSWS $OKTA_API_TOKEN\" "
                        "\"https://$OKTA_DOMAIN/api/v1/api-tokens/{}\"",
                        credential.id),
            "# or Okta Admin Console > Security > API > Tokens > Revoke"};
  }

  if (kind == "okta_client_secret") {
    return {fmt::format("Okta Admin Console > Applications > Applications > {} > General > Client Credentials > "
                        "Generate new secret, then deactivate and delete the old secret",
                        name)};
  }

  if (kind == "github_deploy_key") {
    const std::string repository = identity.attributes.value("repository", "<OWNER>/<REPO>");
    const std::string key_id = credential.id.substr(credential.id.find(':') + 1);
    return {fmt::format("gh api -X DELETE /repos/{}/keys/{}", repository, key_id)};
  }

  if (kind == "github_pat_fine_grained") {
    const std::string token_id = credential.id.substr(credential.id.find(':') + 1);
    return {fmt::format("gh api -X POST /orgs/{}/personal-access-tokens -f action=revoke -F 'pat_ids[]={}'",
                        identity.account.empty() ? "<ORG>" : identity.account, token_id)};
  }

  if (starts_with(kind, "github_")) {
    return {"gh api --paginate /orgs/<ORG>/credential-authorizations  # find the credential_id of this token or key",
            "gh api -X DELETE /orgs/<ORG>/credential-authorizations/<CREDENTIAL_ID>"};
  }

  if (kind == "snowflake_password") return {fmt::format("ALTER USER {} UNSET PASSWORD;", identity.id)};

  if (kind == "snowflake_rsa_key") {
    return {fmt::format("ALTER USER {} SET RSA_PUBLIC_KEY_2 = '<NEW_PUBLIC_KEY>';", identity.id),
            "# once every client uses the new key pair:",
            fmt::format("ALTER USER {} UNSET RSA_PUBLIC_KEY;", identity.id)};
  }

  if (kind == "salesforce_oauth_token") {
    return {fmt::format("Salesforce Setup > Connected Apps OAuth Usage > {} > User Count > Revoke for {}", name,
                        credential.attributes.value("user", "the user"))};
  }
  return {fmt::format("revoke {} {} of {} in the {} admin console", kind, credential.id, name, identity.platform)};
}

}  // namespace keyward::posture
