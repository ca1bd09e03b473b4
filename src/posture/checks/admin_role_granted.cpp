// nhi.privilege.admin: a non-human identity outside AWS holds an administrator or owner-level
// role, permission or scope: GCP roles/owner, roles/editor or an admin role on a project, folder
// or organization; Entra permissions that administer the directory; Okta SSWS tokens and admin
// API scopes; GitHub admin permissions and scopes; Workspace domain-wide delegation of Admin SDK
// scopes; Salesforce integration users with the System Administrator profile; Slack admin
// scopes; Snowflake service users whose default role is an administrator role (OWASP NHI5,
// Overprivileged NHI). AWS policies are evaluated by aws.iam.admin_or_wildcard.
//
// Severity follows reach: an organization, tenant or account-wide administrator is critical,
// one project's or one organization's owner is high, narrower or user-bounded grants are medium.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

#include "inventory/attribute_values.hpp"
#include "posture/check.hpp"
#include "posture/checks/privilege_support.hpp"
#include "sources/slack/scope_levels.hpp"
#include "sources/snowflake/role_levels.hpp"

namespace keyward::posture {
namespace {

using inventory::string_attribute;
using inventory::string_list_attribute;
using privilege::raise_severity;

// Adds `text` to `list` unless it is already there, so several grants share one step.
void add_unique(std::vector<std::string>& list, std::string text) {
  if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(std::move(text));
}

void add_evidence(core::Finding& finding, std::string text, std::optional<core::UnixTime> time = std::nullopt) {
  finding.evidence.push_back(core::Evidence{std::move(text), {}, time});
}

std::string strip_prefix(std::string_view text, std::string_view prefix) {
  return std::string(text.substr(0, prefix.size()) == prefix ? text.substr(prefix.size()) : text);
}

std::string condition_note(const core::Grant& grant) {
  if (!grant.condition.is_object()) return {};
  return fmt::format(" under condition \"{}\"", grant.condition.value("title", grant.condition.value("expression", "")));
}

// ---- GCP ----

// Roles that change who has access, so their holder can grant itself anything else.
bool controls_gcp_access(std::string_view role) {
  return role == "roles/owner" || role.substr(0, 10) == "roles/iam." || role.substr(0, 22) == "roles/resourcemanager.";
}

bool add_gcp(const core::Identity& identity, const std::vector<core::Grant>& grants, core::Finding& finding) {
  bool found = false;
  for (const auto& grant : grants) {
    if (!privilege::is_gcp_admin_binding(grant)) continue;
    found = true;
    const std::string& role = grant.actions.front();
    const privilege::GcpReach reach = privilege::gcp_reach(grant);
    core::Severity severity = core::Severity::medium;
    if (reach == privilege::GcpReach::organization) {
      severity = core::Severity::critical;
    } else if (reach == privilege::GcpReach::folder || controls_gcp_access(role)) {
      severity = core::Severity::high;
    }
    // A binding that holds only under a condition (a time window, a resource prefix) reaches less.
    if (grant.condition.is_object() && severity != core::Severity::medium) {
      severity = static_cast<core::Severity>(static_cast<int>(severity) - 1);
    }
    raise_severity(finding, severity);
    add_evidence(finding, fmt::format("role {} bound on {} {}{}", role, privilege::to_string(reach),
                                      grant.resources.empty() ? std::string("?") : grant.resources.front(), condition_note(grant)));
    add_unique(finding.remediation_steps, privilege::gcp_remove_binding_command(grant));
  }
  if (!found) return false;
  const std::string project = identity.account.empty() ? std::string("PROJECT_ID") : identity.account;
  add_unique(finding.check_first,
             fmt::format("List the roles the account used in the last 90 days and the narrower roles IAM recommends: gcloud "
                         "recommender recommendations list --project={} --location=global "
                         "--recommender=google.iam.policy.Recommender",
                         project));
  add_unique(finding.check_first,
             fmt::format("Find its last calls and callers: gcloud logging read "
                         "'protoPayload.authenticationInfo.principalEmail=\"{}\"' --project={} --freshness=90d --limit=20",
                         identity.id, project));
  if (identity.kind == "gcp_default_service_account") {
    add_unique(finding.check_first,
               "This is a default service account: every VM, function or App Engine service created without its own "
               "service account runs as it, so give those workloads a dedicated account before removing the role.");
  }
  finding.remediation = fmt::format(
      "Grant {} only the predefined roles its workload uses, on the narrowest resource, then remove the owner, editor "
      "or admin bindings.",
      identity.id);
  return true;
}

// ---- Entra ----

bool add_entra(const core::Identity& identity, const std::vector<core::Grant>& grants, core::Finding& finding) {
  bool found = false;
  const std::string sp_object_id = string_attribute(identity.attributes, "service_principal_object_id");
  const std::string sp = sp_object_id.empty() ? std::string("SERVICE_PRINCIPAL_OBJECT_ID") : sp_object_id;
  for (const auto& grant : grants) {
    if (grant.platform != "entra" || grant.level != "admin" || grant.actions.empty()) continue;
    found = true;
    const std::string& permission = grant.actions.front();
    const std::string resource = grant.resources.empty() ? std::string("?") : grant.resources.front();
    if (grant.via == "application_permission") {
      // Application permissions act without a signed-in user, on the whole tenant.
      raise_severity(finding, privilege::is_entra_role_escalation_permission(permission) ? core::Severity::critical
                                                                                          : core::Severity::high);
      add_evidence(finding, fmt::format("application permission {} on {} (tenant-wide, no signed-in user)", permission, resource));
      const std::string assignment = strip_prefix(grant.source_policy, "appRoleAssignment:");
      add_unique(finding.remediation_steps,
                 fmt::format("az rest --method DELETE --url "
                             "\"https://graph.microsoft.com/v1.0/servicePrincipals/{}/appRoleAssignments/{}\"",
                             sp, assignment.empty() ? std::string("ASSIGNMENT_ID") : assignment));
    } else {
      // Delegated scopes act as the signed-in user, so they reach only what that user may do.
      raise_severity(finding, grant.via == "admin_consent" ? core::Severity::high : core::Severity::medium);
      add_evidence(finding, fmt::format("delegated permission {} on {} by {}", permission, resource,
                                        grant.via == "admin_consent" ? "administrator consent for all users" : "user consent"));
      const std::string grant_id = strip_prefix(grant.source_policy, "oauth2PermissionGrant:");
      add_unique(finding.remediation_steps,
                 fmt::format("Remove the scope from the delegated grant: az rest --method PATCH --url "
                             "\"https://graph.microsoft.com/v1.0/oauth2PermissionGrants/{}\" --body '{{\"scope\": \"<the "
                             "remaining scopes, space-separated>\"}}' (or --method DELETE to revoke the whole grant)",
                             grant_id.empty() ? std::string("GRANT_ID") : grant_id));
    }
  }
  if (!found) return false;
  add_unique(finding.remediation_steps,
             "Or in the Microsoft Entra admin center: Enterprise applications > the app > Security > Permissions > "
             "Review permissions, and revoke the permission.");
  add_unique(finding.check_first,
             fmt::format("Check which Graph calls need the permission and when the app last signed in: az rest --method GET "
                         "--url \"https://graph.microsoft.com/beta/auditLogs/signIns?$filter=appId eq '{}' and "
                         "signInEventTypes/any(t: t eq 'servicePrincipal')&$top=20\"",
                         identity.id));
  add_unique(finding.check_first, "Ask the app's owner which least-privileged permission replaces it (for example "
                                  "User.Read.All instead of Directory.ReadWrite.All) and grant that first.");
  finding.remediation = "Replace the directory-wide administrative permission with the narrowest permission the app's "
                        "calls need, then revoke the administrative one.";
  return true;
}

// ---- Okta ----

bool add_okta(const core::Identity& identity, const std::vector<core::Grant>& grants, core::Finding& finding) {
  bool found = false;
  if (identity.kind == "okta_api_token" && string_attribute(identity.attributes, core::attribute::kPrivilege) == "admin") {
    found = true;
    // NOTE: the export does not name the creator's admin roles, so a token of a Super
    // Administrator and one of a narrower admin are rated alike.
    raise_severity(finding, core::Severity::high);
    const std::string creator = identity.owner.empty() ? std::string("an unnamed admin") : identity.owner;
    const std::string network = string_attribute(identity.attributes, "network_connection");
    add_evidence(finding,
                 fmt::format("SSWS API token acting with every admin role of its creator {} (up to Super Administrator); "
                             "network restriction {}",
                             creator, network.empty() ? std::string("not exported") : network),
                 identity.created);
    add_unique(finding.remediation_steps,
               "Create an API Services app in the Admin Console (Applications > Applications > Create App Integration > "
               "API Services) and grant it only the okta.* scopes the integration calls, on its Okta API Scopes tab.");
    add_unique(finding.remediation_steps,
               fmt::format("Revoke the token: curl -X DELETE -H \"Authorization: SSWS $OKTA_API_TOKEN\" "
                           "\"https://$OKTA_DOMAIN/api/v1/api-tokens/{}\" (or Security > API > Tokens > Revoke)",
                           identity.id));
    add_unique(finding.check_first,
               fmt::format("Find what uses the token: in Reports > System Log search transaction.detail.requestApiTokenId eq "
                           "\"{}\" and note the clients and IP addresses.",
                           identity.id));
  }
  for (const auto& grant : grants) {
    if (grant.platform != "okta" || grant.level != "admin" || grant.actions.empty()) continue;
    found = true;
    raise_severity(finding, grant.actions.front() == "okta.roles.manage" ? core::Severity::critical : core::Severity::high);
    add_evidence(finding, fmt::format("Okta API scope {} granted (grant {})", grant.actions.front(), grant.source_policy));
    add_unique(finding.remediation_steps,
               fmt::format("curl -X DELETE -H \"Authorization: Bearer $TOKEN\" "
                           "\"https://$OKTA_DOMAIN/api/v1/apps/{}/grants/{}\" (or Applications > the app > Okta API Scopes > "
                           "Revoke {})",
                           identity.id, grant.source_policy.empty() ? std::string("GRANT_ID") : grant.source_policy,
                           grant.actions.front()));
  }
  if (!found) return false;
  add_unique(finding.check_first, "Read the System Log for the identity's calls in the last 90 days and keep only the scopes "
                                  "those calls need.");
  finding.remediation = "Give the integration an OAuth service app with only the okta.* scopes it calls, then revoke the "
                        "admin token or scopes.";
  return true;
}

// ---- GitHub ----

core::Severity github_scope_severity(const core::Grant& grant) {
  const std::string& action = grant.actions.front();
  if (action.find("enterprise") != std::string::npos) return core::Severity::critical;
  if (grant.resource_type == "organization") return core::Severity::high;
  // A repository permission on "ORG/*" reaches every repository, including new ones.
  const bool all_repositories = !grant.resources.empty() && grant.resources.front().ends_with("/*");
  return all_repositories ? core::Severity::high : core::Severity::medium;
}

bool add_github(const core::Identity& identity, const std::vector<core::Grant>& grants, core::Finding& finding) {
  bool found = false;
  for (const auto& grant : grants) {
    if (grant.platform != "github" || grant.level != "admin" || grant.actions.empty()) continue;
    found = true;
    raise_severity(finding, github_scope_severity(grant));
    add_evidence(finding, fmt::format("{} on {} {}", grant.actions.front(), grant.resource_type,
                                      grant.resources.empty() ? std::string("?") : grant.resources.front()));
  }
  if (!found) return false;
  const std::string org = identity.account.empty() ? std::string("ORG") : identity.account;
  if (identity.kind == "github_app_installation") {
    add_unique(finding.remediation_steps,
               fmt::format("Organization settings > Third-party Access > GitHub Apps > {} > Configure: limit it to the "
                           "repositories it needs, or uninstall it",
                           privilege::label_of(identity)));
    add_unique(finding.remediation_steps,
               "Ask the app's owner to drop the admin permissions (Developer settings > GitHub Apps > the app > Permissions "
               "& events); for an app your organization owns, change them there yourself.");
  } else if (identity.kind == "github_pat_fine_grained") {
    const std::string pat_id = string_attribute(identity.attributes, "grant_id");
    add_unique(finding.remediation_steps,
               fmt::format("gh api -X POST /orgs/{}/personal-access-tokens/{} -f action=revoke", org,
                           pat_id.empty() ? std::string("PAT_ID") : pat_id));
  } else {
    const std::string sso_id = string_attribute(identity.attributes, "sso_credential_id");
    add_unique(finding.remediation_steps,
               fmt::format("gh api -X DELETE /orgs/{}/credential-authorizations/{}  # removes the token's SAML SSO "
                           "authorization, so it can no longer reach the organization",
                           org, sso_id.empty() ? std::string("CREDENTIAL_ID") : sso_id));
    add_unique(finding.remediation_steps, "Have the owner replace it with a fine-grained token limited to the repositories "
                                          "and permissions the automation uses.");
  }
  add_unique(finding.check_first,
             fmt::format("Find the token's or app's recent admin actions: gh api '/orgs/{}/audit-log?phrase=actor:{}&per_page=100'",
                         org, identity.owner.empty() ? privilege::label_of(identity) : identity.owner));
  finding.remediation = "Replace organization or repository administration rights with the narrowest permissions the "
                        "automation uses, on only the repositories it touches.";
  return true;
}

// ---- Google Workspace ----

bool add_workspace(const core::Identity& identity, const std::vector<core::Grant>& grants, core::Finding& finding) {
  bool found = false;
  for (const auto& grant : grants) {
    if (grant.platform != "workspace" || grant.actions.empty()) continue;
    const std::string& scope = grant.actions.front();
    if (privilege::workspace_scope_level(scope) != "admin") continue;
    found = true;
    if (grant.via == "domain_wide_delegation") {
      // With domain-wide delegation the client may impersonate any user, super administrators included.
      raise_severity(finding, core::Severity::critical);
      add_evidence(finding, fmt::format("domain-wide delegation of admin scope {} (may act as any user of the domain)", scope));
      add_unique(finding.remediation_steps,
                 fmt::format("{}: edit client {} and keep only the scopes it needs, or delete it",
                             privilege::workspace_delegation_console_path(), identity.id));
    } else {
      // A user's token works only as far as that user's own admin role reaches.
      raise_severity(finding, core::Severity::medium);
      const std::string user = grant.resources.empty() ? std::string("USER") : grant.resources.front();
      add_evidence(finding, fmt::format("admin scope {} granted by {}", scope, user));
      add_unique(finding.remediation_steps,
                 fmt::format("gam user {} delete token clientid {}  (or the Directory API: DELETE "
                             "https://admin.googleapis.com/admin/directory/v1/users/{}/tokens/{})",
                             user, identity.id, user, identity.id));
    }
  }
  if (!found) return false;
  add_unique(finding.check_first,
             fmt::format("Check what the client calls: GET https://admin.googleapis.com/admin/reports/v1/activity/users/all/"
                         "applications/token?filters=client_id=={} and keep the scopes of the APIs it uses.",
                         identity.id));
  finding.remediation = "Limit the client to the Admin SDK scopes it calls, prefer .readonly variants, and remove "
                        "domain-wide delegation it does not need.";
  return true;
}

// ---- Salesforce ----

bool add_salesforce(const core::Identity& identity, core::Finding& finding) {
  if (string_attribute(identity.attributes, core::attribute::kPrivilege) != "admin") return false;
  const std::string profile = string_attribute(identity.attributes, "profile");
  raise_severity(finding, core::Severity::high);
  add_evidence(finding, fmt::format("integration user with profile \"{}\", which includes Modify All Data and View All Data",
                                    profile.empty() ? std::string("System Administrator") : profile),
               identity.last_used);
  add_unique(finding.remediation_steps,
             fmt::format("Setup > Users > Users > {} > Edit: set Profile to \"Minimum Access - API Only Integrations\" and "
                         "assign permission sets with only the objects the integration uses",
                         identity.id));
  add_unique(finding.remediation_steps,
             fmt::format("sf data update record --sobject User --where \"Username='{}'\" --values \"ProfileId='<Id of the "
                         "Minimum Access - API Only Integrations profile>'\"",
                         identity.id));
  add_unique(finding.check_first,
             fmt::format("List the connected apps that sign in as this user and their last use: sf data query --query "
                         "\"SELECT AppName, LastUsedDate, UseCount FROM OauthToken WHERE User.Username = '{}'\"",
                         identity.id));
  // TODO: permission sets granting Modify All Data or View All Data (PermissionSetAssignment)
  // are not ingested, so integration users that hold them through a permission set are missed.
  finding.remediation = "Move the integration user to an API-only profile and grant object access through permission sets "
                        "that cover only what the integration reads and writes.";
  return true;
}

// ---- Slack ----

bool add_slack(const core::Identity& identity, const std::vector<core::Grant>& grants, core::Finding& finding) {
  std::vector<std::string> scopes = string_list_attribute(identity.attributes, core::attribute::kScopes);
  for (const auto& grant : grants) {
    if (grant.platform == "slack" && !grant.actions.empty()) add_unique(scopes, grant.actions.front());
  }
  std::vector<std::string> admin_scopes;
  for (const auto& scope : scopes) {
    if (sources::slack::scope_level(scope) == "admin") admin_scopes.push_back(scope);
  }
  if (admin_scopes.empty()) return false;
  std::sort(admin_scopes.begin(), admin_scopes.end());
  // The legacy "client" and "admin" scopes act as the installing admin on everything.
  const bool legacy_full = std::any_of(admin_scopes.begin(), admin_scopes.end(),
                                       [](const std::string& scope) { return scope == "client" || scope == "admin"; });
  raise_severity(finding, legacy_full ? core::Severity::critical : core::Severity::high);
  add_evidence(finding, fmt::format("admin scopes {}", fmt::join(admin_scopes, ", ")));
  // Enterprise Grid org ids start with E, workspace ids with T.
  const std::string team = identity.account.empty() ? std::string("E0123456789") : identity.account;
  const std::string team_parameter = team.front() == 'T' ? "team_id" : "enterprise_id";
  add_unique(finding.remediation_steps,
             fmt::format("curl -X POST https://slack.com/api/admin.apps.restrict -H \"Authorization: Bearer $SLACK_ADMIN_TOKEN\" "
                         "-d app_id={} -d {}={}  (or admin.apps.uninstall to remove it)",
                         identity.id, team_parameter, team));
  add_unique(finding.remediation_steps, "Ask the app's developer for a version without admin scopes, and approve that one.");
  add_unique(finding.check_first,
             fmt::format("Read the audit log for the app's recent admin actions: GET "
                         "https://api.slack.com/audit/v1/logs?entity={}&limit=200",
                         identity.id));
  finding.remediation = "Remove or restrict apps that hold admin scopes unless they administer the workspace by design.";
  return true;
}

// ---- Snowflake ----

bool add_snowflake(const core::Identity& identity, core::Finding& finding) {
  if (identity.classification != core::Classification::machine) return false;
  const std::string role = string_attribute(identity.attributes, "default_role");
  if (sources::snowflake::level_of_role(role) != "admin") return false;
  std::string upper = role;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  // ACCOUNTADMIN, SECURITYADMIN (MANAGE GRANTS) and the organization roles reach the whole
  // account; SYSADMIN and USERADMIN reach the objects or users they own.
  const bool account_wide = upper == "ACCOUNTADMIN" || upper == "SECURITYADMIN" || upper == "ORGADMIN" || upper == "GLOBALORGADMIN";
  raise_severity(finding, account_wide ? core::Severity::critical : core::Severity::high);
  add_evidence(finding, fmt::format("service user's default role is {}", role), identity.last_used);
  add_unique(finding.remediation_steps,
             fmt::format("ALTER USER \"{}\" SET DEFAULT_ROLE = <a custom role with only the needed grants>;", identity.id));
  add_unique(finding.remediation_steps, fmt::format("REVOKE ROLE {} FROM USER \"{}\";", upper, identity.id));
  add_unique(finding.check_first, fmt::format("SHOW GRANTS TO USER \"{}\";  -- every role the user holds", identity.id));
  add_unique(finding.check_first,
             fmt::format("SELECT ROLE_NAME, COUNT(*), MAX(START_TIME) FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE "
                         "USER_NAME = '{}' AND START_TIME > DATEADD(day, -90, CURRENT_TIMESTAMP()) GROUP BY ROLE_NAME;  -- "
                         "which roles its queries run as",
                         identity.id));
  // TODO: roles granted to the user (SHOW GRANTS TO USER) are not ingested, so a service user
  // holding ACCOUNTADMIN with another default role is missed.
  finding.remediation = "Give the service user a custom role with only the warehouse, database and schema grants its jobs "
                        "use, make it the default role, and revoke the administrator role.";
  return true;
}

class AdminRoleGrantedCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.privilege.admin"; }
  std::string_view title() const override { return "Non-human identity holds an administrator role or scope"; }
  core::Severity severity() const override { return core::Severity::high; }
  std::string_view owasp() const override { return "NHI5"; }
  std::string_view description() const override {
    return "A service account, app or token with administrator rights turns any leak of its secret into a takeover of the "
           "project, tenant or organization: the attacker can create new identities, grant itself more access and erase "
           "its traces.";
  }
  std::vector<std::string_view> platforms() const override {
    return {"gcp", "entra", "okta", "github", "workspace", "salesforce", "slack", "snowflake"};
  }

  void run(const Inventory& inventory, const PostureOptions& /*options*/, std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (!privilege::is_evaluated_nhi(identity)) continue;
      const auto& grants = privilege::grants_of(inventory, identity);
      core::Finding finding = privilege::start_finding(*this, identity, "");
      bool found = false;
      if (identity.platform == "gcp") found = add_gcp(identity, grants, finding);
      if (identity.platform == "entra") found = add_entra(identity, grants, finding);
      if (identity.platform == "okta") found = add_okta(identity, grants, finding);
      if (identity.platform == "github") found = add_github(identity, grants, finding);
      if (identity.platform == "workspace") found = add_workspace(identity, grants, finding);
      if (identity.platform == "salesforce") found = add_salesforce(identity, finding);
      if (identity.platform == "slack") found = add_slack(identity, grants, finding);
      if (identity.platform == "snowflake") found = add_snowflake(identity, finding);
      if (!found) continue;
      finding.title = fmt::format("{} {} holds administrator-level access", identity.kind, privilege::label_of(identity));
      findings.push_back(std::move(finding));
    }
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(AdminRoleGrantedCheck);

}  // namespace keyward::posture
