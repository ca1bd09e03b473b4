// workspace.oauth.high_risk_grant_to_new_app: a user authorizes an OAuth client that the
// organization has not seen before, with scopes that reach all of the user's mail or files or the
// Admin SDK. Consent phishing and rogue integrations start this way: the token keeps working
// after the user's password changes, until someone revokes it.
//
// "Seen before" means the client id is listed in the inventory (an OAuth tokens export) or was
// recorded in an earlier token event of the same customer. The organization's first
// DetectOptions::learning_days of token events only record clients.

#include <fmt/format.h>

#include <array>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "workspace.oauth.high_risk_grant_to_new_app";
constexpr std::string_view kTitle = "High-risk OAuth scopes granted to an app new to the organization";
const std::string kClientDimension = "oauth_client";
const std::string kTokenActivityDimension = "token_activity";

// Scopes that give a client a whole mailbox, a whole Drive, or directory administration.
constexpr std::array<std::string_view, 6> kHighRiskScopes = {
    "https://mail.google.com/",
    "https://www.googleapis.com/auth/gmail.modify",
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/drive",
    "https://www.googleapis.com/auth/drive.readonly",
    "https://www.googleapis.com/auth/cloud-platform",
};
constexpr std::string_view kAdminScopePrefix = "https://www.googleapis.com/auth/admin.";

bool is_high_risk(std::string_view scope) {
  if (scope.substr(0, kAdminScopePrefix.size()) == kAdminScopePrefix) return true;
  for (std::string_view risky : kHighRiskScopes) {
    if (scope == risky) return true;
  }
  return false;
}

std::vector<std::string> high_risk_scopes_of(std::string_view scopes) {
  std::vector<std::string> risky;
  while (!scopes.empty()) {
    const size_t end = scopes.find_first_of(" ,");
    std::string_view scope = scopes.substr(0, end);
    if (!scope.empty() && is_high_risk(scope)) risky.emplace_back(scope);
    scopes = end == std::string_view::npos ? std::string_view() : scopes.substr(end + 1);
  }
  return risky;
}

class OAuthHighRiskGrant final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A user authorizes an OAuth client the organization has not seen before with full Gmail, full Drive, "
           "Cloud Platform or Admin SDK scopes, the pattern of consent phishing and rogue integrations.";
  }
  std::vector<std::string_view> platforms() const override { return {"workspace"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "token" || !event.error_code.empty()) return;
    const std::string client(event.credential_id);
    if (client.empty()) return;
    const std::string organization = fmt::format("workspace:customer:{}", event.account_id.empty() ? "unknown" : event.account_id);
    const auto first_activity = ctx.observe(organization, kTokenActivityDimension, "any", event.time);
    const bool known_client = ctx.observe(organization, kClientDimension, client, event.time).has_value();
    if (event.event_name != "authorize" || known_client) return;

    const core::UnixTime learning = static_cast<core::UnixTime>(ctx.options().learning_days) * core::kSecondsPerDay;
    if (!first_activity || event.time - first_activity->first_seen < learning) return;
    const core::Identity* listed = ctx.find_identity("workspace", client);
    if (listed != nullptr && listed->created && *listed->created < event.time) return;

    const std::vector<std::string> risky = high_risk_scopes_of(event.scopes);
    if (risky.empty()) return;

    core::Alert alert = make_alert(kId, kTitle, core::Severity::high, 75, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} authorized OAuth client {} with {}; the client was never seen in this organization's "
                           "token events since {} nor listed in the inventory",
                           event.identity_id, baseline::printable(client, 120), baseline::join_values(risky, 6),
                           core::format_date(first_activity->first_seen))));
    alert.remediation = fmt::format(
        "Ask {} whether they meant to grant this app access. If not, revoke the token: {}. To keep the app out of "
        "the domain, block client {} under Admin console > Security > API controls > App access control.",
        event.identity_id, containment_command(event), baseline::printable(client, 120));
    alert.dedupe_key = fmt::format("{}|{}", organization, client);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(OAuthHighRiskGrant);

}  // namespace
}  // namespace keyward::detect
