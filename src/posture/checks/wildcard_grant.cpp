// nhi.privilege.wildcard: a non-human identity outside AWS holds write access on every resource
// of its kind rather than on the few it uses: a GitHub App or token on all repositories of the
// organization (classic token scopes always are), a GCP role bound on an organization or folder,
// a Workspace client with domain-wide delegation (it may act as any user), or an Entra application
// permission that writes every user's data in the tenant (OWASP NHI5, Overprivileged NHI).
//
// Administrator-level grants are reported by nhi.privilege.admin instead, so each grant is
// reported once. AWS wildcards are aws.iam.admin_or_wildcard's.
// NOTE: Salesforce and Snowflake exports carry no object grants (no ALL PRIVILEGES, no Modify All
// Data), and Slack and Okta scopes are workspace- or org-wide by definition, so those platforms
// are not evaluated here; nhi.privilege.admin covers their administrator roles.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

#include "inventory/attribute_values.hpp"
#include "posture/check.hpp"
#include "posture/checks/privilege_support.hpp"

namespace keyward::posture {
namespace {

using inventory::string_attribute;
using privilege::raise_severity;

// Classic token scopes that write to every repository the token's owner can reach.
constexpr std::array<std::string_view, 4> kClassicRepositoryScopes = {"repo", "public_repo", "workflow", "write:packages"};

void add_unique(std::vector<std::string>& list, std::string text) {
  if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(std::move(text));
}

void add_evidence(core::Finding& finding, std::string text) { finding.evidence.push_back(core::Evidence{std::move(text), {}, std::nullopt}); }

bool is_classic_repository_scope(std::string_view scope) {
  return std::find(kClassicRepositoryScopes.begin(), kClassicRepositoryScopes.end(), scope) != kClassicRepositoryScopes.end();
}

// ---- GitHub ----

bool add_github(const core::Identity& identity, const std::vector<core::Grant>& grants, core::Finding& finding) {
  std::vector<std::string> permissions;
  for (const auto& grant : grants) {
    if (grant.platform != "github" || grant.level != "write" || grant.actions.empty() || grant.resources.empty()) continue;
    const std::string& action = grant.actions.front();
    const bool all_repositories = grant.resource_type == "repository" && grant.resources.front().ends_with("/*");
    const bool classic_scope = grant.origin == "github.credential_authorizations" && is_classic_repository_scope(action);
    if (all_repositories || classic_scope) permissions.push_back(action);
  }
  if (permissions.empty()) return false;

  const std::string org = identity.account.empty() ? std::string("ORG") : identity.account;
  raise_severity(finding, core::Severity::medium);
  const bool writes_code = std::any_of(permissions.begin(), permissions.end(), [](const std::string& permission) {
    return permission == "contents:write" || permission == "workflows:write" || permission == "repo" || permission == "workflow";
  });
  // Pushing code or workflows to every repository reaches every deployment the repositories feed.
  if (writes_code) raise_severity(finding, core::Severity::high);
  if (identity.kind == "github_app_installation" || identity.kind == "github_pat_fine_grained") {
    add_evidence(finding, fmt::format("{} on all repositories of {} (repository_selection \"all\", which includes repositories "
                                      "created later)",
                                      fmt::join(permissions, ", "), org));
  } else {
    add_evidence(finding, fmt::format("classic token scopes {} apply to every repository its owner {} can reach",
                                      fmt::join(permissions, ", "), identity.owner.empty() ? std::string("?") : identity.owner));
  }

  if (identity.kind == "github_app_installation") {
    add_unique(finding.remediation_steps,
               fmt::format("Organization settings > Third-party Access > GitHub Apps > {} > Configure > Repository access: "
                           "choose \"Only select repositories\" and pick the ones it works on",
                           privilege::label_of(identity)));
  } else if (identity.kind == "github_pat_fine_grained") {
    const std::string pat_id = string_attribute(identity.attributes, "grant_id");
    add_unique(finding.remediation_steps, "Have the owner edit the token (Settings > Developer settings > Fine-grained tokens) "
                                          "and choose \"Only select repositories\".");
    add_unique(finding.remediation_steps,
               fmt::format("If the owner does not respond: gh api -X POST /orgs/{}/personal-access-tokens/{} -f action=revoke",
                           org, pat_id.empty() ? std::string("PAT_ID") : pat_id));
  } else {
    const std::string sso_id = string_attribute(identity.attributes, "sso_credential_id");
    add_unique(finding.remediation_steps, "Have the owner replace the classic token with a fine-grained token limited to the "
                                          "repositories the automation uses.");
    add_unique(finding.remediation_steps,
               fmt::format("Then remove the classic token's SSO authorization: gh api -X DELETE /orgs/{}/credential-authorizations/{}",
                           org, sso_id.empty() ? std::string("CREDENTIAL_ID") : sso_id));
  }
  add_unique(finding.check_first,
             fmt::format("List the repositories it touched recently: gh api '/orgs/{}/audit-log?phrase=actor:{}&per_page=100' "
                         "--jq '.[].repo' | sort -u",
                         org, identity.owner.empty() ? privilege::label_of(identity) : identity.owner));
  finding.remediation = "Limit the app or token to the repositories it works on, so a leaked token cannot push to the rest.";
  return true;
}

// ---- GCP ----

bool add_gcp(const core::Identity& identity, const std::vector<core::Grant>& grants, core::Finding& finding) {
  bool found = false;
  for (const auto& grant : grants) {
    if (grant.platform != "gcp" || grant.via == "deleted_member" || grant.actions.empty()) continue;
    if (grant.level == "read" || privilege::is_gcp_admin_binding(grant)) continue;
    const privilege::GcpReach reach = privilege::gcp_reach(grant);
    if (reach != privilege::GcpReach::organization && reach != privilege::GcpReach::folder) continue;
    found = true;
    raise_severity(finding, reach == privilege::GcpReach::organization ? core::Severity::high : core::Severity::medium);
    add_evidence(finding, fmt::format("role {} ({}) bound on {} {}, so it applies to every project beneath it",
                                      grant.actions.front(), grant.level.empty() ? "custom or unrecognized role" : grant.level,
                                      privilege::to_string(reach), grant.resources.empty() ? std::string("?") : grant.resources.front()));
    add_unique(finding.remediation_steps,
               fmt::format("For each project it works in: gcloud projects add-iam-policy-binding PROJECT_ID --member='{}' "
                           "--role='{}'",
                           privilege::gcp_member(identity.id), grant.actions.front()));
    add_unique(finding.remediation_steps, fmt::format("Then: {}", privilege::gcp_remove_binding_command(grant)));
  }
  if (!found) return false;
  add_unique(finding.check_first,
             fmt::format("Find the projects it called in the last 30 days: gcloud logging read "
                         "'protoPayload.authenticationInfo.principalEmail=\"{}\"' --organization=ORG_ID --freshness=30d "
                         "--format='value(resource.labels.project_id)' | sort -u",
                         identity.id));
  finding.remediation = "Bind the role on the projects the account works in instead of the whole organization or folder.";
  return true;
}

// ---- Google Workspace ----

bool add_workspace(const core::Identity& identity, const std::vector<core::Grant>& grants, core::Finding& finding) {
  std::vector<std::string> scopes;
  for (const auto& grant : grants) {
    if (grant.platform != "workspace" || grant.via != "domain_wide_delegation" || grant.actions.empty()) continue;
    const std::string level = privilege::workspace_scope_level(grant.actions.front());
    if (level == "admin") continue;  // reported by nhi.privilege.admin
    scopes.push_back(grant.actions.front());
    raise_severity(finding, level == "write" ? core::Severity::high : core::Severity::medium);
  }
  if (scopes.empty()) return false;
  add_evidence(finding, fmt::format("domain-wide delegation of {}: the client may act as any user of the domain within these "
                                    "scopes",
                                    fmt::join(scopes, ", ")));
  add_unique(finding.remediation_steps,
             fmt::format("{}: edit client {} and keep only the scopes it calls, preferring .readonly and drive.file variants; "
                         "delete the client if the integration is retired",
                         privilege::workspace_delegation_console_path(), identity.id));
  add_unique(finding.check_first,
             fmt::format("Check which APIs and users the client called: GET https://admin.googleapis.com/admin/reports/v1/"
                         "activity/users/all/applications/token?filters=client_id=={}",
                         identity.id));
  add_unique(finding.check_first, "Ask the integration's owner whether it needs every user or a few; if a few, give it "
                                  "per-user OAuth consent instead of delegation.");
  finding.remediation = "Domain-wide delegation cannot be limited to some users, so keep it only for clients that need every "
                        "user, with the narrowest scopes.";
  return true;
}

// ---- Entra ----

bool add_entra(const core::Identity& identity, const std::vector<core::Grant>& grants, core::Finding& finding) {
  std::vector<std::string> permissions;
  for (const auto& grant : grants) {
    if (grant.platform != "entra" || grant.via != "application_permission" || grant.level != "write") continue;
    if (!grant.actions.empty()) permissions.push_back(grant.actions.front());
  }
  if (permissions.empty()) return false;
  raise_severity(finding, core::Severity::high);
  add_evidence(finding, fmt::format("application permissions {} act on every user's data in the tenant, without a signed-in user",
                                    fmt::join(permissions, ", ")));
  const bool mail = std::any_of(permissions.begin(), permissions.end(), [](const std::string& p) { return p.starts_with("Mail."); });
  const bool files = std::any_of(permissions.begin(), permissions.end(),
                                 [](const std::string& p) { return p.starts_with("Files.") || p.starts_with("Sites."); });
  if (mail) {
    add_unique(finding.remediation_steps,
               fmt::format("Limit the mailboxes it reaches (Exchange Online PowerShell): New-ApplicationAccessPolicy -AppId {} "
                           "-PolicyScopeGroupId <mail-enabled security group> -AccessRight RestrictAccess -Description "
                           "\"limit to the mailboxes it serves\"",
                           identity.id));
  }
  if (files) {
    add_unique(finding.remediation_steps, "Replace Files.*/Sites.* with Sites.Selected and grant the app only the sites it "
                                          "uses (POST https://graph.microsoft.com/v1.0/sites/{site-id}/permissions).");
  }
  add_unique(finding.remediation_steps,
             "Microsoft Entra admin center: Enterprise applications > the app > Security > Permissions: revoke the tenant-wide "
             "permissions the app does not need.");
  add_unique(finding.check_first, fmt::format("Ask the owner of app {} which users' data it must reach, and test the narrowed "
                                              "access on a staging tenant or a test mailbox first.",
                                              identity.id));
  finding.remediation = "Scope the application permission to the mailboxes or sites the app serves, or replace it with a "
                        "selected-resource permission.";
  return true;
}

class WildcardGrantCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.privilege.wildcard"; }
  std::string_view title() const override { return "Non-human identity can write to every resource of its kind"; }
  core::Severity severity() const override { return core::Severity::high; }
  std::string_view owasp() const override { return "NHI5"; }
  std::string_view description() const override {
    return "A token or app granted write access on all repositories, all projects or all users reaches far more than its "
           "job needs, so one leaked secret lets an attacker change code, data or mail across the whole organization.";
  }
  std::vector<std::string_view> platforms() const override { return {"gcp", "entra", "github", "workspace"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/, std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (!privilege::is_evaluated_nhi(identity)) continue;
      const auto& grants = privilege::grants_of(inventory, identity);
      core::Finding finding = privilege::start_finding(*this, identity, "");
      bool found = false;
      if (identity.platform == "github") found = add_github(identity, grants, finding);
      if (identity.platform == "gcp") found = add_gcp(identity, grants, finding);
      if (identity.platform == "workspace") found = add_workspace(identity, grants, finding);
      if (identity.platform == "entra") found = add_entra(identity, grants, finding);
      if (!found) continue;
      finding.title = fmt::format("{} {} can write to every resource of its kind", identity.kind, privilege::label_of(identity));
      findings.push_back(std::move(finding));
    }
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(WildcardGrantCheck);

}  // namespace keyward::posture
