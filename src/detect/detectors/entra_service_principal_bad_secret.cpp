// entra.service_principal.invalid_credential: a service principal sign-in fails because the
// client secret is wrong (AADSTS7000215), the certificate assertion does not match a registered
// key (AADSTS700027), or the secret has expired (AADSTS7000222).
//
// A wrong secret or an unregistered key means someone has a value the app does not accept: an
// old secret found in a repository, a guess, or a workload deployed with the wrong value. Those
// alert at high severity, once per app, credential and network, so that a later attempt from
// another network still alerts.
//
// An expired secret is different. Entra ID accepts no sign-in with it, and a workload that keeps
// presenting it fails on every attempt, often for weeks. That is a broken deployment and a
// hygiene problem, not an intrusion, so it alerts once per app and secret at low severity with
// the steps to replace the secret, and repeats stay quiet whatever the day or address.

#include <fmt/format.h>

#include <array>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/entra_sign_in_names.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "entra.service_principal.invalid_credential";
constexpr std::string_view kTitle = "Service principal sign-in with an invalid or expired credential";
constexpr std::string_view kExpiredSecretCode = "7000222";

struct KnownFailure {
  std::string_view code;  // AADSTS number without the prefix
  std::string_view meaning;
};

// Meanings as Microsoft's troubleshooting guide for service principal authentication gives them.
constexpr std::array<KnownFailure, 3> kFailures = {{
    {"7000215", "an invalid client secret"},
    {kExpiredSecretCode, "an expired client secret"},
    {"700027", "a client assertion signed by an unregistered certificate"},
}};

// Returns the failure the event's error code names ("7000215" or "AADSTS7000215"), or nullptr.
const KnownFailure* find_failure(std::string_view error_code) {
  if (error_code.starts_with("AADSTS")) error_code.remove_prefix(6);
  for (const KnownFailure& known : kFailures) {
    if (error_code == known.code) return &known;
  }
  return nullptr;
}

// The network part of a dedupe key: the ASN when enrichment found one, else the address.
std::string network_of(const core::Event& event) {
  if (event.enrichment.asn != 0) return fmt::format("AS{}", event.enrichment.asn);
  return std::string(event.source_ip);
}

class ServicePrincipalInvalidCredential final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A service principal sign-in fails with an invalid client secret or an unregistered certificate "
           "(someone trying a stolen, old or guessed credential), or, at low severity and once per secret, with an "
           "expired client secret that a workload still uses.";
  }
  std::vector<std::string_view> platforms() const override { return {"entra"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_name != "ServicePrincipalSignIn" || event.error_code.empty()) return;
    const KnownFailure* failure = find_failure(event.error_code);
    if (failure == nullptr) return;

    core::Alert alert = failure->code == kExpiredSecretCode ? expired_secret_alert(event)
                                                            : rejected_credential_alert(event, *failure);
    const std::string name = entra::service_principal_name(event);
    if (!name.empty()) alert.identity.name = name;
    const std::string label = entra::service_principal_label(name, event.identity_id);
    alert.title = failure->code == kExpiredSecretCode
                      ? fmt::format("{} still signs in with an expired client secret", label)
                      : fmt::format("{} failed to sign in with {}", label, failure->meaning);
    ctx.raise(std::move(alert));
  }

 private:
  static core::Alert rejected_credential_alert(const core::Event& event, const KnownFailure& failure) {
    core::Alert alert = make_alert(kId, kTitle, core::Severity::high, 70, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} tried to sign in to {} from {} with {} (AADSTS{}: {})", baseline::describe_entity(event),
                           baseline::printable(event.event_source, 80), event.source_ip, failure.meaning, failure.code,
                           baseline::printable(event.error_message, 160))));
    alert.remediation = fmt::format(
        "Check whether the workload at {} is the app's own. If not, someone holds an old or guessed credential: "
        "rotate the app's secrets and certificates and restrict sign-in by location: {}",
        event.source_ip, containment_command(event));
    alert.dedupe_key =
        fmt::format("{}|{}|{}|{}", event.identity_id, failure.code, event.credential_id, network_of(event));
    return alert;
  }

  // TODO: name the date the secret expired. The sign-in record does not carry the secret's
  // endDateTime, and DetectContext offers no lookup of inventory credentials by key id.
  static core::Alert expired_secret_alert(const core::Event& event) {
    core::Alert alert = make_alert(kId, kTitle, core::Severity::low, 25, event);
    const std::string secret = event.credential_id.empty()
                                   ? std::string("a client secret the record does not name")
                                   : fmt::format("client secret {}", baseline::printable(event.credential_id, 64));
    alert.evidence.push_back(make_evidence(
        event, fmt::format("App {} signed in to {} from {} on {} with {}, and Entra ID rejected it as expired "
                           "(AADSTS7000222: {}). Later sign-ins with the same secret are not reported again.",
                           baseline::printable(event.identity_id, 80), baseline::printable(event.event_source, 80),
                           baseline::printable(event.source_ip, 64), core::format_date(event.time), secret,
                           baseline::printable(event.error_message, 160))));
    // `az ad app credential reset --append` adds a secret and prints it once to the operator, not to keyward.
    const std::string app = aws::shell_word(event.identity_id);
    std::string replace = fmt::format("az ad app credential reset --id {} --append", app);
    if (!event.credential_id.empty()) {
      replace += fmt::format(", then, once the workload uses the new one, az ad app credential delete --id {} --key-id {}",
                             app, aws::shell_word(event.credential_id));
    }
    const std::string address = baseline::printable(event.source_ip, 64);
    alert.remediation = fmt::format(
        "The secret expired, so every sign-in with it fails and the workload at {} is broken, not breached. Give "
        "it a new secret and remove the expired one: {}. If {} is not where the workload runs, treat the app as "
        "targeted: {}",
        address, replace, address, containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}|{}", event.identity_id, kExpiredSecretCode, event.credential_id);
    return alert;
  }
};

KEYWARD_REGISTER_DETECTOR(ServicePrincipalInvalidCredential);

}  // namespace
}  // namespace keyward::detect
