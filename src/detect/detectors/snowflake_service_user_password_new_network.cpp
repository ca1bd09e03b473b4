// snowflake.service_user.password_new_network: after its learning period, a user that signs in
// with a password and is not a known person does so from a network (ASN) or with a client type
// (REPORTED_CLIENT_TYPE) it never used. Service users run from fixed hosts with one driver, so a
// new network or client on a password credential looks like a stolen password.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "snowflake.service_user.password_new_network";
constexpr std::string_view kTitle = "Snowflake password user signs in from a new network or client";
const std::string kAsnDimension = "password_login_asn";
const std::string kClientDimension = "password_login_client";

// "JDBC/3.13.30" -> "JDBC": the client type without its version.
std::string client_type_of(std::string_view user_agent) {
  return std::string(user_agent.substr(0, user_agent.find('/')));
}

class ServiceUserPasswordNewNetwork final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "After its learning period, a password-authenticated user that is not a known person signs in from a "
           "network or with a client type it never used.";
  }
  std::vector<std::string_view> platforms() const override { return {"snowflake"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "login" || event.event_type != "PASSWORD" || !event.error_code.empty()) return;
    if (is_human_actor(event)) return;
    const core::Identity* user = ctx.find_identity("snowflake", event.identity_id);
    if (user != nullptr && user->classification == core::Classification::human) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;

    const std::string client = client_type_of(event.user_agent);
    const bool new_client = !client.empty() && !ctx.observe(entity, kClientDimension, client, event.time);
    const core::EventEnrichment& enrichment = event.enrichment;
    std::string asn;
    bool new_asn = false;
    if (enrichment.ip_valid && enrichment.ip_public && enrichment.asn != 0) {
      asn = fmt::format("AS{}", enrichment.asn);
      new_asn = !ctx.observe(entity, kAsnDimension, asn, event.time);
    }
    if (!new_client && !new_asn) return;
    if (!baseline::learning_complete(ctx, entity, event.time)) return;

    std::vector<std::string> changes;
    if (new_asn) {
      changes.push_back(fmt::format("network {} {}{}", asn, baseline::printable(enrichment.asn_org, 80),
                                    enrichment.network_class.empty() ? std::string() : fmt::format(" ({})", enrichment.network_class)));
    }
    if (new_client) changes.push_back(fmt::format("client type {}", baseline::printable(client, 40)));
    const bool service = user != nullptr && user->classification == core::Classification::machine;
    core::Alert alert = make_alert(kId, kTitle, core::Severity::high, service ? 80 : 70, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} signed in with a password from {} using {}: new {} since its activity began on {}",
                           baseline::printable(event.identity_id, 120), event.source_ip,
                           baseline::printable(event.user_agent, 80), baseline::join_values(changes, 2),
                           baseline::first_activity_date(ctx, entity))));
    alert.remediation = fmt::format(
        "Confirm with the owner that the workload moved. If not, disable the user and rotate its password, then move "
        "it to key-pair authentication: {}",
        containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}|{}", entity, asn, client);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(ServiceUserPasswordNewNetwork);

}  // namespace
}  // namespace keyward::detect
