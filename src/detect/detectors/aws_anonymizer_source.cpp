// aws.network.anonymizer_source: an AWS credential is used from a Tor exit node or a commercial VPN
// network. Workloads run in data centers and CI runners and have no reason to hide their
// address, so a key or role session seen behind an anonymizer is most likely in someone else's
// hands. Tor alerts for any actor, people included, because no sanctioned access to an AWS
// account goes through Tor. VPN networks alert only for machine callers, because people use
// consumer VPNs for ordinary reasons.

// TODO: Tor has no example, because the enrichment fixture loads no Tor exit list.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.network.anonymizer_source";
constexpr std::string_view kTitle = "AWS credential used from Tor or a VPN";

class AnonymizerSource final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An AWS credential is used from a Tor exit node (any actor) or a commercial VPN network (machine callers), where attackers hide their origin.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    const core::EventEnrichment& enrichment = event.enrichment;
    const bool tor = enrichment.network_class == "tor";
    const bool vpn = enrichment.network_class == "vpn";
    if (!tor && !vpn) return;
    if (aws::is_aws_service_caller(event)) return;
    if (vpn && aws::is_human_session(event)) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;

    std::string network = enrichment.asn == 0 ? std::string() : fmt::format(" (AS{} {})", enrichment.asn, enrichment.asn_org);
    core::Alert alert = aws::make_alert(kId, kTitle, tor ? core::Severity::high : core::Severity::medium, tor ? 85 : 65,
                                        event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} called {} from {}{}, a {} address{}", baseline::describe_entity(event),
                           aws::short_action(event), baseline::printable(event.source_ip, 64), network,
                           tor ? "Tor exit" : "commercial VPN",
                           event.error_code.empty() ? "" : fmt::format("; the call failed with {}",
                                                                       baseline::printable(event.error_code, 64)))));
    alert.remediation = fmt::format(
        "No workload of this account should reach AWS through {}. Contain the credential and review what it "
        "did from there: {}",
        tor ? "Tor" : "a commercial VPN", aws::containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}|{}", entity, enrichment.network_class, aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(AnonymizerSource);

}  // namespace
}  // namespace keyward::detect
