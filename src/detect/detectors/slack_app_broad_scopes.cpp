// slack.app.broad_scopes_granted: an app is installed, approved or given more scopes, and what it
// now holds reads private conversations or administers the workspace. Admin scopes let the app's
// token manage users, apps and settings; *:history scopes on private channels, DMs and group DMs
// let it read every message there. Either token, leaked from the vendor or the app's host, is a
// copy of the workspace. Apps with narrow scopes (posting, slash commands) are left alone.

#include <fmt/format.h>

#include <sstream>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"
#include "sources/slack/scope_levels.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "slack.app.broad_scopes_granted";
constexpr std::string_view kTitle = "Slack app granted admin or private-message scopes";
constexpr size_t kMaxScopes = 128;

bool is_grant_action(std::string_view action) {
  return action == "app_installed" || action == "app_approved" || action == "app_scopes_expanded" ||
         action == "bot_token_upgraded" || action == "org_app_workspace_added" || action == "app_resources_granted";
}

// Scopes that read private channels, DMs and group DMs, or every file and search result the
// token's user can see. channels:history is left out: it reads only public channels.
bool reads_private_messages(std::string_view scope) {
  return scope == "groups:history" || scope == "im:history" || scope == "mpim:history" || scope == "search:read" ||
         scope == "files:read";
}

struct Classified {
  std::vector<std::string> admin;
  std::vector<std::string> private_read;
};

Classified classify(std::string_view scopes) {
  Classified out;
  std::istringstream stream{std::string(scopes)};
  std::string scope;
  size_t seen = 0;
  while (stream >> scope && ++seen <= kMaxScopes) {
    if (sources::slack::scope_level(scope) == "admin") {
      out.admin.push_back(baseline::printable(scope, 80));
    } else if (reads_private_messages(scope)) {
      out.private_read.push_back(baseline::printable(scope, 80));
    }
  }
  return out;
}

class SlackAppBroadScopes final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An app is installed, approved or given more scopes and now holds admin scopes or scopes that read "
           "private channels and DMs; its token is then a copy of the workspace.";
  }
  std::vector<std::string_view> platforms() const override { return {"slack"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!is_grant_action(event.event_name)) return;
    const Classified scopes = classify(event.scopes);
    if (scopes.admin.empty() && scopes.private_read.empty()) return;
    const nlohmann::json record = nlohmann::json::parse(event.raw_record, nullptr, false);
    std::string app_id, app_name;
    bool internal = false;
    if (record.is_object() && record.contains("entity") && record["entity"].is_object() &&
        record["entity"].contains("app") && record["entity"]["app"].is_object()) {
      const nlohmann::json& app = record["entity"]["app"];
      if (app.contains("id") && app["id"].is_string()) app_id = baseline::printable(app["id"].get<std::string>(), 64);
      if (app.contains("name") && app["name"].is_string()) app_name = baseline::printable(app["name"].get<std::string>(), 120);
    }
    if (record.is_object() && record.contains("details") && record["details"].is_object()) {
      const nlohmann::json& details = record["details"];
      internal = details.contains("is_internal_integration") && details["is_internal_integration"].is_boolean() &&
                 details["is_internal_integration"].get<bool>();
    }

    const bool admin = !scopes.admin.empty();
    std::string description = fmt::format("{} {} app {} ({}{})", baseline::describe_entity(event), event.event_name,
                                          app_name.empty() ? std::string("(name not logged)") : app_name, app_id,
                                          internal ? ", built in this organization" : ", a third-party app");
    if (admin) description += fmt::format("; admin scopes: {}", baseline::join_values(scopes.admin, 8));
    if (!scopes.private_read.empty()) {
      description += fmt::format("; scopes that read private conversations or files: {}", baseline::join_values(scopes.private_read, 8));
    }

    core::Alert alert = make_alert(kId, kTitle, admin ? core::Severity::high : core::Severity::medium, admin ? 80 : 55, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    const std::string uninstall = fmt::format(
        "curl -X POST https://slack.com/api/admin.apps.uninstall -H \"Authorization: Bearer $SLACK_ADMIN_TOKEN\" -d "
        "app_id={}",
        app_id.empty() ? std::string("APP_ID") : app_id);
    alert.remediation = fmt::format(
        "Confirm that the app was reviewed and needs these scopes, and who holds its tokens. If not, remove it: {}",
        uninstall);
    alert.dedupe_key = event.event_id.empty() ? fmt::format("{}|{}|{}", app_id, event.event_name, event.time)
                                              : event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(SlackAppBroadScopes);

}  // namespace
}  // namespace keyward::detect
