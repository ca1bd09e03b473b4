// network.new_asn: a credential or identity is used from an autonomous system (network operator)
// it was never used from, after its learning period. Workloads call AWS from a stable set of
// networks; a stolen key shows up from the thief's ISP, a VPS, a VPN exit or Tor. The alert is
// more severe when the new network is hosting, VPN or Tor, where attackers rent their
// infrastructure. It is low when a person's own IAM user moves, with the AWS CLI or an SDK, to a
// residential or mobile ISP or to an unclassified network others in the organization use.
// People change ISPs and offices; workloads rarely do. People's console sign-ins are skipped.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_person_keys.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "network.new_asn";
constexpr std::string_view kTitle = "Credential used from a new network (ASN)";
const std::string kDimension = "asn";

bool is_anonymizing(std::string_view network_class) {
  return network_class == "hosting" || network_class == "vpn" || network_class == "tor";
}

// "AS14061 DigitalOcean, LLC (hosting)".
std::string describe_network(const core::EventEnrichment& enrichment) {
  std::string text = fmt::format("AS{}", enrichment.asn);
  if (!enrichment.asn_org.empty()) text += " " + enrichment.asn_org;
  if (!enrichment.network_class.empty()) text += fmt::format(" ({})", enrichment.network_class);
  return text;
}

class NewAsn final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "After its learning period, a credential is used from a network (ASN) it never used before; more severe "
           "when the network is hosting, VPN or Tor, low when a person's own key moves to a home or office network.";
  }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    const core::EventEnrichment& enrichment = event.enrichment;
    if (!enrichment.ip_valid || !enrichment.ip_public || enrichment.asn == 0) return;
    if (is_provider_internal(event) || is_human_actor(event)) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;

    const std::string asn = fmt::format("AS{}", enrichment.asn);
    // Decided before observe() counts this entity among the network's users.
    const bool person_at_work = event.platform == "aws" && aws::is_owner_on_everyday_network(event, asn, ctx);
    const bool known = ctx.observe(entity, kDimension, asn, event.time).has_value();
    // A person signing in to the console from home or the office is left to the sign-in
    // detectors, as other human sessions are. The network is still recorded above.
    if (person_at_work && event.event_type == "AwsConsoleSignIn") return;
    if (known) {
      labels_[asn] = describe_network(enrichment);
      recent_.add(entity, asn);
      return;
    }
    const bool learning_done = baseline::learning_complete(ctx, entity, event.time);
    // Remember the network after deciding, so the alert does not list the new one as known.
    const std::vector<std::string> earlier = earlier_networks(ctx, entity, asn);
    labels_[asn] = describe_network(enrichment);
    recent_.add(entity, asn);
    if (!learning_done) return;

    std::string description = fmt::format("{} called {} from {}, a network it was never used from",
                                          baseline::describe_entity(event), action_of(event),
                                          describe_network(enrichment));
    description += earlier.empty()
                       ? "; networks seen before this input are not listed"
                       : fmt::format("; seen before from {}", baseline::join_values(earlier, 5));
    description += fmt::format(" (activity since {}, source IP {})", baseline::first_activity_date(ctx, entity),
                               event.source_ip);

    const bool risky = is_anonymizing(enrichment.network_class);
    core::Severity severity = risky ? core::Severity::high : core::Severity::medium;
    int score = risky ? 75 : 50;
    if (person_at_work) {
      severity = core::Severity::low;
      score = 25;
      description += "; the IAM user belongs to a person, who used the console or an ordinary AWS client from a network where "
                     "people work";
    }
    core::Alert alert = make_alert(kId, kTitle, severity, score, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    // describe_network() may end with the organization's own period ("Zayo Bandwidth, Inc.").
    std::string network = describe_network(enrichment);
    if (network.ends_with('.')) network.pop_back();
    alert.remediation =
        person_at_work
            ? fmt::format("Confirm with the key's owner that they now work from {}. If not, contain the credential: {}",
                          network, containment_command(event))
            : fmt::format("Confirm with the owner that the workload now runs in {}. If not, contain the credential: {}",
                          network, containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, asn);
    ctx.raise(std::move(alert));
  }

 private:
  // Networks this entity used earlier in this run, with their organization where known.
  std::vector<std::string> earlier_networks(DetectContext& ctx, const std::string& entity, const std::string& asn) {
    std::vector<std::string> earlier;
    for (const std::string& known : baseline::known_values(ctx, entity, kDimension, recent_.of(entity), asn)) {
      auto label = labels_.find(known);
      earlier.push_back(label == labels_.end() ? known : label->second);
    }
    return earlier;
  }

  // No fixed list of ASNs exists to probe, so the networks this run saw stand in for it.
  baseline::RecentValues recent_;
  // "AS7922" -> "AS7922 Comcast Cable Communications, LLC"; bounded by the distinct ASNs seen.
  std::unordered_map<std::string, std::string> labels_;
};

KEYWARD_REGISTER_DETECTOR(NewAsn);

}  // namespace
}  // namespace keyward::detect
