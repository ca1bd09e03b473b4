// aws.iam.admin_granted_by_person: a person (a console or IAM Identity Center session) gives an
// IAM role, user or group administrator rights: an AWS managed policy such as
// AdministratorAccess attached, or an inline policy that allows every action on every resource.
// Machine callers doing the same are covered by aws.iam.write_by_machine. A role or user made
// administrator becomes the most valuable credential in the account, and a person's hijacked
// session does this to keep access through a workload identity.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/iam_policy_checks.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.iam.admin_granted_by_person";
constexpr std::string_view kTitle = "Administrator rights granted to an IAM principal";

struct Target {
  std::string kind;  // "role", "user", "group"
  std::string name;
};

Target target_of(const nlohmann::json& request) {
  for (const char* kind : {"role", "user", "group"}) {
    const std::string name = aws::string_field(request, fmt::format("{}Name", kind));
    if (!name.empty()) return {kind, name};
  }
  return {};
}

class AdminGrantedByPerson final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A person's session attaches an administrator policy to an IAM role, user or group, or writes an inline policy allowing everything.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "iam.amazonaws.com" || !event.error_code.empty()) return;
    if (!aws::is_human_session(event) || aws::is_aws_service_caller(event)) return;
    const std::string_view name = event.event_name;
    const bool attach = name == "AttachRolePolicy" || name == "AttachUserPolicy" || name == "AttachGroupPolicy";
    const bool inline_policy = name == "PutRolePolicy" || name == "PutUserPolicy" || name == "PutGroupPolicy";
    if (!attach && !inline_policy) return;
    const nlohmann::json request = aws::parse_json(event.request_parameters);
    std::string policy;
    if (attach) {
      policy = aws::string_field(request, "policyArn");
      if (!aws::is_admin_managed_policy(policy)) return;
    } else {
      if (!aws::grants_admin(aws::parse_policy_document(aws::string_field(request, "policyDocument")))) return;
      policy = fmt::format("inline policy {} allowing every action", aws::string_field(request, "policyName"));
    }
    const Target target = target_of(request);
    if (target.name.empty()) return;

    core::Alert alert = aws::make_alert(kId, kTitle, core::Severity::medium, 60, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} gave IAM {} {} {} ({} from {})", event.identity_id, target.kind,
                           baseline::printable(target.name, 64), baseline::printable(policy, 160),
                           aws::short_action(event), baseline::printable(event.source_ip, 64))));
    const std::string detach = attach ? fmt::format("aws iam detach-{}-policy --{}-name {} --policy-arn {}", target.kind,
                                                    target.kind, aws::shell_word(target.name), aws::shell_word(policy))
                                      : fmt::format("aws iam delete-{}-policy --{}-name {} --policy-name {}", target.kind,
                                                    target.kind, aws::shell_word(target.name),
                                                    aws::shell_word(aws::string_field(request, "policyName")));
    alert.remediation = fmt::format(
        "Confirm the change with the person and a change ticket; grant a narrower policy instead. To undo it: {}. "
        "If the session was not theirs: {}",
        detach, aws::containment_command(event));
    alert.dedupe_key = aws::event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(AdminGrantedByPerson);

}  // namespace
}  // namespace keyward::detect
