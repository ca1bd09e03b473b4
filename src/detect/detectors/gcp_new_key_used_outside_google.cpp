// gcp.iam.new_key_used_outside_google: a service account key is used from a network outside
// Google within 24 hours of its creation. Workloads on Google Cloud need no key at all, so a
// fresh key that is first used from an ISP, VPS or VPN is what an attacker who just minted it
// does. Creation is remembered as a baseline of the key, so the creating and the using log may
// arrive in separate inputs.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/gcp_audit_fields.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "gcp.iam.new_key_used_outside_google";
constexpr std::string_view kTitle = "New service account key used outside Google within 24 hours";
const std::string kCreatedDimension = "key_created";
constexpr core::UnixTime kWindowSeconds = 24 * 60 * 60;

std::string key_entity(std::string_view key_id) { return fmt::format("gcp:key:{}", key_id); }

class NewKeyUsedOutsideGoogle final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A service account key is used from a network outside Google within 24 hours of its creation, the "
           "pattern of an attacker minting a key and taking it away.";
  }
  std::vector<std::string_view> platforms() const override { return {"gcp"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!event.error_code.empty()) return;
    if (event.event_name == "google.iam.admin.v1.CreateServiceAccountKey" ||
        event.event_name == "google.iam.admin.v1.UploadServiceAccountKey") {
      const std::string name = gcp::string_at(gcp::parse_object(event.response_elements), "name");
      const size_t keys = name.find("/keys/");
      if (keys != std::string::npos) ctx.observe(key_entity(name.substr(keys + 6)), kCreatedDimension, "any", event.time);
      return;
    }
    if (event.credential_id.empty()) return;
    const core::EventEnrichment& enrichment = event.enrichment;
    if (!enrichment.ip_valid || !enrichment.ip_public || gcp::is_google_network(enrichment)) return;
    // Without ASN data there is no telling Google's addresses from others.
    if (enrichment.asn == 0) return;

    const std::string entity = key_entity(event.credential_id);
    const auto created = ctx.lookup(entity, kCreatedDimension, "any");
    if (!created) return;
    const core::UnixTime age = event.time - created->first_seen;
    if (age < 0 || age > kWindowSeconds) return;

    core::Alert alert = make_alert(kId, kTitle, core::Severity::high, 80, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} called {} from {} (AS{} {}{}) {} minutes after the key was created at {}; no call "
                           "from outside Google is expected of a key this new",
                           baseline::describe_entity(event), action_of(event), event.source_ip, enrichment.asn,
                           baseline::printable(enrichment.asn_org, 80),
                           enrichment.network_class.empty() ? std::string() : fmt::format(", {}", enrichment.network_class),
                           age / 60, core::format_time(created->first_seen))));
    alert.remediation = fmt::format(
        "Confirm with the owner of {} that the key was created for a workload outside Google Cloud at this "
        "address. If not, disable the key: {}",
        event.identity_id, containment_command(event));
    alert.dedupe_key = entity;
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(NewKeyUsedOutsideGoogle);

}  // namespace
}  // namespace keyward::detect
