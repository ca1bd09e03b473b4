// aws.ec2.remote_access_by_machine: a machine credential opens a shell on instances or runs
// commands on them: SSM SendCommand or StartSession, EC2 Instance Connect SendSSHPublicKey, or the
// serial console (EnableSerialConsoleAccess, SendSerialConsoleSSHPublicKey). With a stolen key
// these calls turn cloud access into code execution inside the network, with the instances' own
// roles.
//
// Automation does use SSM (patching, deploy pipelines), so the detector learns: a credential that
// already did remote access stays quiet. It alerts
// - high when one credential reaches at least kSpreadThreshold distinct instances within the
//   burst window (lateral movement), or enables the serial console (medium when a person does);
// - medium for the first remote access of a credential past its learning period. A credential
//   still learning stays quiet unless it spreads, because a new automation looks the same.

#include <fmt/format.h>

#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.ec2.remote_access_by_machine";
constexpr std::string_view kTitle = "Machine credential opened remote access to instances";
const std::string kDimension = "remote_access";
const std::string kValue = "any";
constexpr size_t kSpreadThreshold = 3;

// The instances a remote-access call targets; empty when the call is not one.
std::vector<std::string> targets_of(const core::Event& event) {
  const nlohmann::json request = aws::parse_json(event.request_parameters);
  std::vector<std::string> targets;
  if (event.event_source == "ssm.amazonaws.com" && event.event_name == "StartSession") {
    targets.push_back(aws::string_field(request, "target"));
  } else if (event.event_source == "ssm.amazonaws.com" && event.event_name == "SendCommand") {
    const auto ids = request.is_object() ? request.find("instanceIds") : request.end();
    if (request.is_object() && ids != request.end() && ids->is_array()) {
      for (const auto& id : *ids) {
        if (id.is_string()) targets.push_back(id.get<std::string>());
      }
    }
    if (targets.empty()) targets.push_back("(instances chosen by tag)");
  } else if (event.event_source == "ec2-instance-connect.amazonaws.com" &&
             (event.event_name == "SendSSHPublicKey" || event.event_name == "SendSerialConsoleSSHPublicKey")) {
    targets.push_back(aws::string_field(request, "instanceId"));
  } else if (event.event_source == "ec2.amazonaws.com" && event.event_name == "EnableSerialConsoleAccess") {
    targets.push_back("(serial console access for the whole account)");
  }
  return targets;
}

class RemoteInstanceAccess final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A machine credential runs SSM commands or sessions, pushes SSH keys with EC2 Instance Connect or uses the serial console, for the first time or across several instances.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!event.error_code.empty() || aws::is_aws_service_caller(event)) return;
    const std::vector<std::string> targets = targets_of(event);
    if (targets.empty()) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;
    const std::string action = aws::short_action(event);
    const std::string target_text = baseline::printable(targets.front(), 64);

    // The serial console setting opens a path into every instance of the account, so enabling it
    // alerts whoever does it; people get medium, machines high.
    if (event.event_name == "EnableSerialConsoleAccess") {
      const bool human = aws::is_human_session(event);
      raise(event, ctx, entity, "serial", human ? core::Severity::medium : core::Severity::high, human ? 55 : 75,
            fmt::format("{} enabled EC2 serial console access for the account", baseline::describe_entity(event)));
    }
    if (!aws::is_machine_caller(event)) return;
    const size_t spread = record_spread(entity, event.time, targets, ctx.options().burst_window_seconds);
    if (spread >= kSpreadThreshold) {
      raise(event, ctx, entity, "spread", core::Severity::high, 80,
            fmt::format("{} used {} on {} distinct instances within {} seconds (latest {})", baseline::describe_entity(event),
                        action, spread, ctx.options().burst_window_seconds, target_text));
    }
    const bool done_before = ctx.observe(entity, kDimension, kValue, event.time).has_value();
    if (done_before || !baseline::learning_complete(ctx, entity, event.time)) return;
    const std::string since = baseline::first_activity_date(ctx, entity);
    raise(event, ctx, entity, "first", core::Severity::medium, 60,
          fmt::format("{} called {} on {}, its first remote access to an instance{}", baseline::describe_entity(event),
                      action, target_text, fmt::format(" (activity since {})", since)));
  }

 private:
  // Records the targets and returns how many distinct instances the entity reached in the window.
  size_t record_spread(const std::string& entity, core::UnixTime time, const std::vector<std::string>& targets,
                       core::UnixTime window) {
    if (recent_.size() >= kMaxEntities && recent_.find(entity) == recent_.end()) recent_.clear();
    std::deque<std::pair<core::UnixTime, std::string>>& seen = recent_[entity];
    for (const std::string& target : targets) {
      if (seen.size() >= kMaxTargets) seen.pop_front();
      seen.emplace_back(time, target);
    }
    std::unordered_set<std::string> distinct;
    for (const auto& [seen_time, target] : seen) {
      // CloudTrail delivers records out of order, so the window reaches both ways.
      const core::UnixTime distance = seen_time > time ? seen_time - time : time - seen_time;
      if (distance <= window) distinct.insert(target);
    }
    return distinct.size();
  }

  void raise(const core::Event& event, DetectContext& ctx, const std::string& entity, std::string_view pattern,
             core::Severity severity, int score, std::string description) {
    core::Alert alert = aws::make_alert(kId, kTitle, severity, score, event);
    alert.evidence.push_back(aws::make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Confirm with the credential's owner that this automation runs commands on instances. If not, review the "
        "SSM command history (`aws ssm list-commands`) and the instances' logs, and contain the credential: {}",
        aws::containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}|{}", entity, pattern, aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }

  static constexpr size_t kMaxEntities = 20000;
  static constexpr size_t kMaxTargets = 64;
  std::unordered_map<std::string, std::deque<std::pair<core::UnixTime, std::string>>> recent_;
};

KEYWARD_REGISTER_DETECTOR(RemoteInstanceAccess);

}  // namespace
}  // namespace keyward::detect
