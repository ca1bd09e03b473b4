// snowflake.login.password_without_mfa: a user that may be a person signs in with a password and
// no second factor from a network it never signed in from that way. Stolen single-factor
// passwords used from new networks were how the 2024 UNC5537 campaign reached Snowflake customers.
//
// Which users it watches follows Snowflake's user TYPE as the inventory (SHOW USERS) records it:
//  - SERVICE and LEGACY_SERVICE users are left out. A LEGACY_SERVICE user signs in with a password
//    by design and cannot enroll in MFA, so its daily logins are a posture finding (the
//    nhi.auth.snowflake_service_password check), and its first login from a new network is
//    reported by snowflake.service_user.password_new_network.
//  - PERSON users alert on a password-only login from a network (ASN, else the address) that
//    they did not use that way before, once their learning period is over, so a person's
//    usual office or home network stays quiet.
//  - Users with TYPE NULL or missing from the inventory could be either, so their first
//    password-only login from each network alerts even without history.
// The networks seen are stored per user and credential, so a later run stays quiet for them.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "snowflake.login.password_without_mfa";
constexpr std::string_view kTitle = "Snowflake login with a password and no second factor from a new network";
const std::string kNetworkDimension = "password_without_mfa_network";

// The network a login came from: "AS<number>" when enrichment found the ASN of a public address,
// else the address as logged.
std::string network_of(const core::Event& event) {
  const core::EventEnrichment& enrichment = event.enrichment;
  if (enrichment.ip_valid && enrichment.ip_public && enrichment.asn != 0) return fmt::format("AS{}", enrichment.asn);
  return baseline::printable(event.source_ip, 64);
}

std::string describe_network(const core::Event& event, const std::string& network) {
  const core::EventEnrichment& enrichment = event.enrichment;
  std::string text = fmt::format("{} ({}", baseline::printable(event.source_ip, 64), network);
  if (network.starts_with("AS") && !enrichment.asn_org.empty()) text += " " + baseline::printable(enrichment.asn_org, 80);
  if (!enrichment.network_class.empty()) text += ", " + enrichment.network_class;
  return text + ")";
}

class PasswordLoginWithoutMfa final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A Snowflake user that is a person or of unknown type signs in with only a password from a network it "
           "never used that way, the single-factor access the UNC5537 campaign abused. Service users are left to "
           "posture checks and snowflake.service_user.password_new_network.";
  }
  std::vector<std::string_view> platforms() const override { return {"snowflake"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "login" || event.event_type != "PASSWORD") return;
    if (!event.error_code.empty() || event.mfa_authenticated) return;
    const core::Identity* user = ctx.find_identity("snowflake", event.identity_id);
    if (user != nullptr && user->classification == core::Classification::machine) return;
    const bool person = (user != nullptr && user->classification == core::Classification::human) || is_human_actor(event);
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;

    const std::string network = network_of(event);
    if (network.empty()) return;
    const auto earlier = ctx.observe(entity, kNetworkDimension, network, event.time);
    if (earlier) return;
    // A person's first networks are their usual ones, so only a network after the learning period alerts.
    if (person && !baseline::learning_complete(ctx, entity, event.time)) return;

    const std::string first_activity = baseline::first_activity_date(ctx, entity);
    const std::string history =
        first_activity.empty() ? std::string("no earlier activity of this user is recorded")
                               : fmt::format("its first recorded activity was on {}", first_activity);
    const std::string kind = person ? std::string("the inventory lists it as a person (TYPE = PERSON)")
                             : user != nullptr
                                 ? fmt::format("the inventory does not say whether a person or a workload uses it ({})",
                                               baseline::printable(user->classification_reason, 80))
                                 : std::string("the user is not in the inventory, so whether a person or a workload "
                                               "uses it is unknown");
    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, person ? 55 : 50, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} signed in with a password and no second factor from {} using {}, a network it had "
                           "not signed in from that way; {}; {}",
                           baseline::printable(event.identity_id, 120), describe_network(event, network),
                           baseline::printable(event.user_agent, 80), history, kind)));
    alert.remediation = fmt::format(
        "Ask the user's owner whether they signed in from {}. If not, disable the user and reset its password: {}. "
        "Either way, enforce MFA for people (an authentication policy with MFA_ENROLLMENT = REQUIRED) or set "
        "TYPE = SERVICE with key-pair authentication for workloads.",
        baseline::printable(event.source_ip, 64), containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, network);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(PasswordLoginWithoutMfa);

}  // namespace
}  // namespace keyward::detect
