// okta.api_token.new_network: an Okta SSWS API token calls the API from an anonymizing network,
// which Okta marked a proxy or our data classes as VPN or Tor. After the org's learning period
// (7 days by default), a network (ASN) that none of the org's API tokens used before also alerts.
// SSWS tokens act with their creator's admin rights and stay valid until 30 days without use, so
// a stolen one is used from the thief's network. A token that is new only to this token but
// known to the org is left to network.new_asn.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/okta_record.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "okta.api_token.new_network";
constexpr std::string_view kTitle = "Okta API token used from an anonymizing or unknown network";
// Networks and activity of all API tokens together. NOTE: Okta records do not name their org,
// so a store holding the logs of several Okta orgs shares one baseline between them.
const std::string kOrgEntity = "okta:api-tokens";
const std::string kNetworkDimension = "okta_api_token_asn";
const std::string kActivityDimension = "okta_api_token_activity";

class OktaApiTokenNewNetwork final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An Okta SSWS API token calls the API through a proxy, VPN or Tor, or from a network none of the org's "
           "API tokens used before; a stolen token is used from the thief's network.";
  }
  std::vector<std::string_view> platforms() const override { return {"okta"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    // The Okta source sets credential_id only for calls that name an SSWS token.
    if (event.credential_id.empty()) return;
    const nlohmann::json record = okta::parse_record(event);
    const okta::Network network = okta::network_of(event, record);
    if (network.asn.empty() && !network.anonymized) return;

    const auto activity = ctx.observe(kOrgEntity, kActivityDimension, "any", event.time);
    const bool learning_done =
        activity && event.time - activity->first_seen >=
                        static_cast<core::UnixTime>(ctx.options().learning_days) * core::kSecondsPerDay;
    bool org_knows_network = true;
    std::vector<std::string> earlier;
    if (!network.asn.empty()) {
      org_knows_network = ctx.observe(kOrgEntity, kNetworkDimension, network.asn, event.time).has_value();
      earlier = recent_.of(kOrgEntity);
      recent_.add(kOrgEntity, network.asn);
    }
    const bool unknown_network = !org_knows_network && learning_done;
    if (!network.anonymized && !unknown_network) return;

    const std::string where = network.description.empty() ? std::string(event.source_ip) : network.description;
    std::string description = fmt::format("{} called {} from {} (source IP {})", baseline::describe_entity(event),
                                          action_of(event), where, baseline::printable(event.source_ip, 64));
    if (network.anonymized) description += "; the client is an anonymizing proxy, VPN or Tor exit";
    if (unknown_network) {
      const std::vector<std::string> known =
          baseline::known_values(ctx, kOrgEntity, kNetworkDimension, earlier, network.asn);
      description += known.empty()
                         ? fmt::format("; no API token of the org used this network since {}", core::format_date(activity->first_seen))
                         : fmt::format("; the org's API tokens used only {} before", baseline::join_values(known, 5));
    }

    core::Alert alert = make_alert(kId, kTitle, core::Severity::high, network.anonymized ? 80 : 70, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Ask the token's owner whether its integration moved to {}. If not, revoke the token: {}", where,
        containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}|{}", event.credential_id, network.asn.empty() ? where : network.asn,
                                   aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }

 private:
  // No fixed list of ASNs exists to probe, so the networks this run saw stand in for it.
  baseline::RecentValues recent_;
};

KEYWARD_REGISTER_DETECTOR(OktaApiTokenNewNetwork);

}  // namespace
}  // namespace keyward::detect
