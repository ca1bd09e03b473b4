// entra.service_principal.invalid_credential: a service principal sign-in fails because the
// client secret is wrong (AADSTS7000215) or expired (AADSTS7000222), or the certificate assertion
// does not match a registered key (AADSTS700027). An expired secret means a workload is about to
// break or is already broken; a wrong secret from an unfamiliar network means someone is guessing
// or replaying an old one. One alert per app, day and network.

#include <fmt/format.h>

#include <array>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/entra_sign_in_names.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "entra.service_principal.invalid_credential";
constexpr std::string_view kTitle = "Service principal sign-in with an invalid or expired credential";

struct KnownFailure {
  std::string_view code;
  std::string_view meaning;
};

constexpr std::array<KnownFailure, 3> kFailures = {{
    {"7000215", "an invalid client secret"},
    {"7000222", "an expired client secret"},
    {"700027", "a client assertion signed by an unregistered certificate"},
}};

class ServicePrincipalInvalidCredential final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A service principal sign-in fails with an invalid or expired client secret or an unregistered "
           "certificate: a broken workload, or someone trying a stolen or old credential.";
  }
  std::vector<std::string_view> platforms() const override { return {"entra"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_name != "ServicePrincipalSignIn" || event.error_code.empty()) return;
    const KnownFailure* failure = nullptr;
    for (const KnownFailure& known : kFailures) {
      if (event.error_code == known.code || event.error_code == fmt::format("AADSTS{}", known.code)) failure = &known;
    }
    if (failure == nullptr) return;
    const bool expired = failure->code == "7000222";

    core::Alert alert = make_alert(kId, kTitle, expired ? core::Severity::medium : core::Severity::high,
                                   expired ? 50 : 70, event);
    const std::string name = entra::service_principal_name(event);
    if (!name.empty()) alert.identity.name = name;
    alert.title = fmt::format("{} failed to sign in with {}", entra::service_principal_label(name, event.identity_id),
                              failure->meaning);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} tried to sign in to {} from {} with {} (AADSTS{}: {})", baseline::describe_entity(event),
                           baseline::printable(event.event_source, 80), event.source_ip, failure->meaning, failure->code,
                           baseline::printable(event.error_message, 160))));
    alert.remediation =
        expired ? fmt::format("Find the workload that still uses the expired secret and give it a new credential; "
                              "delete the expired one afterwards. If the address {} is not the workload's, treat the "
                              "app as targeted: {}",
                              event.source_ip, containment_command(event))
                : fmt::format("Check whether the workload at {} is the app's own. If not, someone holds an old or "
                              "guessed credential: rotate the app's secrets and certificates and restrict sign-in by "
                              "location: {}",
                              event.source_ip, containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}|{}|{}", event.identity_id, failure->code, event.source_ip, core::format_date(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(ServicePrincipalInvalidCredential);

}  // namespace
}  // namespace keyward::detect
