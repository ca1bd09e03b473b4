// nhi.third_party.broad_scopes: a third-party app that holds admin scopes or write access
// beyond one user's own data: domain-wide delegation or full-mailbox and full-Drive scopes in
// Google Workspace, application permissions and tenant-wide consent to write permissions in
// Entra ID, write access to every repository's code or to organization administration in
// GitHub, admin scopes in Slack and Okta. When the vendor is breached, its tokens act with
// these rights in the organization (OWASP NHI3, Vulnerable Third-Party NHI).

#include <fmt/format.h>

#include <algorithm>

#include "posture/checks/third_party_support.hpp"

namespace keyward::posture {
namespace {

class ThirdPartyBroadScopesCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.third_party.broad_scopes"; }
  std::string_view title() const override { return "Third-party app holds broad or admin scopes"; }
  core::Severity severity() const override { return core::Severity::high; }
  std::string_view owasp() const override { return "NHI3"; }
  std::string_view description() const override {
    return "A third-party app with admin scopes or write access to every mailbox, drive or repository turns a breach "
           "of that vendor into a breach of the organization: the stolen tokens act with the app's rights and look "
           "like its normal traffic.";
  }
  std::vector<std::string_view> platforms() const override { return {"workspace", "entra", "github", "slack", "okta"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& entry : inventory.entries) {
      if (!is_active_third_party(entry)) continue;
      const std::vector<BroadAccess> access = find_broad_access(entry);
      if (access.empty()) continue;
      findings.push_back(make_finding(entry, access));
    }
  }

 private:
  core::Finding make_finding(const report::InventoryEntry& entry, const std::vector<BroadAccess>& access) const {
    core::Finding finding = start_app_finding(*this, entry);
    const bool admin = std::any_of(access.begin(), access.end(), [](const BroadAccess& a) { return a.admin; });
    finding.severity = admin ? core::Severity::high : core::Severity::medium;
    const std::string vendor = entry.vendor.empty() ? entry.identity.name : entry.vendor;
    finding.title = fmt::format("Third-party app from {} holds {}", vendor,
                                admin ? "admin scopes" : "write access beyond one user's own data");

    for (const auto& grant : access) {
      std::string text = fmt::format("{} {}: {}", admin && grant.admin ? "admin scope" : "scope", grant.scope, grant.reason);
      if (!grant.granted_by.empty()) text += fmt::format(" (granted by {})", grant.granted_by);
      finding.evidence.push_back(core::Evidence{std::move(text), {}, std::nullopt});
    }
    if (!entry.connected_by.empty()) {
      finding.evidence.push_back(core::Evidence{
          fmt::format("connected by {}", join_limited(entry.connected_by, 5)), {}, std::nullopt});
    }
    finding.evidence.push_back(core::Evidence{
        fmt::format("{} {} is active; last used {}", entry.platform, entry.kind,
                    entry.last_used ? core::format_time(*entry.last_used) : std::string("unknown")),
        {},
        entry.last_used});

    finding.remediation = fmt::format(
        "Ask the owner of {} which of these scopes the integration needs, and reduce it to those (a read-only or "
        "per-user scope, selected repositories). If the vendor cannot work with less, remove the app.",
        entry.identity.name.empty() ? entry.identity.id : entry.identity.name);
    finding.remediation_steps = remove_app_steps(entry);
    finding.check_first = {
        "Which team uses the integration, and whether the vendor documents a narrower scope set",
        "Recent use of the app (last used above, sign-in or token activity logs) so a removal does not stop a "
        "running sync unannounced"};
    finding.safe_now = false;
    finding.safe_reason = "Narrowing or removing the scopes stops whatever the integration does with them.";
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(ThirdPartyBroadScopesCheck);

}  // namespace keyward::posture
