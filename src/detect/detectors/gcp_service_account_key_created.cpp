// gcp.iam.long_lived_key_created: a user-managed service account key or a Cloud Storage HMAC key
// is created or uploaded. Both are long-lived secrets that work from anywhere until someone
// disables them, so they are how attackers keep access to a project (MITRE ATT&CK T1098.001,
// Additional Cloud Credentials). The alert is high when a service account mints the key, because
// workloads rarely create keys and a stolen key that creates another is a persistence step. A
// Deployment Manager deployment granted the permission to create such keys alerts at medium.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/gcp_audit_fields.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "gcp.iam.long_lived_key_created";
constexpr std::string_view kTitle = "Long-lived GCP key created";

struct CreatedKey {
  std::string description;
  std::string disable_command;
};

CreatedKey describe_key(const core::Event& event) {
  const nlohmann::json response = gcp::parse_object(event.response_elements);
  const nlohmann::json request = gcp::parse_object(event.request_parameters);
  if (event.event_name == "storage.hmacKeys.create") {
    std::string access_id = gcp::string_at(response, "accessId");
    if (access_id.empty() && response.contains("metadata")) access_id = gcp::string_at(response["metadata"], "accessId");
    std::string account = gcp::string_at(request, "serviceAccountEmail");
    return {fmt::format("HMAC key {} for {}", access_id.empty() ? "(id not logged)" : baseline::printable(access_id, 80),
                        account.empty() ? "a service account" : baseline::printable(account, 120)),
            fmt::format("gcloud storage hmac update {} --deactivate", access_id.empty() ? "ACCESS_ID" : aws::shell_word(access_id))};
  }
  // Response name: projects/P/serviceAccounts/EMAIL/keys/KEY_ID.
  const std::string name = gcp::string_at(response, "name");
  const size_t keys = name.find("/keys/");
  std::string account = keys == std::string::npos ? gcp::last_segment(gcp::string_at(request, "name"))
                                                  : gcp::last_segment(name.substr(0, keys));
  const std::string key_id = keys == std::string::npos ? std::string() : name.substr(keys + 6);
  return {fmt::format("service account key {} for {}", key_id.empty() ? "(id not logged)" : baseline::printable(key_id, 80),
                      account.empty() ? "a service account" : baseline::printable(account, 120)),
          fmt::format("gcloud iam service-accounts keys disable {} --iam-account={}",
                      key_id.empty() ? "KEY_ID" : aws::shell_word(key_id), account.empty() ? "ACCOUNT" : aws::shell_word(account))};
}

// A Deployment Manager call granted permissions that create long-lived keys. A deployment creates
// the resources of its template with the Deployment Manager service account, so a key it creates
// has no CreateServiceAccountKey entry under the person who ran the deployment.
struct KeyCreatingDeployment {
  std::string deployment;                // resource.labels.name, else protoPayload.resourceName
  std::vector<std::string> permissions;  // granted entries of protoPayload.authorizationInfo
};

KeyCreatingDeployment key_creating_deployment(const core::Event& event) {
  KeyCreatingDeployment found;
  if (!event.event_name.starts_with("v2.deploymentmanager.deployments.") &&
      !event.event_name.starts_with("v2beta.deploymentmanager.deployments.")) {
    return found;
  }
  const nlohmann::json entry = gcp::parse_object(event.raw_record);
  const auto payload = entry.find("protoPayload");
  if (payload == entry.end() || !payload->is_object()) return found;
  const auto checks = payload->find("authorizationInfo");
  if (checks == payload->end() || !checks->is_array()) return found;
  for (const auto& check : *checks) {
    if (!check.is_object() || !check.value("granted", false)) continue;
    const std::string permission = gcp::string_at(check, "permission");
    if (permission == "iam.serviceAccountKeys.create" || permission == "storage.hmacKeys.create") {
      found.permissions.push_back(permission);
    }
  }
  const auto resource = entry.find("resource");
  if (resource != entry.end() && resource->is_object() && resource->contains("labels")) {
    found.deployment = gcp::string_at((*resource)["labels"], "name");
  }
  if (found.deployment.empty()) found.deployment = gcp::string_at(*payload, "resourceName");
  return found;
}

class LongLivedKeyCreated final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A user-managed service account key or Cloud Storage HMAC key is created or uploaded: a long-lived "
           "secret that works from anywhere until disabled. High when a service account creates it.";
  }
  std::vector<std::string_view> platforms() const override { return {"gcp"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!event.error_code.empty()) return;
    const std::string_view method = event.event_name;
    const bool key_method = method == "google.iam.admin.v1.CreateServiceAccountKey" ||
                            method == "google.iam.admin.v1.UploadServiceAccountKey" || method == "storage.hmacKeys.create";
    if (!key_method) {
      raise_for_deployment(event, ctx);
      return;
    }

    const CreatedKey key = describe_key(event);
    const bool by_machine = event.actor_kind == core::ActorKind::machine;
    core::Alert alert = make_alert(kId, kTitle, by_machine ? core::Severity::high : core::Severity::medium,
                                   by_machine ? 75 : 55, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} {} {} ({} from {})", event.identity_id,
                           method.find("Upload") != std::string_view::npos ? "uploaded" : "created", key.description,
                           method, event.source_ip.empty() ? std::string_view("an unlogged address") : event.source_ip)));
    alert.remediation = fmt::format(
        "Confirm that the key is needed and prefer workload identity or impersonation over keys. If it was not "
        "expected, disable it: {}. If the caller should not create keys, contain it: {}",
        key.disable_command, containment_command(event));
    alert.dedupe_key = event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }

 private:
  void raise_for_deployment(const core::Event& event, DetectContext& ctx) {
    const KeyCreatingDeployment deployment = key_creating_deployment(event);
    if (deployment.permissions.empty()) return;
    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, 55, event);
    if (event.identity_id.empty()) {
      // Logged for the service agent, without a principal: the alert is about the deployment.
      alert.identity.id = fmt::format("projects/{}/deployments/{}", event.account_id, deployment.deployment);
      alert.identity.name = deployment.deployment;
      alert.dedupe_key = fmt::format("{}|{}", alert.identity.id, event.time);
    }
    alert.evidence.push_back(make_evidence(
        event, fmt::format("Deployment Manager ran {} for {} with {} granted: the deployment creates a long-lived key "
                           "({} from {})",
                           event.event_name,
                           deployment.deployment.empty() ? std::string("an unnamed deployment")
                                                         : baseline::printable(deployment.deployment, 160),
                           fmt::join(deployment.permissions, " and "),
                           event.identity_id.empty() ? std::string_view("an unlogged caller") : event.identity_id,
                           event.source_ip.empty() ? std::string_view("an unlogged address") : event.source_ip)));
    alert.remediation =
        "Review the deployment's template for google.iam.v1/serviceAccountKeys or HMAC key resources and who ran "
        "it (`gcloud deployment-manager deployments describe NAME`). Delete keys it created that are not needed "
        "(`gcloud iam service-accounts keys list --iam-account=ACCOUNT`, `gcloud storage hmac list`).";
    if (alert.dedupe_key.empty()) alert.dedupe_key = event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(LongLivedKeyCreated);

}  // namespace
}  // namespace keyward::detect
