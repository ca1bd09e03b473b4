// snowflake.login.unregistered_key_pair: a key-pair (JWT) sign-in fails because the public key
// fingerprint in the token matches neither key registered for the user
// (JWT_TOKEN_INVALID_PUBLIC_KEY_FINGERPRINT_MISMATCH). Either a workload still holds a key that was
// rotated out, or someone holds a private key that was never registered and is trying user names.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "snowflake.login.unregistered_key_pair";
constexpr std::string_view kTitle = "Snowflake sign-in with an unregistered key pair";

class UnregisteredKeyPair final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A key-pair sign-in fails because the token's public key fingerprint matches no key registered for the "
           "user: a rotated-out key still in use, or a key someone else holds.";
  }
  std::vector<std::string_view> platforms() const override { return {"snowflake"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "login" || event.error_code.empty()) return;
    if (event.error_message.find("FINGERPRINT_MISMATCH") == std::string_view::npos) return;

    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, 55, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("A sign-in as {} from {} using {} presented a key pair whose fingerprint matches neither "
                           "RSA_PUBLIC_KEY_FP nor RSA_PUBLIC_KEY_2_FP of the user ({})",
                           baseline::printable(event.identity_id, 120), event.source_ip,
                           baseline::printable(event.user_agent, 80), baseline::printable(event.error_message, 80))));
    alert.remediation = fmt::format(
        "Compare the fingerprints with DESC USER and find the workload at {}. If it is not yours, block the address "
        "with a network policy; if the user itself is at risk, disable it: {}",
        event.source_ip, containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}|{}", event.identity_id, event.source_ip, core::format_date(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(UnregisteredKeyPair);

}  // namespace
}  // namespace keyward::detect
