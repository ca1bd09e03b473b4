// okta.api.rate_limit_violation_by_machine: an SSWS API token or an OAuth service app exceeds an
// Okta rate limit, so Okta rejected its requests. Integrations are written to stay under their
// limits, so a violation means a script is enumerating users, groups or apps in bulk, which is
// what an attacker does first with a stolen token. Warnings (80% of a limit) and people's
// sessions are left alone.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/okta_record.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "okta.api.rate_limit_violation_by_machine";
constexpr std::string_view kTitle = "Okta API token or service app exceeded a rate limit";

class OktaMachineRateLimitViolation final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An Okta API token or service app exceeds a rate limit: bulk enumeration, the first thing done with a "
           "stolen token.";
  }
  std::vector<std::string_view> platforms() const override { return {"okta"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    const std::string_view name = event.event_name;
    if (!name.starts_with("system.") || !name.ends_with("rate_limit.violation")) return;
    if (event.actor_kind != core::ActorKind::machine) return;
    const nlohmann::json record = okta::parse_record(event);
    std::string uri = okta::string_at(record, {"debugContext", "debugData", "requestUri"});
    if (uri.empty()) {
      const nlohmann::json* targets = okta::member_at(record, {"target"});
      if (targets != nullptr && targets->is_array() && !targets->empty()) uri = okta::string_at((*targets)[0], {"id"});
    }

    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, 50, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} exceeded an Okta rate limit ({}) on {} from {}", baseline::describe_entity(event), name,
                           uri.empty() ? std::string("an unlogged endpoint") : baseline::printable(uri, 200),
                           event.source_ip.empty() ? std::string("an unlogged address") : baseline::printable(event.source_ip, 64))));
    alert.remediation = fmt::format(
        "Check the token's or app's other calls in the same minutes for bulk reads of users, groups or apps. If "
        "the integration does not do that, revoke it: {}",
        containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", baseline::entity_of(event), aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(OktaMachineRateLimitViolation);

}  // namespace
}  // namespace keyward::detect
