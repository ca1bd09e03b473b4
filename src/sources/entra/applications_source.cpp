// Reads Microsoft Graph GET /applications pages (optionally with $expand=owners): one identity per
// app registration, keyed by appId, with its client secrets, certificates and federated
// credentials.

#include <fmt/format.h>

#include "sources/entra/entra_sources.hpp"
#include "sources/entra/graph_common.hpp"
#include "sources/entra/permission_levels.hpp"

namespace keyward::sources::entra {
namespace {

constexpr std::string_view kSourceName = "entra-applications";
constexpr std::string_view kGitHubActionsIssuer = "https://token.actions.githubusercontent.com";
constexpr std::string_view kMicrosoftGraphAppId = "00000003-0000-0000-c000-000000000000";

// Returns the person named by an expanded owner: mail, else userPrincipalName; for a service
// principal owner, its appId prefixed with "app:".
std::string owner_name(simdjson::dom::element owner) {
  std::string_view value = string_or_empty(owner, "mail");
  if (value.empty()) value = string_or_empty(owner, "userPrincipalName");
  if (!value.empty()) return clipped(value, 256);
  const std::string_view app_id = string_or_empty(owner, "appId");
  if (!app_id.empty()) return "app:" + clipped(app_id, 64);
  return {};
}

// Returns "OWNER/REPO" from a GitHub Actions OIDC subject such as "repo:OWNER/REPO:ref:refs/heads/main".
std::string github_repository(std::string_view subject) {
  if (subject.substr(0, 5) != "repo:") return {};
  subject.remove_prefix(5);
  return clipped(subject.substr(0, subject.find(':')), 256);
}

void read_federated_credentials(simdjson::dom::element record, const std::string& app_id, store::Batch& batch) {
  simdjson::dom::array items;
  if (record["federatedIdentityCredentials"].get(items) != simdjson::SUCCESS) return;
  size_t count = 0;
  for (simdjson::dom::element item : items) {
    if (++count > kMaxArrayItems) break;
    if (!item.is_object()) continue;
    const std::string_view name = string_or_empty(item, "name");
    const std::string_view id = string_or_empty(item, "id");
    if (name.empty() && id.empty()) continue;
    const std::string_view issuer = string_or_empty(item, "issuer");
    const std::string_view subject = string_or_empty(item, "subject");

    core::Credential credential;
    credential.platform = std::string(kPlatform);
    credential.id = id.empty() ? fmt::format("{}#federated/{}", app_id, clipped(name, 120)) : clipped(id, 128);
    credential.identity_id = app_id;
    credential.kind = "entra_federated_credential";
    credential.attributes["source"] = std::string(kSourceName);
    credential.attributes["name"] = clipped(name, 120);
    credential.attributes["issuer"] = clipped(issuer, 512);
    credential.attributes["subject"] = clipped(subject, 512);
    credential.attributes["audiences"] = string_array(item, "audiences");
    if (issuer == kGitHubActionsIssuer) {
      credential.attributes["ci_cd"] = "github_actions";
      const std::string repository = github_repository(subject);
      if (!repository.empty()) credential.attributes["repository"] = repository;
    }
    batch.credentials.push_back(std::move(credential));
  }
}

// Lists the permissions the app requests (requiredResourceAccess) as "RESOURCE_APP_ID:TYPE:NAME",
// with Microsoft Graph application permissions named. Requested is not granted: grants come from
// the oauth2PermissionGrants and appRoleAssignments exports.
nlohmann::json requested_permissions(simdjson::dom::element record) {
  nlohmann::json out = nlohmann::json::array();
  simdjson::dom::array resources;
  if (record["requiredResourceAccess"].get(resources) != simdjson::SUCCESS) return out;
  for (simdjson::dom::element resource : resources) {
    const std::string_view resource_app_id = string_or_empty(resource, "resourceAppId");
    simdjson::dom::array accesses;
    if (resource["resourceAccess"].get(accesses) != simdjson::SUCCESS) continue;
    for (simdjson::dom::element access : accesses) {
      if (out.size() >= kMaxArrayItems) return out;
      const std::string_view id = string_or_empty(access, "id");
      const std::string_view type = string_or_empty(access, "type");
      std::string name(id.substr(0, 64));
      if (type == "Role" && resource_app_id == kMicrosoftGraphAppId) name = app_role("Microsoft Graph", id).name;
      out.push_back(fmt::format("{}:{}:{}", clipped(resource_app_id, 64), clipped(type, 16), name));
    }
  }
  return out;
}

void read_application(simdjson::dom::element record, const RecordPosition& position, const Input& input,
                      ParseContext& ctx) {
  const std::string_view app_id = string_or_empty(record, "appId");
  if (app_id.empty()) {
    report(ctx, input, position,
           "application has no appId (the client id that keys it); include appId in $select; record skipped");
    return;
  }
  core::Identity identity;
  identity.platform = std::string(kPlatform);
  identity.id = clipped(app_id, 128);
  identity.kind = "entra_application";
  identity.name = clipped(string_or_empty(record, "displayName"));
  bool invalid_time = false;
  identity.created = optional_time(record, "createdDateTime", &invalid_time);
  if (invalid_time) {
    report(ctx, input, position,
           fmt::format("application {}: createdDateTime is not an ISO 8601 time; created left empty", identity.id));
  }
  identity.classification = core::Classification::machine;
  identity.classification_reason = "Entra app registration";

  const std::string_view object_id = string_or_empty(record, "id");
  auto& attributes = identity.attributes;
  attributes[std::string(attribute::kAliases)] = nlohmann::json::array();
  if (!object_id.empty()) {
    attributes[std::string(attribute::kAliases)].push_back(clipped(object_id, 128));
    attributes["application_object_id"] = clipped(object_id, 128);
  }
  attributes[std::string(attribute::kThirdParty)] = false;
  attributes["source"] = std::string(kSourceName);
  const std::string_view audience = string_or_empty(record, "signInAudience");
  if (!audience.empty()) attributes["sign_in_audience"] = clipped(audience, 64);
  const std::string_view publisher_domain = string_or_empty(record, "publisherDomain");
  if (!publisher_domain.empty()) attributes["publisher_domain"] = clipped(publisher_domain, 256);
  attributes["requested_permissions"] = requested_permissions(record);

  simdjson::dom::array owners;
  if (record["owners"].get(owners) == simdjson::SUCCESS) {
    nlohmann::json names = nlohmann::json::array();
    for (simdjson::dom::element owner : owners) {
      if (names.size() >= kMaxArrayItems) break;
      std::string name = owner_name(owner);
      if (name.empty()) continue;
      // The first person listed is the owner; service principals that own apps stay in owners.
      if (identity.owner.empty() && name.rfind("app:", 0) != 0) identity.owner = name;
      names.push_back(std::move(name));
    }
    attributes["owners"] = std::move(names);
  }

  read_password_and_key_credentials(record, identity.id, "application", kSourceName, ctx.batch.credentials);
  read_federated_credentials(record, identity.id, ctx.batch);
  ctx.batch.identities.push_back(std::move(identity));
}

}  // namespace

std::string_view ApplicationsSource::name() const { return kSourceName; }

std::string_view ApplicationsSource::description() const {
  return "Entra app registrations: Microsoft Graph GET /applications?$expand=owners pages (or `az ad app list --all`)";
}

int ApplicationsSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!starts_like_json(head)) return 0;
  if (head.find("$metadata#applications") != std::string_view::npos) return 95;
  const bool app_keys = has_json_key(head, "appId") && has_json_key(head, "signInAudience") &&
                        (has_json_key(head, "requiredResourceAccess") || has_json_key(head, "publisherDomain"));
  if (!app_keys) return 0;
  // Service principals carry appId and signInAudience too, but applications have neither of these keys.
  if (has_json_key(head, "servicePrincipalType") || has_json_key(head, "appOwnerOrganizationId")) return 0;
  return 85;
}

core::Status ApplicationsSource::parse(const Input& input, ParseContext& ctx) const {
  return for_each_json_record(input, ctx, graph_record_options("application"),
                              [&](simdjson::dom::element record, const RecordPosition& position) {
                                read_application(record, position, input, ctx);
                              });
}

}  // namespace keyward::sources::entra
