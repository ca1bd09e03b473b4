// snowflake.login.password_without_mfa: a user signs in with a password and no second factor.
// Stolen single-factor passwords were how the 2024 UNC5537 campaign reached Snowflake customers.
// Service users should authenticate with key pairs or OAuth; a service user with a password is
// the weakest kind of machine credential. Users that the inventory lists as people are left out
// (keyward watches non-human identities); users it does not know are reported at medium, users
// it lists as service users at high.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "snowflake.login.password_without_mfa";
constexpr std::string_view kTitle = "Snowflake login with a password and no second factor";

class PasswordLoginWithoutMfa final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A Snowflake user that is not a known person signs in with only a password, the single-factor access "
           "the UNC5537 campaign abused; high for service users.";
  }
  std::vector<std::string_view> platforms() const override { return {"snowflake"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "login" || event.event_type != "PASSWORD") return;
    if (!event.error_code.empty() || event.mfa_authenticated || is_human_actor(event)) return;
    const core::Identity* user = ctx.find_identity("snowflake", event.identity_id);
    if (user != nullptr && user->classification == core::Classification::human) return;
    const bool service = user != nullptr && user->classification == core::Classification::machine;

    core::Alert alert = make_alert(kId, kTitle, service ? core::Severity::high : core::Severity::medium,
                                   service ? 75 : 50, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} signed in with a password and no second factor from {} using {}; {}",
                           baseline::printable(event.identity_id, 120), event.source_ip,
                           baseline::printable(event.user_agent, 80),
                           service ? "the inventory lists it as a service user"
                                   : "the inventory does not say whether a person or a workload uses it")));
    alert.remediation = fmt::format(
        "Move the user to key-pair or OAuth authentication (ALTER USER ... SET TYPE = SERVICE removes password "
        "sign-in) or enforce MFA for people. If the sign-in was not expected, disable the user: {}",
        containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", baseline::entity_of(event), core::format_date(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(PasswordLoginWithoutMfa);

}  // namespace
}  // namespace keyward::detect
