// entra.service_principal.new_asn: after its learning period, a service principal signs in with
// its secret or certificate from a network (ASN) it never used, and the network is not
// Microsoft's. Workloads that authenticate as an app run from a few fixed networks, so a new
// ISP, VPS or VPN is where a stolen client secret shows up. Managed identities are left out:
// their tokens are issued inside Azure and cannot be used elsewhere. Microsoft's own ASNs are
// left out because first-party services and Azure-hosted workloads sign in from there.

#include <fmt/format.h>

#include <array>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/entra_sign_in_names.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "entra.service_principal.new_asn";
constexpr std::string_view kTitle = "Service principal signed in from a new non-Microsoft network";
const std::string kDimension = "sign_in_asn";

// AS8075 is Microsoft's main network. NOTE: Microsoft registers more ASNs; others are matched by
// the enrichment's organization name only.
constexpr std::array<std::uint32_t, 1> kMicrosoftAsns = {8075};

bool is_microsoft_network(const core::EventEnrichment& enrichment) {
  for (std::uint32_t asn : kMicrosoftAsns) {
    if (enrichment.asn == asn) return true;
  }
  return enrichment.asn_org.find("Microsoft") != std::string::npos;
}

class ServicePrincipalNewAsn final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "After its learning period, a service principal signs in from a network it never used that is not "
           "Microsoft's, where a stolen client secret or certificate shows up.";
  }
  std::vector<std::string_view> platforms() const override { return {"entra"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_name != "ServicePrincipalSignIn" || !event.error_code.empty()) return;
    const core::EventEnrichment& enrichment = event.enrichment;
    if (!enrichment.ip_valid || !enrichment.ip_public || enrichment.asn == 0) return;
    // Baselines are per service principal, not per credential, so a rotated secret keeps its history.
    const std::string entity = fmt::format("entra:sp:{}", event.identity_id);
    const std::string asn = fmt::format("AS{}", enrichment.asn);
    const auto first = ctx.observe(entity, "sign_in", "any", event.time);
    if (ctx.observe(entity, kDimension, asn, event.time)) return;
    if (is_microsoft_network(enrichment)) return;
    const core::UnixTime learning = static_cast<core::UnixTime>(ctx.options().learning_days) * core::kSecondsPerDay;
    if (!first || event.time - first->first_seen < learning) return;

    const bool risky = enrichment.network_class == "hosting" || enrichment.network_class == "vpn" ||
                       enrichment.network_class == "tor";
    core::Alert alert = make_alert(kId, kTitle, risky ? core::Severity::high : core::Severity::medium, risky ? 75 : 55, event);
    const std::string name = entra::service_principal_name(event);
    if (!name.empty()) alert.identity.name = name;
    alert.title = fmt::format("{} signed in from a new non-Microsoft network ({}{})",
                              entra::service_principal_label(name, event.identity_id), asn,
                              enrichment.asn_org.empty() ? std::string() : " " + baseline::printable(enrichment.asn_org, 60));
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} signed in to {} from {} ({} {}{}), a network it never signed in from since {}",
                           baseline::describe_entity(event), baseline::printable(event.event_source, 80), event.source_ip,
                           asn, baseline::printable(enrichment.asn_org, 80),
                           enrichment.network_class.empty() ? std::string() : fmt::format(", {}", enrichment.network_class),
                           core::format_date(first->first_seen))));
    alert.remediation = fmt::format(
        "Confirm with the app's owner that its workload now runs at {}. If not, remove the credential and review "
        "the app's recent Graph activity: {}",
        event.source_ip, containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, asn);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(ServicePrincipalNewAsn);

}  // namespace
}  // namespace keyward::detect
