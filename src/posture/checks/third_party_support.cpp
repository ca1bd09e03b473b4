#include "posture/checks/third_party_support.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "inventory/privilege.hpp"

namespace keyward::posture {
namespace {

const std::set<std::string> kInactiveStatuses = {"disabled", "deleted", "suspended", "deprovisioned", "revoked"};

constexpr std::string_view kGoogleScopePrefix = "https://www.googleapis.com/auth/";

// Google Workspace scopes that give full access to one kind of user data, from Google's OAuth
// 2.0 scopes list; the .readonly and .metadata variants are not broad.
std::string workspace_full_access_reason(const std::string& scope) {
  if (scope == "https://mail.google.com/") return "full access to the mailbox (read, send, delete)";
  if (!scope.starts_with(kGoogleScopePrefix)) return "";
  const std::string name = scope.substr(kGoogleScopePrefix.size());
  if (name == "drive") return "full access to every Drive file the user can open";
  if (name == "gmail.modify") return "read, send and change every message of the mailbox";
  if (name == "cloud-platform") return "every Google Cloud API the user can call";
  if (name.starts_with("admin.") && !name.ends_with(".readonly")) return "Admin SDK write access to the domain";
  return "";
}

// GitHub App permissions whose write access on every repository lets the app change code, CI
// workflows or their secrets.
const std::set<std::string> kGithubCodePermissions = {"contents", "workflows", "secrets", "actions", "environments"};

std::string first_action(const core::Grant& grant) { return grant.actions.empty() ? "" : grant.actions.front(); }

bool write_or_admin(const core::Grant& grant) { return inventory::privilege_rank(grant.level) >= 2; }

std::optional<BroadAccess> workspace_access(const core::Grant& grant) {
  const std::string scope = first_action(grant);
  if (grant.origin == "workspace.domain_wide_delegation") {
    return BroadAccess{scope, "domain-wide delegation: the app can act as any user of the domain", true, false,
                       grant.granted_by};
  }
  const std::string reason = workspace_full_access_reason(scope);
  if (reason.empty()) return std::nullopt;
  const bool admin = inventory::privilege_rank(grant.level) >= 3;
  return BroadAccess{scope, reason, admin, true, grant.granted_by};
}

std::optional<BroadAccess> entra_access(const core::Grant& grant) {
  if (!write_or_admin(grant)) return std::nullopt;
  const std::string permission = first_action(grant);
  const bool admin = grant.level == "admin";
  if (grant.via == "application_permission") {
    return BroadAccess{permission, "application permission: the app uses it without a signed-in user, across the tenant",
                       admin, false, grant.granted_by};
  }
  if (grant.via == "admin_consent") {
    return BroadAccess{permission, "delegated permission an administrator consented to for every user", admin, false,
                       grant.granted_by};
  }
  if (admin) return BroadAccess{permission, "directory administration permission", true, true, grant.granted_by};
  if (permission.ends_with(".All")) {
    return BroadAccess{permission, "write access to everything the consenting user can reach", false, true,
                       grant.granted_by};
  }
  return std::nullopt;
}

std::optional<BroadAccess> github_access(const core::Grant& grant) {
  const std::string action = first_action(grant);
  if (grant.level == "admin") {
    return BroadAccess{action, "administers the organization or its repositories", true, false, grant.granted_by};
  }
  if (grant.level != "write") return std::nullopt;
  const bool every_repository =
      std::any_of(grant.resources.begin(), grant.resources.end(), [](const std::string& r) { return r.ends_with("/*"); });
  const std::string permission = action.substr(0, action.find(':'));
  if (every_repository && kGithubCodePermissions.count(permission)) {
    return BroadAccess{action, "write access to every repository of the organization", false, false, grant.granted_by};
  }
  return std::nullopt;
}

}  // namespace

bool is_active_third_party(const report::InventoryEntry& entry) {
  return entry.third_party && !kInactiveStatuses.count(entry.identity.status) &&
         entry.identity.classification != core::Classification::human;
}

std::vector<BroadAccess> find_broad_access(const report::InventoryEntry& entry) {
  std::vector<BroadAccess> found;
  std::set<std::string> seen;
  auto add = [&](std::optional<BroadAccess> access) {
    if (!access) return;
    if (!seen.insert(access->scope + '\x1f' + access->reason).second) return;
    found.push_back(std::move(*access));
  };
  for (const auto& grant : entry.grants) {
    if (grant.effect != "Allow") continue;
    const std::string& platform = entry.platform;
    if (platform == "workspace") {
      add(workspace_access(grant));
    } else if (platform == "entra") {
      add(entra_access(grant));
    } else if (platform == "github") {
      add(github_access(grant));
    } else if (grant.level == "admin") {
      // Slack admin.* scopes and the legacy client scope, Okta scopes that raise access
      // (okta.roles.manage, okta.apps.manage, ...): each source marks these admin.
      add(BroadAccess{first_action(grant), "administers the organization", true, false, grant.granted_by});
    }
  }
  // Workspace token exports without grants (an observed app) still list the scopes.
  if (entry.platform == "workspace" && entry.grants.empty()) {
    for (const auto& scope : entry.scopes) {
      const std::string reason = workspace_full_access_reason(scope);
      if (!reason.empty()) add(BroadAccess{scope, reason, false, true, ""});
    }
  }
  return found;
}

core::Finding start_app_finding(const Check& check, const report::InventoryEntry& entry) {
  core::Finding finding;
  finding.rule = std::string(check.id());
  finding.title = std::string(check.title());
  finding.severity = check.severity();
  finding.owasp = std::string(check.owasp());
  finding.identity = core::IdentityRef{entry.identity.platform, entry.identity.id, entry.identity.name};
  return finding;
}

std::vector<std::string> remove_app_steps(const report::InventoryEntry& entry) {
  const core::Identity& app = entry.identity;
  const std::string name = app.name.empty() ? app.id : app.name;
  if (app.platform == "workspace") {
    return {fmt::format("Google Admin console > Security > Access and data control > API controls > Manage "
                        "Third-Party App Access: find client ID {} and set it to Blocked",
                        app.id),
            fmt::format("gam all users delete token clientid {}", app.id),
            "Domain-wide delegation: Google Admin console > Security > Access and data control > API controls > "
            "Manage Domain Wide Delegation: delete the client ID"};
  }
  if (app.platform == "entra") {
    return {fmt::format("az ad sp update --id {} --set accountEnabled=false", app.id),
            fmt::format("az ad sp delete --id {}   # once nothing broke while it was disabled", app.id)};
  }
  if (app.platform == "github") {
    if (app.kind == "github_oauth_app") {
      return {fmt::format("GitHub: Organization settings > Third-party access > OAuth app policy > {} > Deny access",
                          name)};
    }
    const std::string installation = app.id.starts_with("installation:") ? app.id.substr(13) : app.id;
    return {fmt::format("GitHub: https://github.com/organizations/{}/settings/installations/{} > Uninstall (or "
                        "Configure to narrow the permissions and repositories)",
                        app.account.empty() ? "ORG" : app.account, installation)};
  }
  if (app.platform == "slack") {
    // admin.apps.restrict takes one team_id, admin.apps.uninstall a list in team_ids.
    const bool enterprise = app.account.empty() || app.account.starts_with("E");
    const std::string account = app.account.empty() ? "<ENTERPRISE_ID>" : app.account;
    return {fmt::format("curl -X POST -H \"Authorization: Bearer $SLACK_ADMIN_TOKEN\" "
                        "https://slack.com/api/admin.apps.restrict -d app_id={} -d {}={}",
                        app.id, enterprise ? "enterprise_id" : "team_id", account),
            fmt::format("curl -X POST -H \"Authorization: Bearer $SLACK_ADMIN_TOKEN\" "
                        "https://slack.com/api/admin.apps.uninstall -d app_id={} -d {}={}",
                        app.id, enterprise ? "enterprise_id" : "team_ids", account)};
  }
  if (app.platform == "okta") {
    return {fmt::format("curl -X POST -H \"Authorization: Bearer $OKTA_TOKEN\" "
                        "https://$OKTA_DOMAIN/api/v1/apps/{}/lifecycle/deactivate",
                        app.id)};
  }
  if (app.platform == "salesforce") {
    return {fmt::format("Salesforce Setup > Connected Apps OAuth Usage > {} > Block (revokes every token of the app)",
                        name)};
  }
  return {fmt::format("Remove {} in the {} admin console", name, app.platform)};
}

std::string join_limited(const std::vector<std::string>& items, size_t limit) {
  std::string text;
  for (size_t i = 0; i < items.size() && i < limit; ++i) {
    if (i > 0) text += ", ";
    text += items[i];
  }
  if (items.size() > limit) text += fmt::format(" and {} more", items.size() - limit);
  return text;
}

}  // namespace keyward::posture
