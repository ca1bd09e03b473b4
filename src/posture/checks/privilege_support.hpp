#pragma once

// Shared parts of the NHI5 (over-privileged identity) checks nhi.privilege.admin,
// nhi.privilege.wildcard and nhi.privilege.unused_permissions: which identities they evaluate,
// how a GCP binding's reach is named, and the platform commands that remove a grant.

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "posture/check.hpp"

namespace keyward::posture::privilege {

// Returns true for an active identity that is not classified as a person. Google-managed GCP
// service agents are excluded, because Google grants and manages their roles.
bool is_evaluated_nhi(const core::Identity& identity);

// Returns the identity's grants from the inventory, or an empty list.
const std::vector<core::Grant>& grants_of(const Inventory& inventory, const core::Identity& identity);

// Returns the name to show for an identity: its name, else its id.
std::string label_of(const core::Identity& identity);

// Starts a finding of `check` about `identity` with rule, title, owasp and identity filled. The
// identity's name is its label_of, so a nameless OAuth client shows its client id.
core::Finding start_finding(const Check& check, const core::Identity& identity, std::string title);

// Sets the finding's severity to `severity` when it is higher than the current one.
void raise_severity(core::Finding& finding, core::Severity severity);

// Reach of a GCP IAM binding, from the resource its policy is attached to.
enum class GcpReach { resource, project, folder, organization };

// Returns the reach of a GCP grant from its resource name
// ("//cloudresourcemanager.googleapis.com/organizations/123" is organization-wide).
GcpReach gcp_reach(const core::Grant& grant);
std::string_view to_string(GcpReach reach);

// Returns true for the bindings that nhi.privilege.admin reports: roles/owner, roles/editor and
// admin-level predefined roles bound on a project, folder or organization, of a member that is
// not a deleted account.
bool is_gcp_admin_binding(const core::Grant& grant);

// Returns the gcloud command that removes one binding of a GCP grant, for projects, folders,
// organizations and buckets, else the console path. A conditional binding gets `--all`, which
// removes every condition of that role for the member.
std::string gcp_remove_binding_command(const core::Grant& grant);

// Returns the member string IAM policies use for the identity: "serviceAccount:EMAIL", or the
// principal:// identifier of a workload identity principal as is.
std::string gcp_member(std::string_view identity_id);

// Returns true for the Entra application permissions and delegated scopes that let an app make
// itself or others a directory administrator.
bool is_entra_role_escalation_permission(std::string_view permission);

// Returns the level of a Google OAuth scope granted by domain-wide delegation, from the scope
// itself: the delegation grant's own level is always "admin" because it reaches every user.
std::string workspace_scope_level(std::string_view scope);

// Returns the Workspace Admin console path that removes a domain-wide delegation client.
std::string workspace_delegation_console_path();

}  // namespace keyward::posture::privilege
