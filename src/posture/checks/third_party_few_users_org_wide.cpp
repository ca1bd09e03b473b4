// nhi.third_party.rare_app_org_scopes: a third-party app that only one or two people authorized
// yet holds full-access or admin scopes: a Google Workspace OAuth client with
// https://mail.google.com/ or full Drive access, an Entra ID app that a single user consented to
// with write permissions on everything they can reach. Apps that most of the organization uses
// are reviewed and noticed; a rare app with broad scopes is how consent phishing and forgotten
// trials keep access (OWASP NHI3, Vulnerable Third-Party NHI).
//
// Users are counted per app from the grants each user made (Workspace token exports, Entra
// user consent grants). An app that an administrator consented to for everyone is not rare, and
// nhi.third_party.broad_scopes reports its scopes.

#include <fmt/format.h>

#include <map>
#include <set>

#include "posture/checks/third_party_support.hpp"

namespace keyward::posture {
namespace {

// TODO: move both limits into Thresholds so that `options.for_identity` can set them per
// platform or tag. They are constants because Thresholds has no field for a user count yet.
// An app authorized by at most this many people is rare.
constexpr size_t kRareAppMaxUsers = 2;
// "Rare" means little only in an organization where many people authorize apps.
constexpr size_t kMinOrganizationUsers = 10;

// Whether a grant was made by one user for their own data.
bool is_user_grant(const core::Grant& grant) {
  if (grant.platform == "workspace") return grant.origin.starts_with("workspace.tokens:");
  if (grant.platform == "entra") return grant.via == "user_consent";
  return false;
}

std::set<std::string> users_of(const report::InventoryEntry& entry) {
  std::set<std::string> users;
  for (const auto& grant : entry.grants) {
    if (is_user_grant(grant) && !grant.granted_by.empty()) users.insert(grant.granted_by);
  }
  return users;
}

bool has_organization_grant(const report::InventoryEntry& entry) {
  for (const auto& grant : entry.grants) {
    if (grant.via == "admin_consent" || grant.via == "application_permission" ||
        grant.origin == "workspace.domain_wide_delegation") {
      return true;
    }
  }
  return false;
}

class ThirdPartyRareAppOrgScopesCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.third_party.rare_app_org_scopes"; }
  std::string_view title() const override { return "Rarely used third-party app holds full-access scopes"; }
  core::Severity severity() const override { return core::Severity::high; }
  std::string_view owasp() const override { return "NHI3"; }
  std::string_view description() const override {
    return "An app that one or two people authorized with full mailbox, drive or directory scopes gets no review and "
           "no attention: it is how consent phishing and forgotten trials keep access to the data of the people who "
           "clicked Allow.";
  }
  std::vector<std::string_view> platforms() const override { return {"workspace", "entra"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    std::map<std::string, std::set<std::string>> organization_users;  // by platform
    for (const auto& entry : inventory.entries) {
      if (!entry.third_party) continue;
      for (const auto& user : users_of(entry)) organization_users[entry.platform].insert(user);
    }

    for (const auto& entry : inventory.entries) {
      if (!is_active_third_party(entry) || has_organization_grant(entry)) continue;
      const std::set<std::string> users = users_of(entry);
      if (users.empty() || users.size() > kRareAppMaxUsers) continue;
      const size_t organization = organization_users[entry.platform].size();
      if (organization < kMinOrganizationUsers) continue;

      std::vector<BroadAccess> broad;
      for (auto& access : find_broad_access(entry)) {
        if (access.per_user) broad.push_back(std::move(access));
      }
      if (broad.empty()) continue;
      findings.push_back(make_finding(entry, users, organization, broad));
    }
  }

 private:
  core::Finding make_finding(const report::InventoryEntry& entry, const std::set<std::string>& users,
                             size_t organization, const std::vector<BroadAccess>& broad) const {
    core::Finding finding = start_app_finding(*this, entry);
    const std::vector<std::string> user_list(users.begin(), users.end());
    finding.title = fmt::format("{} authorized by {} of {} users holds full-access scopes",
                                entry.identity.name.empty() ? entry.identity.id : entry.identity.name, users.size(),
                                organization);
    finding.evidence.push_back(core::Evidence{
        fmt::format("authorized by {} ({} of the {} users who authorized any third-party {} app; rare means at most {})",
                    join_limited(user_list, 5), users.size(), organization, entry.platform, kRareAppMaxUsers),
        {},
        entry.identity.created});
    for (const auto& access : broad) {
      finding.evidence.push_back(core::Evidence{fmt::format("scope {}: {}", access.scope, access.reason), {}, std::nullopt});
    }
    if (!entry.publisher.empty()) {
      finding.evidence.push_back(core::Evidence{
          fmt::format("publisher \"{}\"{}", entry.publisher,
                      !entry.publisher_verified.has_value() ? " (verification not recorded)"
                      : *entry.publisher_verified         ? " (verified)"
                                                          : " (not verified)"),
          {},
          std::nullopt});
    }

    finding.remediation = fmt::format(
        "Ask {} whether they still use {} and meant to give it these scopes. Revoke the tokens if not, and block "
        "the app for the organization unless it is approved.",
        join_limited(user_list, 2), entry.identity.name.empty() ? entry.identity.id : entry.identity.name);
    if (entry.platform == "workspace") {
      for (const auto& user : user_list) {
        finding.remediation_steps.push_back(fmt::format("gam user {} delete token clientid {}", user, entry.identity.id));
      }
      finding.remediation_steps.push_back(fmt::format(
          "Google Admin console > Security > Access and data control > API controls > Manage Third-Party App Access: "
          "set client ID {} to Blocked",
          entry.identity.id));
    } else {
      finding.remediation_steps = remove_app_steps(entry);
    }
    finding.check_first = {"Ask the users listed above whether they use the app and for what",
                           "The app's last use in the token activity or sign-in logs"};
    finding.safe_now = false;
    finding.safe_reason = "Revoking the tokens stops the app for the people who use it.";
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(ThirdPartyRareAppOrgScopesCheck);

}  // namespace keyward::posture
