// client.offensive_user_agent: an AWS call made with an offensive tool (Pacu, TruffleHog,
// CloudFox, Stratus Red Team, WeirdAAL) or from a penetration-testing distribution (Kali,
// Parrot, Pentoo: the AWS CLI and SDKs write the OS release into their user agent). Legitimate
// workloads never run these; a red-team exercise should be known to the account owner.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"
#include "enrich/user_agent.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "client.offensive_user_agent";
constexpr std::string_view kTitle = "Call from an offensive tool or penetration-testing system";

class OffensiveUserAgent final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A call made with an offensive tool (Pacu, TruffleHog, CloudFox) or from a penetration-testing distribution (Kali, Parrot, Pentoo).";
  }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.identity_id.empty()) return;
    // The enricher sets the flag; without one (family empty) the classification runs here.
    const bool enriched = !event.enrichment.user_agent_family.empty();
    if (enriched && !event.enrichment.user_agent_offensive) return;
    const enrich::UserAgentInfo info = enrich::classify_user_agent(event.user_agent);
    if (!info.offensive) return;

    const bool tool = info.family == "offensive-tool";
    // TruffleHog calls sts:GetCallerIdentity to check whether a key it found in code or logs
    // still works, so the key has leaked no matter who ran the scan.
    const bool leaked_key_check = info.marker == "TruffleHog";
    std::string description = fmt::format("{} called {} from {} with user agent \"{}\": {}",
                                          baseline::describe_entity(event), action_of(event), event.source_ip,
                                          baseline::printable(event.user_agent, 200),
                                          tool ? fmt::format("the client is {}", info.marker)
                                               : fmt::format("the client runs on {}", info.marker));
    if (leaked_key_check) description += "; TruffleHog verifies secrets it found exposed, so this key has leaked";

    int score = 60;
    if (tool) score = 80;
    if (leaked_key_check) score = 90;
    core::Alert alert = make_alert(kId, kTitle, tool ? core::Severity::high : core::Severity::medium, score, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Unless this is an announced security test, contain the credential now: {}{}", containment_command(event),
        leaked_key_check ? ", then rotate the key and remove it from where it was exposed" : "");
    // One alert per credential, tool and day: a tool run makes hundreds of calls.
    alert.dedupe_key =
        fmt::format("{}|{}|{}", baseline::entity_of(event), info.marker, core::format_date(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(OffensiveUserAgent);

}  // namespace
}  // namespace keyward::detect
