// aws.sts.key_validated_from_new_network: a long-lived access key calls sts:GetCallerIdentity
// from a network outside the cloud providers that the key was never used from. Whoever finds a
// key in a repository, a paste or a container image checks it first with GetCallerIdentity,
// which needs no permission and cannot be denied; secret scanners such as TruffleHog verify keys
// the same way. Workloads that run in a cloud use that cloud's networks, so the first call of an
// AKIA key from a residential ISP or a rented server is the moment a leaked key gets tested.
//
// It stays quiet for a person's own key checked from where people work. The inventory must show a
// person behind the key's IAM user (classified human, or a console password used within the last
// 90 days), and the client must be the AWS CLI or an AWS SDK. The network must be residential or
// mobile, or unclassified and already used by other credentials of the organization. That is most
// often the owner running `aws sts get-caller-identity` at home or on a new laptop. Machine keys,
// keys the inventory does not list, hosting, VPN and Tor networks, unclassified networks new to
// the organization, and other clients still alert.
// NOTE: an attacker who tests a person's key through a residential proxy, or from an ISP that
// colleagues use, with the stock AWS CLI is not reported here. network.new_asn and
// network.new_country still see the new network.
//
// "Never used from" reads the per-key ASN baseline that network.new_asn keeps. Detectors run in
// id order, so this one reads the baseline before network.new_asn records the current event.
// NOTE: that order is what makes the check see the state before this event; renaming either
// detector can change it.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/aws_person_keys.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.sts.key_validated_from_new_network";
constexpr std::string_view kTitle = "Access key validated from a new non-cloud network";
const std::string kAsnDimension = "asn";

class CredentialValidationFromOutside final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A long-lived access key calls sts:GetCallerIdentity from a non-cloud network it was never used from, the "
           "check people run on a key they found. A person's own key checked with the AWS CLI or an SDK from a "
           "residential network, or from an unclassified network others in the organization use, is left out.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "sts.amazonaws.com" || event.event_name != "GetCallerIdentity") return;
    if (!event.error_code.empty() || !aws::is_long_lived_key(event.access_key_id)) return;
    if (!aws::is_machine_caller(event)) return;
    const core::EventEnrichment& enrichment = event.enrichment;
    if (!aws::is_known_network_outside_aws(enrichment) || enrichment.network_class == "cloud") return;

    const std::string entity = baseline::entity_of(event);
    const std::string asn = fmt::format("AS{}", enrichment.asn);
    if (enrichment.asn != 0 && ctx.lookup(entity, kAsnDimension, asn)) return;
    if (aws::is_owner_on_everyday_network(event, asn, ctx)) return;

    const std::string first_date = baseline::first_activity_date(ctx, entity);
    std::string description = fmt::format(
        "{} called sts:GetCallerIdentity from {} ({}{}{}), a network this key was never used from", 
        baseline::describe_entity(event), baseline::printable(event.source_ip, 64), asn,
        enrichment.asn_org.empty() ? "" : " " + enrichment.asn_org,
        enrichment.network_class.empty() ? "" : fmt::format(", {}", enrichment.network_class));
    description += first_date.empty() ? "; no earlier activity of this key is recorded"
                                      : fmt::format("; key active since {}", first_date);
    description += fmt::format(", client {}", baseline::printable(event.user_agent, 120));

    const bool risky = enrichment.network_class == "hosting" || enrichment.network_class == "vpn" ||
                       enrichment.network_class == "tor";
    core::Alert alert = aws::make_alert(kId, kTitle, risky ? core::Severity::high : core::Severity::medium,
                                        risky ? 75 : 60, event);
    alert.evidence.push_back(aws::make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Ask the key's owner whether they ran this check from {}. If not, the key has probably leaked: search "
        "repositories, images and pastes for it, rotate it and contain it now: {}",
        baseline::printable(event.source_ip, 64), aws::containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, asn);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(CredentialValidationFromOutside);

}  // namespace
}  // namespace keyward::detect
