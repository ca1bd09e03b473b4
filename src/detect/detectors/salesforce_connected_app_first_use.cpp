// salesforce.connected_app.first_use: a connected app that the inventory does not list and that
// this organization's events never showed acts with a user's OAuth token. Third-party apps
// authorized by one user (consent phishing, a developer's test app) reach the org's data without an admin reviewing them. There is no learning
// period: each unknown app alerts once, and ingesting the connected apps inventory first keeps
// approved apps quiet.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "salesforce.connected_app.first_use";
constexpr std::string_view kTitle = "Connected app not in the inventory used for the first time";
const std::string kDimension = "connected_app";

// True when the space-separated scope list grants everything the user can do or a token that
// outlives the session.
bool has_broad_scope(std::string_view scopes) {
  while (!scopes.empty()) {
    const size_t end = scopes.find_first_of(" ,");
    const std::string_view scope = scopes.substr(0, end);
    if (scope == "full" || scope == "refresh_token" || scope == "offline_access") return true;
    scopes = end == std::string_view::npos ? std::string_view() : scopes.substr(end + 1);
  }
  return false;
}

class ConnectedAppFirstUse final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A connected app that the inventory does not list and the org's events never showed acts with a user's "
           "OAuth token; high when it holds full or refresh-token scopes.";
  }
  std::vector<std::string_view> platforms() const override { return {"salesforce"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.credential_id.empty() || !event.error_code.empty()) return;
    const std::string app_id(event.credential_id);
    const std::string organization = fmt::format("salesforce:org:{}", event.account_id.empty() ? "unknown" : event.account_id);
    if (ctx.observe(organization, kDimension, app_id, event.time)) return;
    const std::string app_name = app_name_of(event);
    if (!ctx.find_identities(app_id).empty()) return;
    if (!app_name.empty() && !ctx.find_identities(app_name).empty()) return;

    const bool broad = has_broad_scope(event.scopes);
    core::Alert alert = make_alert(kId, kTitle, broad ? core::Severity::high : core::Severity::medium, broad ? 70 : 55, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("Connected app {} ({}) made a {} call as {} from {} with scopes '{}'; the inventory does not "
                           "list it and no earlier event of org {} showed it",
                           app_name.empty() ? std::string("(name not logged)") : baseline::printable(app_name, 120),
                           baseline::printable(app_id, 40), baseline::printable(event.event_name, 60),
                           baseline::printable(event.user_name.empty() ? std::string_view(event.identity_id) : event.user_name, 120),
                           event.source_ip, baseline::printable(event.scopes, 120), baseline::printable(event.account_id, 40))));
    alert.remediation = fmt::format(
        "Review the app under Setup > Connected Apps OAuth Usage. If nobody approved it, block it there and revoke "
        "its tokens; if the user's account is at risk, freeze it: {}",
        containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", organization, app_id);
    ctx.raise(std::move(alert));
  }

 private:
  static std::string app_name_of(const core::Event& event) {
    if (event.raw_record.empty()) return {};
    const nlohmann::json record = nlohmann::json::parse(event.raw_record, nullptr, false);
    if (!record.is_object()) return {};
    auto name = record.find("CONNECTED_APP_NAME");
    return name != record.end() && name->is_string() ? name->get<std::string>() : std::string();
  }
};

KEYWARD_REGISTER_DETECTOR(ConnectedAppFirstUse);

}  // namespace
}  // namespace keyward::detect
