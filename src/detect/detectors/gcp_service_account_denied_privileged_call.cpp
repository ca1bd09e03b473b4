// gcp.iam.service_account_denied_privileged_call: a service account is denied an IAM call that
// would create identities or keys, change policies or mint tokens. A workload repeats the calls it
// was built and granted for, so a denied privilege change means someone else is using its
// credential to see how far it reaches.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/gcp_audit_fields.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "gcp.iam.service_account_denied_privileged_call";
constexpr std::string_view kTitle = "Service account denied a privileged IAM call";

bool is_privileged(const core::Event& event) {
  const std::string_view service = event.event_source;
  const std::string_view method = event.event_name;
  if (service == "iam.googleapis.com" || service == "iamcredentials.googleapis.com") return true;
  return method.ends_with("SetIamPolicy") || method.ends_with("SetIAMPolicy") || method.find("hmacKeys.create") != std::string_view::npos;
}

// True for a token or signature request that names the caller itself as the account to act as
// (request.name "projects/-/serviceAccounts/EMAIL"). Being refused that gains no privilege: it is
// a workload missing roles/iam.serviceAccountTokenCreator on itself, a common misconfiguration.
bool is_denied_self_impersonation(const core::Event& event) {
  if (event.event_source != "iamcredentials.googleapis.com") return false;
  const std::string target = gcp::last_segment(gcp::string_at(gcp::parse_object(event.request_parameters), "name"));
  return !target.empty() && target == event.identity_id;
}

class ServiceAccountDeniedPrivilegedCall final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A service account is denied an IAM call that creates identities or keys, changes policies or mints "
           "tokens, a sign that someone is probing what its credential can reach.";
  }
  std::vector<std::string_view> platforms() const override { return {"gcp"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.error_code != "PERMISSION_DENIED" || event.actor_kind != core::ActorKind::machine) return;
    if (!is_privileged(event) || is_denied_self_impersonation(event)) return;

    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, 55, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} was denied {} on {} from {} with user agent '{}'", baseline::describe_entity(event),
                           event.event_name, event.event_source,
                           event.source_ip.empty() ? std::string_view("an unlogged address") : event.source_ip,
                           baseline::printable(event.user_agent, 120))));
    alert.remediation = fmt::format(
        "Check whether the workload behind {} makes this call by design. If not, treat its credential as "
        "exposed: {}",
        event.identity_id, containment_command(event));
    // One alert per credential and day: probing repeats the same denial many times.
    alert.dedupe_key = fmt::format("{}|{}", baseline::entity_of(event), core::format_date(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(ServiceAccountDeniedPrivilegedCall);

}  // namespace
}  // namespace keyward::detect
