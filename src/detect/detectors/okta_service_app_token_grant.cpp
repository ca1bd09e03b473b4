// okta.service_app.token_grant_anomaly: an OAuth service app gets an access token (client
// credentials grant) from a network (ASN) or with scopes it never used before, after its
// learning period (7 days by default). A service app authenticates with a client secret or
// private key that lives in one workload, so a grant from elsewhere means the secret was copied.
// New scopes mean someone widened what the app may do, and okta.*.manage scopes administer the org.

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/okta_record.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "okta.service_app.token_grant_anomaly";
constexpr std::string_view kTitle = "Okta service app token granted from a new network or with new scopes";
const std::string kNetworkDimension = "okta_grant_asn";
const std::string kScopeDimension = "okta_grant_scope";
const std::string kActivityDimension = "okta_grant_activity";
constexpr size_t kMaxScopes = 64;

bool is_token_grant(std::string_view name) {
  return name.starts_with("app.oauth2.as.token.grant") || name.starts_with("app.oauth2.token.grant");
}

std::vector<std::string> split_scopes(std::string_view text) {
  std::vector<std::string> scopes;
  std::string scope;
  std::istringstream stream{std::string(text)};
  while (stream >> scope && scopes.size() < kMaxScopes) {
    if (scope.back() == ',') scope.pop_back();
    if (!scope.empty()) scopes.push_back(baseline::printable(scope, 128));
  }
  return scopes;
}

bool administers_org(const std::string& scope) { return scope.starts_with("okta.") && scope.ends_with(".manage"); }

class OktaServiceAppTokenGrant final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "After its first week, an OAuth service app obtains a client-credentials token from a network or with "
           "scopes it never used: a copied client secret or widened rights.";
  }
  std::vector<std::string_view> platforms() const override { return {"okta"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!is_token_grant(event.event_name) || !event.error_code.empty()) return;
    if (event.actor_kind != core::ActorKind::machine || event.identity_id.empty()) return;
    const nlohmann::json record = okta::parse_record(event);
    const std::string grant_type = okta::string_at(record, {"debugContext", "debugData", "grantType"});
    if (!grant_type.empty() && grant_type != "client_credentials") return;

    const std::string entity = baseline::entity_of(event);
    const auto activity = ctx.observe(entity, kActivityDimension, "any", event.time);
    const bool learning_done =
        activity && event.time - activity->first_seen >=
                        static_cast<core::UnixTime>(ctx.options().learning_days) * core::kSecondsPerDay;

    const okta::Network network = okta::network_of(event, record);
    bool new_network = false;
    if (!network.asn.empty()) new_network = !ctx.observe(entity, kNetworkDimension, network.asn, event.time).has_value();
    std::vector<std::string> new_scopes;
    bool new_admin_scope = false;
    for (const std::string& scope : split_scopes(event.scopes)) {
      if (ctx.observe(entity, kScopeDimension, scope, event.time)) continue;
      new_admin_scope = new_admin_scope || administers_org(scope);
      new_scopes.push_back(scope);
    }
    if (!learning_done || (!new_network && new_scopes.empty())) return;

    std::string description = fmt::format("{} was granted an access token", baseline::describe_entity(event));
    if (new_network) {
      description += fmt::format(" from {}, a network it never used since {} (source IP {})", network.description,
                                 core::format_date(activity->first_seen), baseline::printable(event.source_ip, 64));
    }
    if (!new_scopes.empty()) {
      description += fmt::format("{} with scopes it never held before: {}", new_network ? ";" : "",
                                 baseline::join_values(new_scopes, 8));
    }
    const bool high = new_admin_scope || (new_network && network.anonymized);
    core::Alert alert = make_alert(kId, kTitle, high ? core::Severity::high : core::Severity::medium, high ? 75 : 55, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Confirm with the app's owner that its workload moved or that the new scopes were granted on purpose. If "
        "not, rotate the app's client secret or key and deactivate the app: {}",
        containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}|{}|{}", entity, new_network ? network.asn : "",
                                   baseline::join_values(new_scopes, kMaxScopes), aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(OktaServiceAppTokenGrant);

}  // namespace
}  // namespace keyward::detect
