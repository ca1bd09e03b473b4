#include "posture/checks/privilege_support.hpp"

#include <fmt/format.h>

#include <array>
#include <set>

#include "sources/gcp/gcp_names.hpp"
#include "sources/workspace/scope_levels.hpp"

namespace keyward::posture::privilege {
namespace {

// Identity statuses that no longer grant access, across the platforms' vocabularies.
const std::set<std::string, std::less<>> kInactiveStatuses = {"deleted",   "disabled",      "inactive",
                                                              "suspended", "deprovisioned", "revoked"};

constexpr std::string_view kResourceManager = "//cloudresourcemanager.googleapis.com/";
constexpr std::string_view kStorage = "//storage.googleapis.com/";

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Returns the part of a resource name after `prefix` and `kind`/ ("organizations/"), or "".
std::string id_after(std::string_view resource, std::string_view kind) {
  if (!starts_with(resource, kResourceManager)) return {};
  resource.remove_prefix(kResourceManager.size());
  if (!starts_with(resource, kind)) return {};
  return std::string(resource.substr(kind.size()));
}

// Permissions that can assign any directory role or application permission, including Global
// Administrator and RoleManagement.ReadWrite.Directory, to the app itself.
constexpr std::array<std::string_view, 2> kEntraEscalationPermissions = {"RoleManagement.ReadWrite.Directory",
                                                                         "AppRoleAssignment.ReadWrite.All"};

}  // namespace

bool is_evaluated_nhi(const core::Identity& identity) {
  if (identity.classification == core::Classification::human) return false;
  if (kInactiveStatuses.count(identity.status)) return false;
  return identity.kind != sources::gcp::kServiceAgentKind;
}

const std::vector<core::Grant>& grants_of(const Inventory& inventory, const core::Identity& identity) {
  static const std::vector<core::Grant> kNone;
  auto it = inventory.grants.find(identity.id);
  return it == inventory.grants.end() ? kNone : it->second;
}

std::string label_of(const core::Identity& identity) { return identity.name.empty() ? identity.id : identity.name; }

core::Finding start_finding(const Check& check, const core::Identity& identity, std::string title) {
  core::Finding finding;
  finding.rule = std::string(check.id());
  finding.owasp = std::string(check.owasp());
  finding.title = std::move(title);
  finding.severity = core::Severity::info;
  finding.identity = core::IdentityRef{identity.platform, identity.id, label_of(identity)};
  return finding;
}

void raise_severity(core::Finding& finding, core::Severity severity) {
  if (static_cast<int>(severity) > static_cast<int>(finding.severity)) finding.severity = severity;
}

GcpReach gcp_reach(const core::Grant& grant) {
  const std::string_view resource = grant.resources.empty() ? std::string_view() : grant.resources.front();
  if (!id_after(resource, "organizations/").empty() || grant.resource_type == "organization") return GcpReach::organization;
  if (!id_after(resource, "folders/").empty() || grant.resource_type == "folder") return GcpReach::folder;
  if (!id_after(resource, "projects/").empty() || grant.resource_type == "project") return GcpReach::project;
  return GcpReach::resource;
}

std::string_view to_string(GcpReach reach) {
  switch (reach) {
    case GcpReach::organization: return "organization";
    case GcpReach::folder: return "folder";
    case GcpReach::project: return "project";
    case GcpReach::resource: break;
  }
  return "resource";
}

bool is_gcp_admin_binding(const core::Grant& grant) {
  if (grant.platform != "gcp" || grant.via == "deleted_member" || grant.actions.empty()) return false;
  if (gcp_reach(grant) == GcpReach::resource) return false;
  const std::string& role = grant.actions.front();
  if (role == "roles/owner" || role == "roles/editor") return true;
  return grant.level == "admin" && starts_with(role, "roles/");
}

std::string gcp_member(std::string_view identity_id) {
  if (starts_with(identity_id, "principal://") || starts_with(identity_id, "principalSet://")) return std::string(identity_id);
  return fmt::format("serviceAccount:{}", identity_id);
}

std::string gcp_remove_binding_command(const core::Grant& grant) {
  const std::string_view resource = grant.resources.empty() ? std::string_view() : grant.resources.front();
  const std::string role = grant.actions.empty() ? std::string("ROLE") : grant.actions.front();
  const std::string flags = fmt::format("--member='{}' --role='{}'{}", gcp_member(grant.identity_id), role,
                                        grant.condition.is_object() ? " --all" : "");
  if (auto id = id_after(resource, "organizations/"); !id.empty()) {
    return fmt::format("gcloud organizations remove-iam-policy-binding {} {}", id, flags);
  }
  if (auto id = id_after(resource, "folders/"); !id.empty()) {
    return fmt::format("gcloud resource-manager folders remove-iam-policy-binding {} {}", id, flags);
  }
  if (auto id = id_after(resource, "projects/"); !id.empty()) {
    return fmt::format("gcloud projects remove-iam-policy-binding {} {}", id, flags);
  }
  if (starts_with(resource, kStorage)) {
    return fmt::format("gcloud storage buckets remove-iam-policy-binding gs://{} {}", resource.substr(kStorage.size()), flags);
  }
  return fmt::format("Google Cloud console: open {} > Permissions, and remove role {} from {}", resource, role,
                     gcp_member(grant.identity_id));
}

bool is_entra_role_escalation_permission(std::string_view permission) {
  for (std::string_view name : kEntraEscalationPermissions) {
    if (permission == name) return true;
  }
  return false;
}

std::string workspace_scope_level(std::string_view scope) { return sources::workspace::level_of_scope(scope).level; }

std::string workspace_delegation_console_path() {
  return "Google Admin console: Security > Access and data control > API controls > Manage Domain Wide Delegation";
}

}  // namespace keyward::posture::privilege
