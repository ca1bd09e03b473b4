// gcp.iam.long_lived_key_created: a user-managed service account key or a Cloud Storage HMAC key
// is created or uploaded. Both are long-lived secrets that work from anywhere until someone
// disables them, so they are how attackers keep access to a project (MITRE ATT&CK T1098.001,
// Additional Cloud Credentials). The alert is high when a service account mints the key, because
// workloads rarely create keys and a stolen key that creates another is a persistence step.

#include <fmt/format.h>

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
    if (!key_method) return;

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
};

KEYWARD_REGISTER_DETECTOR(LongLivedKeyCreated);

}  // namespace
}  // namespace keyward::detect
