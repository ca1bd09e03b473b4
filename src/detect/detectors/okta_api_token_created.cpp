// okta.api_token.created: someone creates an Okta SSWS API token. The token carries its
// creator's admin rights, has no scopes and stays valid until 30 days without use, so every new
// one is a long-lived admin secret to confirm. The alert is high when the creation came from an
// anonymizing network, from a network the creator never used before (after their learning
// period), or from another API token rather than an admin's session.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/okta_record.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "okta.api_token.created";
constexpr std::string_view kTitle = "Okta API token created";
const std::string kNetworkDimension = "okta_actor_asn";
const std::string kActivityDimension = "okta_actor_activity";
constexpr core::UnixTime kRecentSeconds = core::kSecondsPerDay;

// The created token's id and name, from the Token target.
struct CreatedToken {
  std::string id;
  std::string name;
};

CreatedToken created_token(const nlohmann::json& record) {
  const nlohmann::json* targets = okta::member_at(record, {"target"});
  if (targets == nullptr || !targets->is_array()) return {};
  for (const nlohmann::json& target : *targets) {
    if (okta::string_at(target, {"type"}) != "Token") continue;
    return {baseline::printable(okta::string_at(target, {"id"}), 64),
            baseline::printable(okta::string_at(target, {"displayName"}), 128)};
  }
  return {};
}

class OktaApiTokenCreated final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An Okta SSWS API token, a long-lived secret with its creator's admin rights, is created; high when from "
           "an anonymizing or new network, or by another API token.";
  }
  std::vector<std::string_view> platforms() const override { return {"okta"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    // Every actor's networks are kept, people included, because the creator is usually an
    // admin's session. The record is parsed only where the enrichment lacks the ASN.
    const bool creation = event.event_name == "system.api_token.create" && event.error_code.empty();
    const nlohmann::json record = creation || event.enrichment.asn == 0 ? okta::parse_record(event) : nlohmann::json();
    const okta::Network network = okta::network_of(event, record);
    const std::string actor = fmt::format("okta:actor:{}", event.identity_id);
    std::optional<store::BaselineEntry> activity;
    core::UnixTime network_first_seen = event.time;
    if (!event.identity_id.empty() && !network.asn.empty()) {
      activity = ctx.observe(actor, kActivityDimension, "any", event.time);
      const auto known = ctx.observe(actor, kNetworkDimension, network.asn, event.time);
      if (known) network_first_seen = known->first_seen;
    }

    if (!creation) return;
    // An admin signs in before creating a token, so a network first used within the last day
    // still counts as new, provided the actor had a learning period of history before it.
    const core::UnixTime learning = static_cast<core::UnixTime>(ctx.options().learning_days) * core::kSecondsPerDay;
    const bool new_network = activity && event.time - network_first_seen < kRecentSeconds &&
                             network_first_seen - activity->first_seen >= learning;
    const bool by_token = !event.credential_id.empty();

    const CreatedToken token = created_token(record);
    std::string description = fmt::format("{} created API token {}", baseline::describe_entity(event),
                                          token.name.empty() ? token.id : fmt::format("{} ({})", token.name, token.id));
    if (!event.source_ip.empty()) {
      description += fmt::format(" from {}", network.description.empty()
                                                 ? baseline::printable(event.source_ip, 64)
                                                 : fmt::format("{}, source IP {}", network.description,
                                                               baseline::printable(event.source_ip, 64)));
    }
    std::vector<std::string> reasons;
    if (network.anonymized) reasons.push_back("the client is an anonymizing proxy, VPN or Tor exit");
    if (new_network) {
      reasons.push_back(fmt::format("the creator first acted from {} on {}, after acting only from other networks since {}",
                                    network.asn, core::format_time(network_first_seen),
                                    core::format_date(activity->first_seen)));
    }
    if (by_token) reasons.push_back("the request was made with another API token, not an admin's session");
    if (!reasons.empty()) description += "; " + baseline::join_values(reasons, reasons.size());

    const bool risky = !reasons.empty();
    core::Alert alert = make_alert(kId, kTitle, risky ? core::Severity::high : core::Severity::medium, risky ? 75 : 50, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    const std::string revoke =
        token.id.empty()
            ? std::string("list tokens with GET /api/v1/api-tokens and revoke the new one")
            : fmt::format("curl -X DELETE \"https://$OKTA_DOMAIN/api/v1/api-tokens/{}\" -H \"Authorization: SSWS "
                          "$OKTA_ADMIN_TOKEN\"",
                          aws::shell_word(token.id));
    alert.remediation = fmt::format(
        "Confirm with the creator which integration needs the token and that it is stored in a secret manager. If "
        "the creation was not expected, revoke the token ({}) and contain the creator: {}",
        revoke, containment_command(event));
    alert.dedupe_key = token.id.empty() ? event_dedupe_key(event) : fmt::format("token:{}", token.id);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(OktaApiTokenCreated);

}  // namespace
}  // namespace keyward::detect
