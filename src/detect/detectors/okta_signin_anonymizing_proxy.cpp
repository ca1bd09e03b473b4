// okta.signin.anonymizing_proxy: a person signs in to Okta (user.session.start or a
// user.authentication.* step) from a client that Okta itself marks an anonymizing proxy
// (securityContext.isProxy) or that our enrichment data classes as a Tor exit. Phishing kits and
// session thieves sign in through such proxies to hide where they are, and the session they get
// opens every app the person can reach, service apps and API token creation included. A
// commercial VPN that only our enrichment data lists is not enough, because many people use one
// every day. Token and app calls through a proxy are left to the API token and service app
// detectors.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/okta_record.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "okta.signin.anonymizing_proxy";
constexpr std::string_view kTitle = "Okta sign-in through an anonymizing proxy";
const std::string kNetworkDimension = "okta_signin_asn";
// Okta's outcome.reason when FastPass saw the sign-in come through a phishing proxy.
constexpr std::string_view kFastPassPhishing = "FastPass declined phishing attempt";

bool is_sign_in(std::string_view event_type) {
  return event_type == "user.session.start" || event_type.starts_with("user.authentication.");
}

bool okta_marked_proxy(const nlohmann::json& record) {
  const nlohmann::json* flag = okta::member_at(record, {"securityContext", "isProxy"});
  return flag != nullptr && flag->is_boolean() && flag->get<bool>();
}

class OktaSigninAnonymizingProxy final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A person signs in to Okta from a client Okta marks an anonymizing proxy, or from a Tor exit: how "
           "phishing kits and session thieves hide, and the session reaches every app and API token the person can.";
  }
  std::vector<std::string_view> platforms() const override { return {"okta"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.actor_kind != core::ActorKind::human || event.identity_id.empty()) return;
    if (!is_sign_in(event.event_name)) return;
    const nlohmann::json record = okta::parse_record(event);
    const okta::Network network = okta::network_of(event, record);
    const std::string actor = fmt::format("okta:signin:{}", event.identity_id);
    const bool by_okta = okta_marked_proxy(record);
    const bool tor = event.enrichment.network_class == "tor";
    if (!by_okta && !tor) {
      // Ordinary sign-ins record where the person usually comes from, for the alert's evidence.
      if (!network.asn.empty()) {
        ctx.observe(actor, kNetworkDimension, network.asn, event.time);
        recent_.add(actor, network.asn);
      }
      return;
    }

    const bool succeeded = event.error_code.empty();
    const std::string where = network.description.empty() ? baseline::printable(event.source_ip, 64)
                                                          : fmt::format("{}, source IP {}", network.description,
                                                                        baseline::printable(event.source_ip, 64));
    std::string description =
        fmt::format("{} {} {} from {}", baseline::describe_entity(event), succeeded ? "completed" : "failed",
                    event.event_name, where.empty() ? std::string("an unlogged address") : where);
    // network_of already adds "Okta marked the client a proxy" when it could describe the network.
    if (by_okta && network.description.empty()) description += "; Okta marked the client an anonymizing proxy";
    if (tor) description += "; the address is a Tor exit";
    if (!succeeded) description += fmt::format(" (outcome: {})", baseline::printable(event.error_code, 120));
    if (event.error_code == kFastPassPhishing) {
      description += "; Okta FastPass saw the sign-in relayed by a phishing proxy, so the password may be captured";
    }
    const std::vector<std::string> usual =
        baseline::known_values(ctx, actor, kNetworkDimension, recent_.of(actor), network.asn);
    description += usual.empty() ? "; keyward has no earlier sign-in of this person without a proxy"
                                 : fmt::format("; the person's other sign-ins came from {}", baseline::join_values(usual, 5));

    // A session obtained through the proxy is an account takeover in progress. A rejected attempt
    // still shows that someone has the person's password or is phishing for it.
    core::Alert alert =
        make_alert(kId, kTitle, succeeded ? core::Severity::high : core::Severity::medium, succeeded ? 75 : 55, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Ask the person whether they signed in through a proxy or Tor. If not, end their sessions and OAuth tokens "
        "({}), reset their password and factors, and review the API tokens and app grants they created since.",
        containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}|{}|{}", event.identity_id,
                                   network.asn.empty() ? std::string(event.source_ip) : network.asn,
                                   succeeded ? "session" : "attempt", aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }

 private:
  // Networks of each person's earlier sign-ins in this run, the candidates for known_values.
  baseline::RecentValues recent_;
};

KEYWARD_REGISTER_DETECTOR(OktaSigninAnonymizingProxy);

}  // namespace
}  // namespace keyward::detect
