// workspace.admin.marketplace_access_changed: an admin changes the Marketplace access setting
// (SETTING_NAME ENABLE_G_SUITE_MARKETPLACE), which decides whether users may install any
// Marketplace app, only allowlisted apps, or none. Opening it lets every user grant third-party
// OAuth clients access to their mail and files.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/workspace_parameters.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "workspace.admin.marketplace_access_changed";
constexpr std::string_view kTitle = "Marketplace app access setting changed";

class MarketplaceAccessChanged final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An admin changes which Marketplace apps users may install, the control that keeps unvetted third-party "
           "OAuth clients out of the domain.";
  }
  std::vector<std::string_view> platforms() const override { return {"workspace"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "admin" || !event.error_code.empty()) return;
    if (event.event_name != "CHANGE_EMAIL_SETTING" && event.event_name != "CHANGE_APPLICATION_SETTING") return;
    const workspace::EventParameters parameters(event);
    if (parameters.text("SETTING_NAME") != "ENABLE_G_SUITE_MARKETPLACE") return;
    const std::string old_value = parameters.text("OLD_VALUE");
    const std::string new_value = parameters.text("NEW_VALUE");
    if (old_value == new_value) return;

    // TODO: the Reports API does not document what each numeric value means, so the alert cannot
    // tell a loosened setting from a tightened one and raises both.
    const std::string unit = parameters.text("ORG_UNIT_NAME");
    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, 55, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} changed the Marketplace access setting{} from '{}' to '{}'", event.identity_id,
                           unit.empty() ? std::string() : fmt::format(" of organizational unit {}", baseline::printable(unit, 120)),
                           baseline::printable(old_value.empty() ? "unset" : old_value, 40),
                           baseline::printable(new_value.empty() ? "unset" : new_value, 40))));
    alert.remediation = fmt::format(
        "Check Admin console > Apps > Google Workspace Marketplace apps > Settings. If users may now install any app "
        "and that was not approved, restore the allowlist and review apps installed since. If {} did not make the "
        "change, sign the admin out: {}",
        event.identity_id, workspace::sign_out_command(event.identity_id));
    alert.dedupe_key = event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(MarketplaceAccessChanged);

}  // namespace
}  // namespace keyward::detect
