// nhi.third_party.unverified_publisher: an active third-party app whose publisher the platform
// has not verified: an Entra ID service principal without a verified publisher (Microsoft Partner
// Network verification), a Slack app not approved for the Slack Marketplace. Nobody vouches for
// who operates such an app, and consent phishing uses exactly these apps (OWASP NHI3, Vulnerable
// Third-Party NHI). Write or admin access raises the severity.
//
// Only the platforms whose exports state verification are evaluated. Google Workspace token
// exports, GitHub and Salesforce exports do not say whether the publisher is verified, so their
// apps are never reported here.

#include <fmt/format.h>

#include <algorithm>

#include "inventory/privilege.hpp"
#include "posture/checks/third_party_support.hpp"

namespace keyward::posture {
namespace {

// Where each platform shows verification, for the evidence line.
std::string verification_source(const std::string& platform) {
  if (platform == "entra") return "verifiedPublisher.verifiedPublisherId is empty";
  if (platform == "slack") return "is_app_directory_approved is false";
  return "the platform marks the publisher as not verified";
}

class ThirdPartyUnverifiedPublisherCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.third_party.unverified_publisher"; }
  std::string_view title() const override { return "Third-party app from an unverified publisher"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI3"; }
  std::string_view description() const override {
    return "Nobody vouches for who runs an app from an unverified publisher: consent phishing and look-alike apps use "
           "exactly these, and a small unknown vendor is rarely audited. With write or admin scopes, its tokens can "
           "change the organization's data.";
  }
  std::vector<std::string_view> platforms() const override { return {"entra", "slack"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& entry : inventory.entries) {
      if (!is_active_third_party(entry)) continue;
      if (!entry.publisher_verified.has_value() || *entry.publisher_verified) continue;
      findings.push_back(make_finding(entry));
    }
  }

 private:
  core::Finding make_finding(const report::InventoryEntry& entry) const {
    core::Finding finding = start_app_finding(*this, entry);
    const std::vector<BroadAccess> broad = find_broad_access(entry);
    const int rank = inventory::privilege_rank(entry.privilege);
    const bool admin = rank >= 3 || std::any_of(broad.begin(), broad.end(), [](const BroadAccess& a) { return a.admin; });
    const bool write = rank >= 2 || !broad.empty();
    finding.severity = admin ? core::Severity::high : core::Severity::medium;

    const std::string publisher = entry.publisher.empty() ? entry.identity.name : entry.publisher;
    finding.title = fmt::format("Third-party app from unverified publisher {}{}", publisher,
                                admin ? " holds admin access" : write ? " holds write access" : "");
    finding.evidence.push_back(core::Evidence{
        fmt::format("{} publisher \"{}\" is not verified: {}", entry.platform, publisher,
                    verification_source(entry.platform)),
        {},
        std::nullopt});
    if (!entry.scopes.empty()) {
      finding.evidence.push_back(core::Evidence{
          fmt::format("scopes: {} (privilege {})", join_limited(entry.scopes, 8),
                      entry.privilege.empty() ? "unknown" : entry.privilege),
          {},
          std::nullopt});
    }
    if (!entry.connected_by.empty()) {
      finding.evidence.push_back(core::Evidence{
          fmt::format("connected by {}", join_limited(entry.connected_by, 5)), {}, entry.identity.created});
    }

    finding.remediation = fmt::format(
        "Confirm with the people who connected {} that it is the vendor's genuine app and still needed; remove it if "
        "not. Keep users from consenting to unverified apps themselves.",
        entry.identity.name.empty() ? entry.identity.id : entry.identity.name);
    finding.remediation_steps = remove_app_steps(entry);
    if (entry.platform == "entra") {
      finding.remediation_steps.push_back(
          "Entra admin center > Enterprise applications > Consent and permissions > User consent settings: \"Allow "
          "user consent for apps from verified publishers, for selected permissions\"");
    } else if (entry.platform == "slack") {
      finding.remediation_steps.push_back(
          "Slack: Organization settings > Integrations > App management settings: require admin approval for app "
          "installs");
    }
    finding.check_first = {"Who connected the app and whether their team still uses it",
                           "The publisher's domain and reply URLs match the vendor the users meant to connect"};
    finding.safe_now = false;
    finding.safe_reason = "Removing the app stops the integration for everyone who uses it.";
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(ThirdPartyUnverifiedPublisherCheck);

}  // namespace keyward::posture
