// Reads the two Microsoft Graph exports of what apps may do: delegated permissions
// (GET /oauth2PermissionGrants) and application permissions (GET /servicePrincipals/{id}/
// appRoleAssignments or appRoleAssignedTo). Both name the app by its service principal object id,
// which the applications and service principals sources list as an alias of the appId.

#include <fmt/format.h>

#include <set>

#include "sources/entra/entra_sources.hpp"
#include "sources/entra/graph_common.hpp"
#include "sources/entra/permission_levels.hpp"

namespace keyward::sources::entra {
namespace {

constexpr std::string_view kGrantsSourceName = "entra-oauth2-permission-grants";
constexpr std::string_view kAssignmentsSourceName = "entra-app-role-assignments";
constexpr std::string_view kGrantsOrigin = "entra.oauth2PermissionGrants";
constexpr std::string_view kAssignmentsOrigin = "entra.appRoleAssignments";

// Adds one replacement per identity, so a newer export of the same origin replaces the grants.
void add_replacement(store::Batch& batch, std::set<std::string>& replaced, const std::string& identity_id,
                     std::string_view origin) {
  if (!replaced.insert(identity_id).second) return;
  batch.grant_replacements.push_back(store::GrantReplacement{identity_id, std::string(origin)});
}

void read_permission_grant(simdjson::dom::element record, const RecordPosition& position, const Input& input,
                           ParseContext& ctx, std::set<std::string>& replaced) {
  const std::string_view client_id = string_or_empty(record, "clientId");
  const std::string_view grant_id = string_or_empty(record, "id");
  if (client_id.empty()) {
    report(ctx, input, position,
           fmt::format("oauth2PermissionGrant {}: clientId (the app's service principal object id) is missing; "
                       "record skipped",
                       clipped(grant_id, 128)));
    return;
  }
  const std::string_view consent_type = string_or_empty(record, "consentType");
  const std::string_view principal_id = string_or_empty(record, "principalId");
  const std::string_view resource_id = string_or_empty(record, "resourceId");
  const std::string identity_id = clipped(client_id, 128);
  add_replacement(ctx.batch, replaced, identity_id, kGrantsOrigin);

  const std::string_view scopes = string_or_empty(record, "scope");
  size_t begin = 0;
  size_t count = 0;
  while (begin < scopes.size() && count < kMaxArrayItems) {
    const size_t end = std::min(scopes.find(' ', begin), scopes.size());
    const std::string_view scope = scopes.substr(begin, end - begin);
    begin = end + 1;
    if (scope.empty()) continue;
    ++count;
    core::Grant grant;
    grant.platform = std::string(kPlatform);
    grant.identity_id = identity_id;
    grant.actions = {clipped(scope, 256)};
    if (!resource_id.empty()) grant.resources = {clipped(resource_id, 128)};
    grant.level = std::string(scope_level(scope));
    grant.resource_type = "service_principal";
    grant.source_policy = "oauth2PermissionGrant:" + clipped(grant_id, 128);
    if (consent_type == "AllPrincipals") {
      grant.via = "admin_consent";
    } else {
      grant.via = "user_consent";
      grant.granted_by = clipped(principal_id, 128);
    }
    grant.origin = std::string(kGrantsOrigin);
    ctx.batch.grants.push_back(std::move(grant));
  }
}

void read_assignment(simdjson::dom::element record, const RecordPosition& position, const Input& input,
                     ParseContext& ctx, std::set<std::string>& replaced) {
  const std::string_view principal_id = string_or_empty(record, "principalId");
  const std::string_view app_role_id = string_or_empty(record, "appRoleId");
  const std::string_view assignment_id = string_or_empty(record, "id");
  if (principal_id.empty() || app_role_id.empty()) {
    report(ctx, input, position,
           fmt::format("appRoleAssignment {}: principalId or appRoleId is missing; record skipped",
                       clipped(assignment_id, 128)));
    return;
  }
  // Users and groups assigned to an app are access to the app, not permissions of an app.
  const std::string_view principal_type = string_or_empty(record, "principalType");
  if (!principal_type.empty() && principal_type != "ServicePrincipal") return;

  const std::string identity_id = clipped(principal_id, 128);
  add_replacement(ctx.batch, replaced, identity_id, kAssignmentsOrigin);
  const std::string_view resource_name = string_or_empty(record, "resourceDisplayName");
  const std::string_view resource_id = string_or_empty(record, "resourceId");
  const AppRole role = app_role(resource_name, app_role_id);

  core::Grant grant;
  grant.platform = std::string(kPlatform);
  grant.identity_id = identity_id;
  grant.actions = {role.name};
  grant.resources = {resource_name.empty() ? clipped(resource_id, 128) : clipped(resource_name, 256)};
  grant.level = role.level;
  grant.resource_type = "service_principal";
  grant.source_policy = "appRoleAssignment:" + clipped(assignment_id, 128);
  grant.via = "application_permission";
  grant.origin = std::string(kAssignmentsOrigin);
  ctx.batch.grants.push_back(std::move(grant));
}

}  // namespace

std::string_view PermissionGrantsSource::name() const { return kGrantsSourceName; }

std::string_view PermissionGrantsSource::description() const {
  return "Entra delegated permissions: Microsoft Graph GET /oauth2PermissionGrants pages";
}

int PermissionGrantsSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!starts_like_json(head)) return 0;
  if (head.find("$metadata#oauth2PermissionGrants") != std::string_view::npos) return 95;
  const bool keys = has_json_key(head, "clientId") && has_json_key(head, "consentType") &&
                    has_json_key(head, "scope") && has_json_key(head, "resourceId");
  return keys ? 90 : 0;
}

core::Status PermissionGrantsSource::parse(const Input& input, ParseContext& ctx) const {
  std::set<std::string> replaced;
  return for_each_json_record(input, ctx, graph_record_options("oauth2PermissionGrant"),
                              [&](simdjson::dom::element record, const RecordPosition& position) {
                                read_permission_grant(record, position, input, ctx, replaced);
                              });
}

std::string_view AppRoleAssignmentsSource::name() const { return kAssignmentsSourceName; }

std::string_view AppRoleAssignmentsSource::description() const {
  return "Entra application permissions: Microsoft Graph GET /servicePrincipals/{id}/appRoleAssignments or "
         "appRoleAssignedTo pages";
}

int AppRoleAssignmentsSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!starts_like_json(head)) return 0;
  const bool keys = has_json_key(head, "appRoleId") && has_json_key(head, "principalId") &&
                    has_json_key(head, "resourceId");
  if (!keys) return 0;
  return has_json_key(head, "principalType") ? 92 : 80;
}

core::Status AppRoleAssignmentsSource::parse(const Input& input, ParseContext& ctx) const {
  std::set<std::string> replaced;
  return for_each_json_record(input, ctx, graph_record_options("appRoleAssignment"),
                              [&](simdjson::dom::element record, const RecordPosition& position) {
                                read_assignment(record, position, input, ctx, replaced);
                              });
}

}  // namespace keyward::sources::entra
