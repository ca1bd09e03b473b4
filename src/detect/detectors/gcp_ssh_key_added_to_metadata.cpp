// gcp.compute.ssh_key_added_to_metadata: an SSH public key is added to instance or project
// metadata ("ssh-keys"). A metadata key is a long-lived credential that the guest agent installs
// on the instance (on every instance of the project for project metadata) and that no IAM change
// revokes, so it is a common way to keep shell access.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/gcp_audit_fields.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "gcp.compute.ssh_key_added_to_metadata";
constexpr std::string_view kTitle = "SSH key added to Compute Engine metadata";

// True when metadata.<delta>.addedMetadataKeys or modifiedMetadataKeys names an SSH key entry.
bool changes_ssh_keys(const nlohmann::json& delta) {
  if (!delta.is_object()) return false;
  for (const char* list : {"addedMetadataKeys", "modifiedMetadataKeys"}) {
    if (!delta.contains(list) || !delta[list].is_array()) continue;
    for (const nlohmann::json& key : delta[list]) {
      if (key == "ssh-keys" || key == "sshKeys") return true;
    }
  }
  return false;
}

class SshKeyAddedToMetadata final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An SSH public key is added to instance or project metadata, a long-lived credential that IAM changes do "
           "not revoke; project metadata reaches every instance.";
  }
  std::vector<std::string_view> platforms() const override { return {"gcp"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "compute.googleapis.com" || !event.error_code.empty()) return;
    const bool project_wide = event.event_name.ends_with("projects.setCommonInstanceMetadata");
    if (!project_wide && !event.event_name.ends_with("instances.setMetadata")) return;
    const nlohmann::json entry = gcp::parse_object(event.raw_record);
    const nlohmann::json metadata = entry.value("protoPayload", nlohmann::json::object()).value("metadata", nlohmann::json::object());
    if (!metadata.is_object()) return;
    const char* delta_key = project_wide ? "projectMetadataDelta" : "instanceMetadataDelta";
    if (!metadata.contains(delta_key) || !changes_ssh_keys(metadata[delta_key])) return;

    const std::string resource = gcp::string_at(entry.value("protoPayload", nlohmann::json::object()), "resourceName");
    core::Alert alert = make_alert(kId, kTitle, project_wide ? core::Severity::high : core::Severity::medium,
                                   project_wide ? 70 : 55, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} changed the ssh-keys metadata of {} {} from {}", event.identity_id,
                           project_wide ? "project" : "instance", baseline::printable(resource, 160),
                           event.source_ip.empty() ? std::string_view("an unlogged address") : event.source_ip)));
    alert.remediation = fmt::format(
        "List the keys with gcloud compute {} describe and remove any key nobody claims; prefer OS Login, which "
        "ties SSH access to IAM. If the change was not expected, contain the caller: {}",
        project_wide ? "project-info" : "instances", containment_command(event));
    alert.dedupe_key = event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(SshKeyAddedToMetadata);

}  // namespace
}  // namespace keyward::detect
