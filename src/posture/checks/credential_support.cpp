#include "posture/checks/credential_support.hpp"

#include <fmt/format.h>

#include <set>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

const std::set<std::string, std::less<>> kInactiveStatuses = {"deleted",       "disabled", "inactive", "suspended",
                                                              "deprovisioned", "revoked",  "pending"};

std::string text_attribute(const nlohmann::json& attributes, std::string_view key) {
  auto found = attributes.find(std::string(key));
  if (found == attributes.end() || !found->is_string()) return {};
  return found->get<std::string>();
}

// Returns a string or number attribute as text, or "" when absent.
std::string scalar_attribute(const nlohmann::json& attributes, std::string_view key) {
  auto found = attributes.find(std::string(key));
  if (found == attributes.end()) return {};
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number()) return found->dump();
  return {};
}

std::string or_placeholder(const std::string& value, std::string_view placeholder) {
  return value.empty() ? std::string(placeholder) : value;
}

// Returns `id` without `prefix`, or `id` unchanged when it does not start with it.
std::string strip_prefix(const std::string& id, std::string_view prefix) {
  return id.rfind(prefix, 0) == 0 ? id.substr(prefix.size()) : id;
}

std::string_view kind_label(std::string_view kind) {
  if (kind == "gcp_service_account_key") return "service account key";
  if (kind == "entra_client_secret") return "client secret";
  if (kind == "entra_certificate") return "certificate";
  if (kind == "entra_federated_credential") return "federated credential";
  if (kind == "okta_ssws_token") return "API token";
  if (kind == "okta_client_secret") return "client secret";
  if (kind == "okta_client_jwk") return "client JSON Web Key";
  if (kind == "github_pat_classic") return "personal access token (classic)";
  if (kind == "github_pat_fine_grained") return "fine-grained personal access token";
  if (kind == "github_oauth_token") return "OAuth app token";
  if (kind == "github_app_user_token") return "GitHub App user token";
  if (kind == "github_ssh_key") return "SSH key";
  if (kind == "github_deploy_key") return "deploy key";
  if (kind == "salesforce_oauth_token") return "OAuth token";
  if (kind == "snowflake_password") return "password";
  if (kind == "snowflake_rsa_key") return "RSA key pair";
  if (kind == "aws_access_key") return "access key";
  return kind;
}

// The export field that fills Credential::last_used on each platform, for evidence.
std::string_view last_used_field(std::string_view kind) {
  if (kind == "github_pat_fine_grained") return "token_last_used_at";
  if (kind == "github_deploy_key") return "last_used";
  if (kind == "github_pat_classic" || kind == "github_oauth_token" || kind == "github_app_user_token" ||
      kind == "github_ssh_key") {
    return "credential_accessed_at";
  }
  if (kind == "salesforce_oauth_token") return "LastUsedDate";
  return "last used";
}

std::string_view identity_last_used_field(const core::Identity& identity) {
  if (identity.kind == "okta_user") return "lastLogin";
  if (identity.kind == "salesforce_integration_user") return "LastLoginDate";
  if (identity.platform == "snowflake") return "last_success_login";
  if (identity.kind == "github_pat_fine_grained") return "token_last_used_at";
  if (identity.kind == "github_deploy_key") return "last_used";
  if (identity.kind == "salesforce_connected_app") return "latest LastUsedDate of its tokens";
  return "last used";
}

void keep_later(UseRecord& use, const std::optional<core::UnixTime>& time, std::string_view field) {
  if (time && (!use.time || *time > *use.time)) {
    use.time = time;
    use.field = std::string(field);
  }
}

std::string joined(const std::vector<std::string>& values, size_t limit) {
  std::string text;
  for (size_t i = 0; i < values.size() && i < limit; ++i) text += (i ? ", " : "") + values[i];
  if (values.size() > limit) text += fmt::format(" and {} more", values.size() - limit);
  return text;
}

std::string okta_api(std::string_view method, std::string_view path) {
  return fmt::format("curl -X {} -H \"Authorization: SSWS $OKTA_API_TOKEN\" \"https://$OKTA_DOMAIN{}\"", method, path);
}

std::string snowflake_user(const core::Identity& identity) { return fmt::format("\"{}\"", identity.id); }

// The organization of a GitHub record: the identity's account, else a placeholder, because the
// credential authorizations output does not name its organization.
std::string github_org(const core::Identity& identity) { return or_placeholder(identity.account, "ORG"); }

std::vector<std::string> github_personal_steps(const core::Identity& identity, const core::Credential& credential) {
  const std::string org = github_org(identity);
  const std::string owner = or_placeholder(identity.owner, "the holder");
  if (credential.kind == "github_pat_fine_grained") {
    const std::string grant = or_placeholder(scalar_attribute(identity.attributes, "grant_id"), "PAT_ID");
    return {fmt::format("Organization owner: github.com/organizations/{}/settings/personal-access-tokens/active > {} > "
                        "Revoke",
                        org, or_placeholder(identity.name, credential.id)),
            fmt::format("or, from a GitHub App with the organization permission Personal access tokens (write): gh api "
                        "-X POST /orgs/{}/personal-access-tokens/{} -f action=revoke",
                        org, grant),
            fmt::format("{}: Settings > Developer settings > Personal access tokens > Fine-grained tokens > Delete",
                        owner)};
  }
  const std::string sso_id = scalar_attribute(identity.attributes, "sso_credential_id");
  std::vector<std::string> steps = {fmt::format(
      "Organization owner, removes the SAML SSO authorization so the credential no longer reaches {}: gh api -X "
      "DELETE /orgs/{}/credential-authorizations/{}",
      org, org, or_placeholder(sso_id, "CREDENTIAL_ID"))};
  if (credential.kind == "github_pat_classic") {
    steps.push_back(fmt::format("{}: Settings > Developer settings > Personal access tokens > Tokens (classic) > Delete", owner));
  } else if (credential.kind == "github_ssh_key") {
    steps.push_back(fmt::format("{}: Settings > SSH and GPG keys > Delete", owner));
  } else if (credential.kind == "github_oauth_token") {
    steps.push_back(fmt::format("{}: Settings > Applications > Authorized OAuth Apps > Revoke", owner));
  } else if (credential.kind == "github_app_user_token") {
    steps.push_back(fmt::format("{}: Settings > Applications > Authorized GitHub Apps > Revoke", owner));
  }
  return steps;
}

std::string entra_command(const core::Credential& credential, std::string_view verb, const core::Identity& identity) {
  const bool on_service_principal = text_attribute(credential.attributes, "object") == "service_principal";
  const bool certificate = credential.kind == "entra_certificate";
  return fmt::format("az ad {} credential {} --id {}{}", on_service_principal ? "sp" : "app", verb, identity.id,
                     certificate ? " --cert" : "");
}

}  // namespace

bool is_inactive_status(std::string_view status) { return kInactiveStatuses.count(status) > 0; }

std::string describe_credential(const core::Credential& credential) {
  std::string text = fmt::format("{} {}", kind_label(credential.kind), credential.id);
  std::vector<std::string> details;
  for (const char* key : {"display_name", "name", "token_redacted", "key_fingerprint"}) {
    const std::string value = text_attribute(credential.attributes, key);
    if (!value.empty()) details.push_back(value);
  }
  if (const std::string hint = text_attribute(credential.attributes, "hint"); !hint.empty()) {
    details.push_back(fmt::format("hint {}", hint));
  }
  if (const std::string user = text_attribute(credential.attributes, "user"); !user.empty()) {
    details.push_back(fmt::format("user {}", user));
  }
  if (!details.empty()) text += fmt::format(" ({})", joined(details, 3));
  return text;
}

UseRecord credential_last_use(const core::Credential& credential, const Inventory& inventory) {
  UseRecord use;
  keep_later(use, credential.last_used, last_used_field(credential.kind));
  if (auto activity = inventory.activity_by_credential.find(credential.id); activity != inventory.activity_by_credential.end()) {
    keep_later(use, activity->second.last_seen, fmt::format("{} activity last seen", credential.platform));
  }
  return use;
}

UseRecord identity_last_use(const core::Identity& identity, const Inventory& inventory) {
  UseRecord use;
  keep_later(use, identity.last_used, identity_last_used_field(identity));
  if (auto activity = inventory.activity_by_identity.find(identity.id); activity != inventory.activity_by_identity.end()) {
    keep_later(use, activity->second.last_seen, fmt::format("{} activity last seen", identity.platform));
  }
  return use;
}

std::vector<std::string> usage_check_first(const Inventory& inventory, const core::Identity& identity,
                                           const core::Credential* credential) {
  std::vector<std::string> lines;
  const ActivityProfile* profile = nullptr;
  if (credential) {
    if (auto found = inventory.activity_by_credential.find(credential->id); found != inventory.activity_by_credential.end()) {
      profile = &found->second;
    }
  }
  if (!profile) {
    if (auto found = inventory.activity_by_identity.find(identity.id); found != inventory.activity_by_identity.end()) {
      profile = &found->second;
    }
  }
  const UseRecord use = credential ? credential_last_use(*credential, inventory) : identity_last_use(identity, inventory);
  if (use.time) {
    lines.push_back(fmt::format("Last use: {} ({}).", core::format_time(*use.time), use.field));
  } else {
    lines.push_back("No ingested export or log records a use; confirm on the platform before relying on that.");
  }
  if (profile && profile->events > 0) {
    if (!profile->networks.empty()) {
      lines.push_back(fmt::format("Networks that used it: {}. Find the hosts or pipelines behind them.",
                                  joined(profile->networks, 5)));
    }
    if (!profile->user_agent_families.empty()) {
      lines.push_back(fmt::format("Clients that used it: {}.", joined(profile->user_agent_families, 5)));
    }
  }
  return lines;
}

const std::vector<core::Credential>& credentials_of(const Inventory& inventory, const core::Identity& identity) {
  static const std::vector<core::Credential> kNone;
  auto found = inventory.credentials.find(identity.id);
  return found == inventory.credentials.end() ? kNone : found->second;
}

std::vector<std::string> revoke_steps(const core::Identity& identity, const core::Credential& credential) {
  const std::string& kind = credential.kind;
  if (kind == "aws_access_key") return {deactivate_then_delete(identity, credential)};
  if (kind == "gcp_service_account_key") {
    const std::string project = or_placeholder(text_attribute(credential.attributes, "project"), identity.account);
    return {fmt::format("gcloud iam service-accounts keys disable {} --iam-account={} --project={}", credential.id,
                        identity.id, project),
            fmt::format("once nothing has failed: gcloud iam service-accounts keys delete {} --iam-account={} --project={}",
                        credential.id, identity.id, project)};
  }
  if (kind == "entra_client_secret" || kind == "entra_certificate") {
    return {fmt::format("{} --key-id {}", entra_command(credential, "delete", identity), credential.id),
            fmt::format("or Microsoft Entra admin center > App registrations > {} > Certificates & secrets > Delete",
                        or_placeholder(identity.name, identity.id))};
  }
  if (kind == "entra_federated_credential") {
    return {fmt::format("az ad app federated-credential delete --id {} --federated-credential-id {}", identity.id,
                        credential.id)};
  }
  if (kind == "okta_ssws_token") {
    return {fmt::format("Okta Admin Console: Security > API > Tokens > {} > Revoke", or_placeholder(identity.name, credential.id)),
            "or " + okta_api("DELETE", fmt::format("/api/v1/api-tokens/{}", credential.id))};
  }
  if (kind == "okta_client_secret") {
    const std::string app = credential.identity_id;
    return {fmt::format("Okta Admin Console: Applications > Applications > {} > General > Client Credentials: "
                        "deactivate, then delete the secret",
                        or_placeholder(identity.name, app)),
            "or " + okta_api("GET", fmt::format("/api/v1/apps/{}/credentials/secrets", app)) +
                "  # SECRET_ID is the secret to remove",
            okta_api("POST", fmt::format("/api/v1/apps/{}/credentials/secrets/SECRET_ID/lifecycle/deactivate", app)),
            okta_api("DELETE", fmt::format("/api/v1/apps/{}/credentials/secrets/SECRET_ID", app))};
  }
  if (kind == "okta_client_jwk") {
    const std::string app = credential.identity_id;
    const std::string key = strip_prefix(credential.id, app + "#jwk:");
    return {okta_api("POST", fmt::format("/api/v1/apps/{}/credentials/jwks/{}/lifecycle/deactivate", app, key)),
            okta_api("DELETE", fmt::format("/api/v1/apps/{}/credentials/jwks/{}", app, key))};
  }
  if (kind == "github_deploy_key") {
    const std::string repository = or_placeholder(text_attribute(identity.attributes, "repository"), "OWNER/REPO");
    return {fmt::format("gh repo deploy-key delete {} --repo {}", strip_prefix(credential.id, "deploy-key:"), repository)};
  }
  if (kind.rfind("github_", 0) == 0) return github_personal_steps(identity, credential);
  if (kind == "salesforce_oauth_token") {
    // OauthToken supports only query(); a token is revoked in Setup or with its DeleteToken,
    // which keyward never reads.
    return {fmt::format("Salesforce Setup > Apps > Connected Apps > Connected Apps OAuth Usage > {} > User Count: "
                        "Revoke for {}",
                        or_placeholder(identity.name, identity.id),
                        or_placeholder(text_attribute(credential.attributes, "user"), "the user"))};
  }
  if (kind == "snowflake_password") return {fmt::format("ALTER USER {} UNSET PASSWORD;", snowflake_user(identity))};
  if (kind == "snowflake_rsa_key") {
    return {fmt::format("ALTER USER {} UNSET RSA_PUBLIC_KEY;", snowflake_user(identity)),
            fmt::format("ALTER USER {} UNSET RSA_PUBLIC_KEY_2;", snowflake_user(identity))};
  }
  // TODO: no revocation step is known for this credential kind yet.
  return {fmt::format("Revoke {} of {} on {}.", describe_credential(credential), identity.name, identity.platform)};
}

std::vector<std::string> disable_identity_steps(const core::Identity& identity,
                                                const std::vector<core::Credential>& credentials) {
  const std::string& kind = identity.kind;
  const std::string name = or_placeholder(identity.name, identity.id);
  if (kind == "entra_managed_identity") {
    return {fmt::format("Azure portal: open the resource in alternative_names of {}, Identity: turn the system-assigned "
                        "identity off, or remove the user-assigned identity",
                        name)};
  }
  if (identity.platform == "entra") {
    return {fmt::format("az ad sp update --id {} --set accountEnabled=false", identity.id),
            fmt::format("once nothing has failed: az ad sp delete --id {}", identity.id)};
  }
  if (kind == "okta_service_app" || kind == "okta_app") {
    return {fmt::format("Okta Admin Console: Applications > Applications > {} > Deactivate", name),
            "or " + okta_api("POST", fmt::format("/api/v1/apps/{}/lifecycle/deactivate", identity.id))};
  }
  if (kind == "okta_user") {
    return {fmt::format("Okta Admin Console: Directory > People > {} > More Actions > Deactivate", name),
            "or " + okta_api("POST", fmt::format("/api/v1/users/{}/lifecycle/deactivate", identity.id))};
  }
  if (kind == "workspace_oauth_app" || kind == "workspace_marketplace_app") {
    return {fmt::format("Google Admin console: Security > Access and data control > API controls > Manage Third-Party "
                        "App Access > {} > Change access > Blocked",
                        name),
            fmt::format("gam all users delete tokens clientid {}", identity.id)};
  }
  if (kind == "salesforce_integration_user") {
    return {fmt::format("sf data update record --target-org ORG --sobject User --where \"Username='{}'\" --values "
                        "\"IsActive=false\"",
                        identity.id),
            "or Salesforce Setup > Users > Users > Edit: clear Active"};
  }
  if (identity.platform == "snowflake") {
    return {fmt::format("ALTER USER {} SET DISABLED = TRUE;", snowflake_user(identity)),
            fmt::format("once nothing has failed: DROP USER {};", snowflake_user(identity))};
  }
  std::vector<std::string> steps;
  for (const auto& credential : credentials) {
    if (is_inactive_status(credential.status)) continue;
    for (auto& step : revoke_steps(identity, credential)) steps.push_back(std::move(step));
  }
  if (steps.empty()) steps.push_back(fmt::format("Disable {} on {}, wait for failures, then delete it.", name, identity.platform));
  return steps;
}

std::vector<std::string> rotate_steps(const core::Identity& identity, const core::Credential& credential,
                                      int lifetime_days, core::UnixTime as_of) {
  const std::string end_date = core::format_date(as_of + static_cast<core::UnixTime>(lifetime_days) * core::kSecondsPerDay);
  const std::string& kind = credential.kind;
  std::vector<std::string> steps;
  if (kind == "gcp_service_account_key") {
    const std::string project = or_placeholder(text_attribute(credential.attributes, "project"), identity.account);
    steps.push_back(fmt::format("Prefer workload identity federation or an attached service account; otherwise: gcloud "
                                "iam service-accounts keys create new-key.json --iam-account={} --project={}",
                                identity.id, project));
    steps.push_back("Move every consumer to the new key file, then remove the old key:");
    for (auto& step : revoke_steps(identity, credential)) steps.push_back(std::move(step));
    steps.push_back(fmt::format("Limit key lifetime for the organization with the policy constraint "
                                "iam.serviceAccountKeyExpiryHours (IAM & Admin > Organization Policies)"));
    return steps;
  }
  if (kind == "entra_client_secret" || kind == "entra_certificate") {
    const bool certificate = kind == "entra_certificate";
    const bool on_service_principal = text_attribute(credential.attributes, "object") == "service_principal";
    steps.push_back(fmt::format("az ad {} credential reset --id {} --append {}--end-date {}",
                                on_service_principal ? "sp" : "app", identity.id,
                                certificate ? "--cert @new-cert.pem " : "--display-name rotated ", end_date));
    steps.push_back("Move every consumer to the new credential, then remove the old one:");
    steps.push_back(fmt::format("{} --key-id {}", entra_command(credential, "delete", identity), credential.id));
    steps.push_back("Consider a federated credential (az ad app federated-credential create) or a managed identity "
                    "instead of a secret");
    return steps;
  }
  if (kind == "okta_ssws_token") {
    steps.push_back("Replace the SSWS token with an OAuth 2.0 service app that holds only the okta.* scopes it needs "
                    "(Applications > Applications > Create App Integration > API Services)");
    steps.push_back("or create a new token under Security > API > Tokens > Create token, move the consumer to it, and "
                    "revoke the old one:");
    for (auto& step : revoke_steps(identity, credential)) steps.push_back(std::move(step));
    return steps;
  }
  if (kind == "okta_client_jwk") {
    steps.push_back(okta_api("POST", fmt::format("/api/v1/apps/{}/credentials/jwks", credential.identity_id)) +
                    " -H \"Content-Type: application/json\" -d @new-public-jwk.json");
    steps.push_back("Sign with the new key in every client, then remove the old one:");
    for (auto& step : revoke_steps(identity, credential)) steps.push_back(std::move(step));
    return steps;
  }
  if (kind == "github_deploy_key") {
    const std::string repository = or_placeholder(text_attribute(identity.attributes, "repository"), "OWNER/REPO");
    const bool read_only = !identity.attributes.contains("read_only") || identity.attributes["read_only"] == true;
    steps.push_back("ssh-keygen -t ed25519 -N '' -f deploy_key_new");
    steps.push_back(fmt::format("gh repo deploy-key add deploy_key_new.pub --repo {} --title \"{} (rotated)\"{}", repository,
                                identity.name, read_only ? "" : " --allow-write"));
    steps.push_back("Install the new private key where the old one is used, then:");
    for (auto& step : revoke_steps(identity, credential)) steps.push_back(std::move(step));
    return steps;
  }
  if (kind == "github_pat_fine_grained" || kind == "github_pat_classic") {
    steps.push_back(fmt::format("{}: Settings > Developer settings > Personal access tokens > Generate new token, with "
                                "an expiration of {} days or less; prefer a GitHub App installation for automation",
                                or_placeholder(identity.owner, "The holder"), lifetime_days));
    steps.push_back("Move the consumer to the new token, then remove the old one:");
    for (auto& step : revoke_steps(identity, credential)) steps.push_back(std::move(step));
    return steps;
  }
  steps.push_back(fmt::format("Issue a new {} with an expiry within {} days, move consumers to it, then revoke the old one:",
                              kind_label(kind), lifetime_days));
  for (auto& step : revoke_steps(identity, credential)) steps.push_back(std::move(step));
  return steps;
}

}  // namespace keyward::posture
