// gcp.iam.first_impersonation_pair: a caller mints a token or signature for a service account
// (IAM Credentials API GenerateAccessToken, GenerateIdToken, SignJwt, SignBlob) for the first time
// for that (caller, target) pair. Impersonation pairs are few and stable in a deployment, and a
// new one is how an attacker with roles/iam.serviceAccountTokenCreator moves to a more privileged
// account. There is no learning period: every pair alerts once, which on a first ingest lists the
// impersonation paths in use.

#include <fmt/format.h>

#include <array>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/gcp_audit_fields.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "gcp.iam.first_impersonation_pair";
constexpr std::string_view kTitle = "First service account impersonation by this caller";
const std::string kDimension = "impersonation_target";

constexpr std::array<std::string_view, 4> kMethods = {"GenerateAccessToken", "GenerateIdToken", "SignJwt", "SignBlob"};

// "GenerateAccessToken" or "google.iam.credentials.v1.IAMCredentials.GenerateAccessToken".
bool is_impersonation_method(std::string_view method) {
  const size_t dot = method.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? method : method.substr(dot + 1);
  for (std::string_view known : kMethods) {
    if (last == known) return true;
  }
  return false;
}

// The target account: request.name "projects/-/serviceAccounts/EMAIL_OR_ID", else the entry's
// resource name in the same form.
std::string target_of(const core::Event& event) {
  std::string name = gcp::string_at(gcp::parse_object(event.request_parameters), "name");
  if (name.empty()) name = gcp::string_at(gcp::parse_object(event.raw_record).value("protoPayload", nlohmann::json::object()), "resourceName");
  return gcp::last_segment(name);
}

class FirstImpersonationPair final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A caller generates an access token, ID token or signature for a service account it never "
           "impersonated before, the step that moves an attacker to a more privileged account.";
  }
  std::vector<std::string_view> platforms() const override { return {"gcp"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "iamcredentials.googleapis.com" || !event.error_code.empty()) return;
    if (!is_impersonation_method(event.event_name)) return;
    const std::string target = target_of(event);
    if (target.empty()) return;
    const std::string caller = event.invoked_by.empty() ? event.identity_id : std::string(event.invoked_by);
    const std::string entity = fmt::format("gcp:{}", caller);
    if (ctx.observe(entity, kDimension, target, event.time)) return;

    // A service account signing as itself with its own key can already do what it signs, so the
    // pair is worth a look but not an escalation.
    const bool self = target == caller;
    core::Alert alert = make_alert(kId, kTitle, self ? core::Severity::medium : core::Severity::high, self ? 55 : 75, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} called {} for {} for the first time{} (source IP {})", baseline::printable(caller, 120),
                           event.event_name, baseline::printable(target, 120),
                           self ? ", signing as itself" : "", event.source_ip.empty() ? std::string_view("not logged") : event.source_ip)));
    alert.remediation = fmt::format(
        "Check who granted {} roles/iam.serviceAccountTokenCreator (or signJwt/signBlob) on {} and whether the "
        "workload needs it. If not, remove the binding and contain the caller: {}",
        baseline::printable(caller, 120), baseline::printable(target, 120), containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, target);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(FirstImpersonationPair);

}  // namespace
}  // namespace keyward::detect
