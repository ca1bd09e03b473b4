// Reads GET /orgs/{org}/credential-authorizations: the credentials (classic personal access
// tokens, SSH keys, OAuth and GitHub App user tokens) that members authorized for SAML single
// sign-on into the organization:
//   [{"login", "credential_id", "credential_type", "token_last_eight", "credential_authorized_at",
//     "credential_accessed_at", "scopes", "fingerprint", "authorized_credential_id",
//     "authorized_credential_title", "authorized_credential_note",
//     "authorized_credential_expires_at"}]

#include <fmt/format.h>

#include "secrets/inventory_join.hpp"
#include "sources/github/github_json.hpp"
#include "sources/github/github_sources.hpp"
#include "sources/github/permission_levels.hpp"

namespace keyward::sources::github {
namespace {

constexpr std::string_view kOrigin = "github.credential_authorizations";

struct CredentialType {
  std::string_view kind;
  std::string_view id_prefix;
  std::string_view token_prefix;  // the token's documented prefix, for the redacted form
};

CredentialType credential_type_of(std::string_view type) {
  if (type == "personal access token") return {"github_pat_classic", "token:", "ghp_"};
  if (type == "SSH key") return {"github_ssh_key", "ssh-key:", ""};
  if (type == "OAuth app token") return {"github_oauth_token", "token:", "gho_"};
  if (type == "GitHub app token") return {"github_app_user_token", "token:", "ghu_"};
  return {"github_credential", "credential:", ""};
}

void read_authorization(simdjson::dom::element record, const Input& input, const RecordPosition& position,
                        const std::string& org, ParseContext& ctx) {
  const std::string_view login = string_or_empty(record, "login");
  const std::string credential_id = read_id(record, "credential_id");
  const std::string_view type = string_or_empty(record, "credential_type");
  if (login.empty()) return report(ctx, input, position, "credential authorization has no login; skipped");
  if (credential_id.empty()) {
    return report(ctx, input, position, fmt::format("credential authorization of {} has no credential_id; skipped", login));
  }
  const CredentialType kind = credential_type_of(type);
  // authorized_credential_id is the token's or key's own id, the one the audit log names in
  // token_id. credential_id numbers the SSO authorization and is the fallback.
  const std::string authorized_id = read_id(record, "authorized_credential_id");
  const std::string identity_id =
      authorized_id.empty() ? "credential-authorization:" + credential_id : std::string(kind.id_prefix) + authorized_id;

  std::string_view title = string_or_empty(record, "authorized_credential_title");
  if (title.empty()) title = string_or_empty(record, "authorized_credential_note");

  core::Identity identity;
  identity.platform = "github";
  identity.id = identity_id;
  identity.kind = std::string(kind.kind);
  identity.name = title.empty() ? fmt::format("{} of {}", type.empty() ? "credential" : type, login)
                                : std::string(title.substr(0, 256));
  identity.account = org;
  identity.owner = std::string(login);
  identity.classification = core::Classification::machine;
  identity.classification_reason = fmt::format("{} authorized for SAML SSO", type.empty() ? "credential" : type);
  identity.last_used = read_time(record, "credential_accessed_at");
  auto& attributes = identity.attributes;
  attributes[std::string(core::attribute::kShadow)] = true;
  attributes[std::string(core::attribute::kLogin)] = std::string(login);
  attributes["credential_type"] = std::string(type);
  attributes["sso_credential_id"] = credential_id;

  nlohmann::json scopes = nlohmann::json::array();
  simdjson::dom::array scope_list;
  if (record["scopes"].get(scope_list) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : scope_list) {
      std::string_view scope;
      if (item.get(scope) != simdjson::SUCCESS || scopes.size() >= kMaxPermissionsPerRecord) continue;
      scopes.push_back(std::string(scope));
      core::Grant grant;
      grant.platform = "github";
      grant.identity_id = identity_id;
      grant.actions = {std::string(scope)};
      grant.resources = {org.empty() ? std::string("*") : org};
      grant.level = std::string(classic_scope_level(scope));
      grant.resource_type = "organization";
      grant.origin = std::string(kOrigin);
      ctx.batch.grants.push_back(std::move(grant));
    }
  }
  attributes[std::string(core::attribute::kScopes)] = scopes;

  core::Credential credential;
  credential.platform = "github";
  credential.id = identity_id;
  credential.identity_id = identity_id;
  credential.kind = std::string(kind.kind);
  credential.created = read_time(record, "credential_authorized_at");
  credential.last_used = identity.last_used;
  credential.expires = read_time(record, "authorized_credential_expires_at");
  credential.attributes["authorized_at"] = credential.created ? core::format_time(*credential.created) : "";
  const std::string_view last_eight = string_or_empty(record, "token_last_eight");
  const std::string redacted = redacted_token(kind.token_prefix, last_eight);
  if (!redacted.empty()) credential.attributes["token_redacted"] = redacted;
  // Eight characters are more of the token than the redacted form may show, so only their keyed
  // hash is kept: `keyward scan` computes the same value from a found token to match it here.
  if (std::string join_key = secrets::github_last_eight_join_key(ctx.fingerprint_key, last_eight); !join_key.empty()) {
    credential.attributes[std::string(secrets::kTokenLastEightKeyAttribute)] = std::move(join_key);
  }
  if (auto fingerprint = string_or_empty(record, "fingerprint"); !fingerprint.empty()) {
    credential.attributes["key_fingerprint"] = std::string(fingerprint.substr(0, 128));
  }
  identity.created = credential.created;

  ctx.batch.grant_replacements.push_back(store::GrantReplacement{identity_id, std::string(kOrigin)});
  ctx.batch.identities.push_back(std::move(identity));
  ctx.batch.credentials.push_back(std::move(credential));
}

}  // namespace

std::string_view CredentialAuthorizationsSource::name() const { return "github-credential-authorizations"; }

std::string_view CredentialAuthorizationsSource::description() const {
  return "GitHub SAML SSO credential authorizations (classic PATs, SSH keys): `gh api --paginate "
         "/orgs/ORG/credential-authorizations`";
}

int CredentialAuthorizationsSource::detect(std::string_view head, std::string_view /*path*/) const {
  const char first = first_significant_byte(head);
  if (first != '{' && first != '[') return 0;
  return has_json_key(head, "credential_authorized_at") && has_json_key(head, "credential_type") ? 90 : 0;
}

core::Status CredentialAuthorizationsSource::parse(const Input& input, ParseContext& ctx) const {
  // The response does not name the organization; a path such as ORG/credential-authorizations.json
  // or a file named ORG-credential-authorizations.json would be guesswork, so grants name "*".
  // TODO: take the organization from a command-line option once ingest has one.
  const std::string org;
  JsonRecordOptions options;
  options.record_name = "credential authorization";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    read_authorization(record, input, position, org, ctx);
  });
}

}  // namespace keyward::sources::github
