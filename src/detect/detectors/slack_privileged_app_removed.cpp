// slack.app.privileged_app_removed: an app holding admin scopes or scopes that read private
// conversations is uninstalled, restricted or removed from a workspace. Such apps are usually
// the workspace's security, DLP, archiving or legal-hold tools, and removing one stops that
// control and its record keeping. An attacker or departing insider removes them before copying
// data; a routine clean-up removes narrow apps, which are left alone.

#include <fmt/format.h>

#include <sstream>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"
#include "sources/slack/scope_levels.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "slack.app.privileged_app_removed";
constexpr std::string_view kTitle = "Slack app with admin or private-message scopes removed";
constexpr size_t kMaxScopes = 128;

bool is_removal(std::string_view action) {
  return action == "app_uninstalled" || action == "app_restricted" || action == "org_app_workspace_removed" ||
         action == "app_removed_from_whitelist";
}

// The scopes of `scopes` that administer the workspace or read private conversations and files.
std::vector<std::string> privileged_scopes(std::string_view scopes) {
  std::vector<std::string> found;
  std::istringstream stream{std::string(scopes)};
  std::string scope;
  size_t seen = 0;
  while (stream >> scope && ++seen <= kMaxScopes) {
    const bool private_read = scope == "groups:history" || scope == "im:history" || scope == "mpim:history" ||
                              scope == "search:read" || scope == "files:read";
    if (private_read || sources::slack::scope_level(scope) == "admin") found.push_back(baseline::printable(scope, 80));
  }
  return found;
}

class SlackPrivilegedAppRemoved final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An app with admin scopes or scopes that read private conversations is removed; such apps are usually "
           "security, DLP or archiving tools whose removal stops that control.";
  }
  std::vector<std::string_view> platforms() const override { return {"slack"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!is_removal(event.event_name)) return;
    const std::vector<std::string> scopes = privileged_scopes(event.scopes);
    if (scopes.empty()) return;
    const nlohmann::json record = nlohmann::json::parse(event.raw_record, nullptr, false);
    std::string app_id, app_name;
    if (record.is_object() && record.contains("entity") && record["entity"].is_object() &&
        record["entity"].contains("app") && record["entity"]["app"].is_object()) {
      const nlohmann::json& app = record["entity"]["app"];
      if (app.contains("id") && app["id"].is_string()) app_id = baseline::printable(app["id"].get<std::string>(), 64);
      if (app.contains("name") && app["name"].is_string()) app_name = baseline::printable(app["name"].get<std::string>(), 120);
    }

    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, 45, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} {} app {} ({}), which held {}", baseline::describe_entity(event), event.event_name,
                           app_name.empty() ? std::string("(name not logged)") : app_name, app_id,
                           baseline::join_values(scopes, 8))));
    alert.remediation = fmt::format(
        "Ask the app's owner whether the removal was planned. If the app was a security, DLP or archiving tool, "
        "reinstall it and review what happened in the workspace while it was gone. If the remover's account is "
        "suspect, contain it: {}",
        containment_command(event));
    alert.dedupe_key = event.event_id.empty() ? fmt::format("{}|{}|{}", app_id, event.event_name, event.time)
                                              : event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(SlackPrivilegedAppRemoved);

}  // namespace
}  // namespace keyward::detect
