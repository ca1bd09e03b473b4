// gcp.iam.impersonation_role_granted: an IAM policy change adds a member to a role that lets it
// act as a service account or manage its keys (Service Account Token Creator, User, Key Admin,
// Admin, Workload Identity User). Whoever holds such a role holds every permission of the
// service account, so the grant is a privilege escalation path (MITRE ATT&CK T1098.003).

#include <fmt/format.h>

#include <array>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/gcp_audit_fields.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "gcp.iam.impersonation_role_granted";
constexpr std::string_view kTitle = "Role to impersonate a service account or manage its keys granted";

constexpr std::array<std::string_view, 6> kRoles = {
    "roles/iam.serviceAccountTokenCreator", "roles/iam.serviceAccountUser",  "roles/iam.serviceAccountKeyAdmin",
    "roles/iam.serviceAccountAdmin",        "roles/iam.workloadIdentityUser", "roles/iam.serviceAccountOpenIdTokenCreator"};

bool is_impersonation_role(const std::string& role) {
  for (std::string_view known : kRoles) {
    if (role == known) return true;
  }
  return false;
}

// "member as role" for each added binding of an impersonation role. serviceData.policyDelta (or
// metadata.datasetChange) lists only the change; without it the request's whole policy is read,
// which may repeat bindings that existed before.
std::vector<std::string> granted_bindings(const core::Event& event) {
  std::vector<std::string> granted;
  const nlohmann::json entry = gcp::parse_object(event.raw_record);
  const nlohmann::json payload = entry.value("protoPayload", nlohmann::json::object());
  nlohmann::json deltas;
  for (const char* holder : {"serviceData", "metadata"}) {
    if (payload.contains(holder) && payload[holder].is_object() && payload[holder].contains("policyDelta")) {
      deltas = payload[holder]["policyDelta"].value("bindingDeltas", nlohmann::json::array());
    }
  }
  if (deltas.is_array() && !deltas.empty()) {
    for (const nlohmann::json& delta : deltas) {
      if (!delta.is_object() || gcp::string_at(delta, "action") != "ADD") continue;
      const std::string role = gcp::string_at(delta, "role");
      if (is_impersonation_role(role)) granted.push_back(fmt::format("{} as {}", gcp::string_at(delta, "member"), role));
    }
    return granted;
  }
  const nlohmann::json request = gcp::parse_object(event.request_parameters);
  const nlohmann::json policy = request.value("policy", nlohmann::json::object());
  const nlohmann::json bindings = policy.is_object() ? policy.value("bindings", nlohmann::json::array()) : nlohmann::json::array();
  if (!bindings.is_array()) return granted;
  for (const nlohmann::json& binding : bindings) {
    if (!binding.is_object()) continue;
    const std::string role = gcp::string_at(binding, "role");
    if (!is_impersonation_role(role) || !binding.contains("members") || !binding["members"].is_array()) continue;
    for (const nlohmann::json& member : binding["members"]) {
      if (member.is_string()) granted.push_back(fmt::format("{} as {}", member.get<std::string>(), role));
    }
  }
  return granted;
}

class ImpersonationRoleGranted final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An IAM policy change grants a role that lets its member impersonate a service account or manage its "
           "keys, which hands over every permission of that account.";
  }
  std::vector<std::string_view> platforms() const override { return {"gcp"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!event.error_code.empty()) return;
    const std::string_view method = event.event_name;
    if (method.size() < 12 || method.substr(method.size() - 12) != "SetIamPolicy") {
      if (method.size() < 12 || method.substr(method.size() - 12) != "SetIAMPolicy") return;
    }
    const std::vector<std::string> granted = granted_bindings(event);
    if (granted.empty()) return;

    std::vector<std::string> shown;
    for (const std::string& binding : granted) shown.push_back(baseline::printable(binding, 160));
    const std::string resource = gcp::string_at(gcp::parse_object(event.request_parameters), "resource");
    core::Alert alert = make_alert(kId, kTitle, core::Severity::high, 70, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} granted {} on {} ({})", event.identity_id, baseline::join_values(shown, 5),
                           resource.empty() ? std::string("the resource") : baseline::printable(resource, 160), method)));
    alert.remediation = fmt::format(
        "Confirm that each member needs to act as the service account. If not, remove the binding with gcloud "
        "iam service-accounts remove-iam-policy-binding (or projects remove-iam-policy-binding) and, if the "
        "change itself was not expected, contain the caller: {}",
        containment_command(event));
    alert.dedupe_key = event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(ImpersonationRoleGranted);

}  // namespace
}  // namespace keyward::detect
