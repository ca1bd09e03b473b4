// aws.ec2.user_data_modified: a machine credential replaces the user data of an existing
// instance. User data runs as root when the instance boots, so changing it and restarting the
// instance is code execution on that instance; Stratus and real intrusions stop an instance,
// swap its user data and start it again. Deployments change launch templates instead, so a
// direct ModifyInstanceAttribute of userData by a workload is rare.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.ec2.user_data_modified";
constexpr std::string_view kTitle = "Instance user data replaced by a machine credential";

class UserDataModified final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A machine credential replaces an existing instance's user data, which runs as root at the next boot.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "ec2.amazonaws.com" || event.event_name != "ModifyInstanceAttribute") return;
    if (!event.error_code.empty() || !aws::is_machine_caller(event)) return;
    const nlohmann::json request = aws::parse_json(event.request_parameters);
    if (!request.is_object() || !request.contains("userData")) return;
    const std::string instance = aws::string_field(request, "instanceId");

    core::Alert alert = aws::make_alert(kId, kTitle, core::Severity::high, 75, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} replaced the user data of instance {} from {}", baseline::describe_entity(event),
                           instance.empty() ? "(not logged)" : baseline::printable(instance, 32),
                           baseline::printable(event.source_ip, 64))));
    alert.remediation = fmt::format(
        "Read the new user data with `aws ec2 describe-instance-attribute --instance-id {} --attribute userData`, "
        "restore the expected script before the instance boots again, and contain the caller: {}",
        instance.empty() ? "INSTANCE" : aws::shell_word(instance), aws::containment_command(event));
    alert.dedupe_key = aws::event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(UserDataModified);

}  // namespace
}  // namespace keyward::detect
