// workspace.admin.marketplace_app_installed: an admin installs a Google Workspace Marketplace app
// for the domain (ADD_APPLICATION). The app's OAuth client is then granted its scopes for every
// user in the installed organizational units without each user's consent, so a new third-party
// identity gains tenant-wide access in one step.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/workspace_parameters.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "workspace.admin.marketplace_app_installed";
constexpr std::string_view kTitle = "Marketplace app installed for the domain";

class MarketplaceAppInstalled final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An admin installs a Marketplace app domain-wide, which grants the app's OAuth client its scopes for "
           "every covered user without their consent.";
  }
  std::vector<std::string_view> platforms() const override { return {"workspace"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "admin" || event.event_name != "ADD_APPLICATION" || !event.error_code.empty()) return;
    const workspace::EventParameters parameters(event);
    const std::string app_id = parameters.text("APP_ID");
    const std::string app_name = parameters.text("APPLICATION_NAME");
    if (parameters.text("APPLICATION_ENABLED") == "false") return;  // installed but left off

    const std::string app_text = fmt::format("{} (Marketplace id {})",
                                             app_name.empty() ? std::string("an unnamed app") : baseline::printable(app_name, 120),
                                             app_id.empty() ? std::string("not logged") : baseline::printable(app_id, 40));
    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, 60, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} installed {} for the domain", event.identity_id, app_text)));
    alert.remediation = fmt::format(
        "Review the scopes of {} under Admin console > Apps > Google Workspace Marketplace apps and uninstall it if "
        "it was not approved. If {} did not make the change, sign the admin out: {}",
        app_text, event.identity_id, workspace::sign_out_command(event.identity_id));
    alert.dedupe_key = fmt::format("{}|{}", event_dedupe_key(event), app_id);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(MarketplaceAppInstalled);

}  // namespace
}  // namespace keyward::detect
