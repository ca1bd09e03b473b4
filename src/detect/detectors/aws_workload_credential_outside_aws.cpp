// aws.credential.workload_outside_aws: temporary credentials that AWS delivered to a workload (an
// EC2 instance profile, an ECS task role, a Lambda execution role) are used from a network outside
// AWS. Those credentials live in the workload's metadata endpoint or environment, so a call from a
// residential ISP or a rented server means someone copied them out (SSRF, a leaked environment, a
// compromised container). This is the check Netflix describes for instance credentials and
// GuardDuty reports as InstanceCredentialExfiltration.OutsideAWS.
//
// A session counts as a workload's when any of these holds:
// - the record carries sessionContext.ec2RoleDelivery, which CloudTrail adds for credentials
//   served by the instance metadata service;
// - the session name is an EC2 instance id (i-0123abcd...) or an ECS task id (32 hex digits);
// - the inventory lists the role with instance profiles, or its trust policy lets
//   ec2.amazonaws.com, ecs-tasks.amazonaws.com or lambda.amazonaws.com assume it;
// - the same session (ASIA key) was seen earlier with a Lambda or ECS execution environment in
//   its user agent ("exec-env/AWS_Lambda_...", "exec-env/AWS_ECS_..."). That first-use marker is
//   stored, so it also applies across inputs.
//
// Calls from private addresses (VPC endpoints), from AWS service host names and from Amazon's
// networks are inside AWS and never alert.

#include <fmt/format.h>

#include <cctype>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.credential.workload_outside_aws";
constexpr std::string_view kTitle = "Workload credential used outside AWS";
const std::string kWorkloadDimension = "workload_session";
const std::string kNetworkDimension = "session_network";
const std::string kWorkloadValue = "workload";

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

bool all_of_kind(std::string_view text, bool (*accept)(char)) {
  for (char c : text) {
    if (!accept(c)) return false;
  }
  return true;
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// The session name: the last segment of an assumed-role ARN ("i-0abc..." for instance profiles).
std::string_view session_name(std::string_view principal_arn) {
  const size_t slash = principal_arn.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : principal_arn.substr(slash + 1);
}

// Returns what marks the session as a workload's, or "" when nothing in the record does.
std::string workload_marker_in_record(const core::Event& event) {
  if (contains(event.raw_record, "\"ec2RoleDelivery\"")) return "instance metadata delivery (ec2RoleDelivery)";
  const std::string_view name = session_name(event.principal_arn);
  // Instance ids are "i-" and 8 or 17 hex digits.
  if (name.size() >= 10 && name.size() <= 19 && name.substr(0, 2) == "i-" && all_of_kind(name.substr(2), is_hex)) {
    return fmt::format("session named after EC2 instance {}", name);
  }
  if (name.size() == 32 && all_of_kind(name, is_hex)) return fmt::format("session named after ECS task {}", name);
  if (contains(event.user_agent, "exec-env/AWS_Lambda")) return "Lambda execution environment";
  if (contains(event.user_agent, "exec-env/AWS_ECS")) return "ECS execution environment";
  return {};
}

// Returns what in the inventory marks the role as a workload's, or "".
std::string workload_marker_in_inventory(DetectContext& ctx, const core::Event& event) {
  const core::Identity* role = ctx.find_identity("aws", event.identity_id);
  if (role == nullptr) return {};
  const auto profiles = role->attributes.find("instance_profiles");
  if (profiles != role->attributes.end() && profiles->is_array() && !profiles->empty()) {
    return "role attached to an EC2 instance profile";
  }
  const auto trust = role->attributes.find("trust_policy");
  if (trust == role->attributes.end()) return {};
  const std::string text = trust->is_string() ? trust->get<std::string>() : trust->dump();
  for (std::string_view service : {"ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "lambda.amazonaws.com"}) {
    if (contains(text, service)) return fmt::format("role trusted by {}", service);
  }
  return {};
}

std::string describe_network(const core::EventEnrichment& enrichment) {
  std::string text = enrichment.asn == 0 ? std::string("an unknown network") : fmt::format("AS{}", enrichment.asn);
  if (!enrichment.asn_org.empty()) text += " " + enrichment.asn_org;
  if (!enrichment.network_class.empty()) text += fmt::format(" ({})", enrichment.network_class);
  if (!enrichment.country.empty()) text += fmt::format(", {}", enrichment.country);
  return text;
}

class WorkloadCredentialOutsideAws final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "Temporary credentials of an EC2 instance, ECS task or Lambda function are used from a network outside AWS, which means they were copied out of the workload.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.identity_type != "AssumedRole" || event.access_key_id.substr(0, 4) != "ASIA") return;
    if (!aws::is_machine_caller(event)) return;
    const std::string session = fmt::format("session:{}", event.access_key_id);
    const core::EventEnrichment& enrichment = event.enrichment;
    const bool outside = aws::is_known_network_outside_aws(enrichment);

    std::string marker = workload_marker_in_record(event);
    if (!outside) {
      // First-use learning: remember that this session belongs to a workload, and where it ran.
      // Only workload sessions are recorded, which bounds the stored baselines to them.
      if (marker.empty()) return;
      ctx.observe(session, kWorkloadDimension, kWorkloadValue, event.time);
      if (enrichment.ip_valid) {
        ctx.observe(session, kNetworkDimension, std::string(event.source_ip), event.time);
        recent_.add(session, std::string(event.source_ip));
      }
      return;
    }
    if (marker.empty() && ctx.lookup(session, kWorkloadDimension, kWorkloadValue)) {
      marker = "session used earlier by a workload inside AWS";
    }
    if (marker.empty()) marker = workload_marker_in_inventory(ctx, event);
    if (marker.empty()) return;

    std::string description = fmt::format(
        "{} (session {}, {}) called {} from {} at {}, outside AWS", event.identity_id,
        baseline::printable(session_name(event.principal_arn), 80), marker, aws::short_action(event),
        describe_network(enrichment), baseline::printable(event.source_ip, 64));
    const std::vector<std::string> earlier = earlier_addresses(ctx, session, std::string(event.source_ip));
    description += earlier.empty() ? "; no earlier use of this session inside AWS is recorded"
                                   : fmt::format("; the session was first used from {}", baseline::join_values(earlier, 3));

    core::Alert alert = aws::make_alert(kId, kTitle, core::Severity::high, 85, event);
    alert.evidence.push_back(aws::make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Treat the workload as compromised: find how its credentials left it (SSRF to the metadata service, "
        "leaked environment variables, a compromised image) and require IMDSv2. Revoke the role's current "
        "sessions: {}",
        aws::containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", event.access_key_id, aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }

 private:
  std::vector<std::string> earlier_addresses(DetectContext& ctx, const std::string& session, const std::string& current) {
    return baseline::known_values(ctx, session, kNetworkDimension, recent_.of(session), current);
  }

  // Addresses inside AWS each session used in this run, so an alert can name them.
  baseline::RecentValues recent_;
};

KEYWARD_REGISTER_DETECTOR(WorkloadCredentialOutsideAws);

}  // namespace
}  // namespace keyward::detect
