// Reads GET /orgs/{org}/personal-access-tokens (tokens the organization approved) and
// GET /orgs/{org}/personal-access-token-requests (tokens waiting for approval):
//   [{"id", "owner": {"login"}, "repository_selection", "repositories_url",
//     "permissions": {"organization": {...}, "repository": {...}, "other": {...}},
//     "access_granted_at", "token_id", "token_name", "token_expired", "token_expires_at",
//     "token_last_used_at"}]
// A request has "reason" and "created_at" in place of "access_granted_at".

#include <fmt/format.h>

#include "sources/github/github_json.hpp"
#include "sources/github/github_sources.hpp"

namespace keyward::sources::github {
namespace {

constexpr std::string_view kGrantOrigin = "github.personal_access_tokens";

void read_token(simdjson::dom::element record, const Input& input, const RecordPosition& position, ParseContext& ctx) {
  const std::string token_id = read_id(record, "token_id");
  const std::string grant_id = read_id(record, "id");
  if (token_id.empty() && grant_id.empty()) {
    return report(ctx, input, position, "fine-grained token has neither token_id nor id; skipped");
  }
  std::string_view owner_login;
  simdjson::dom::element owner;
  if (record["owner"].get(owner) == simdjson::SUCCESS && owner.is_object()) owner_login = string_or_empty(owner, "login");

  const bool request = record["reason"].error() == simdjson::SUCCESS || record["access_granted_at"].error() != simdjson::SUCCESS;
  const std::string_view repositories_url = string_or_empty(record, "repositories_url");
  const std::string org = organization_from_api_url(repositories_url);
  const std::string identity_id = token_id.empty() ? "token-request:" + grant_id : "token:" + token_id;
  const std::string_view token_name = string_or_empty(record, "token_name");
  const bool expired = read_flag(record, "token_expired").value_or(false);

  core::Identity identity;
  identity.platform = "github";
  identity.id = identity_id;
  identity.kind = "github_pat_fine_grained";
  identity.name = token_name.empty() ? fmt::format("fine-grained token {}", token_id.empty() ? grant_id : token_id)
                                     : std::string(token_name.substr(0, 256));
  identity.account = org;
  identity.owner = std::string(owner_login);
  identity.classification = core::Classification::machine;
  identity.classification_reason = "fine-grained personal access token";
  identity.last_used = read_time(record, "token_last_used_at");
  identity.status = "active";
  if (expired) identity.status = "disabled";
  if (request) identity.status = "pending";
  auto& attributes = identity.attributes;
  attributes[std::string(core::attribute::kShadow)] = true;
  attributes[std::string(core::attribute::kCreatedBy)] = std::string(owner_login);
  attributes["expired"] = expired;
  attributes["repository_selection"] = std::string(string_or_empty(record, "repository_selection"));
  attributes[request ? "request_id" : "grant_id"] = grant_id;
  if (request) {
    attributes["reason"] = std::string(string_or_empty(record, "reason").substr(0, 1024));
  }

  core::Credential credential;
  credential.platform = "github";
  credential.id = identity_id;
  credential.identity_id = identity_id;
  credential.kind = "github_pat_fine_grained";
  credential.status = expired ? "inactive" : "active";
  credential.expires = read_time(record, "token_expires_at");
  credential.last_used = identity.last_used;
  credential.created = read_time(record, request ? "created_at" : "access_granted_at");
  identity.created = credential.created;

  nlohmann::json scopes = nlohmann::json::array();
  simdjson::dom::object permissions;
  if (record["permissions"].get(permissions) == simdjson::SUCCESS) {
    for (auto [group, members] : permissions) {
      simdjson::dom::object member_object;
      if (members.get(member_object) != simdjson::SUCCESS) continue;
      for (auto [name, value] : member_object) {
        std::string_view access;
        if (value.get(access) == simdjson::SUCCESS && scopes.size() < kMaxPermissionsPerRecord) {
          scopes.push_back(fmt::format("{}:{}", name, access));
        }
      }
      // A pending request grants nothing yet: its permissions stay in the scopes attribute.
      if (request) continue;
      add_github_permission_grants(member_object, identity_id, org, string_or_empty(record, "repository_selection"),
                                   kGrantOrigin, ctx);
    }
  }
  attributes[std::string(core::attribute::kScopes)] = std::move(scopes);

  if (!request) ctx.batch.grant_replacements.push_back(store::GrantReplacement{identity_id, std::string(kGrantOrigin)});
  ctx.batch.identities.push_back(std::move(identity));
  ctx.batch.credentials.push_back(std::move(credential));
}

}  // namespace

std::string_view FineGrainedPatsSource::name() const { return "github-fine-grained-pats"; }

std::string_view FineGrainedPatsSource::description() const {
  return "GitHub fine-grained personal access tokens and requests: `gh api --paginate "
         "/orgs/ORG/personal-access-tokens` (or personal-access-token-requests)";
}

int FineGrainedPatsSource::detect(std::string_view head, std::string_view /*path*/) const {
  const char first = first_significant_byte(head);
  if (first != '{' && first != '[') return 0;
  return has_json_key(head, "token_expired") && has_json_key(head, "repositories_url") ? 90 : 0;
}

core::Status FineGrainedPatsSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.record_name = "fine-grained token";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    read_token(record, input, position, ctx);
  });
}

}  // namespace keyward::sources::github
