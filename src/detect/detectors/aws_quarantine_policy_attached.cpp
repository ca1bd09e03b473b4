// aws.iam.key_exposure_quarantine: AWS attached its AWSCompromisedKeyQuarantine policy to an IAM
// user. AWS does that when it finds one of the user's access keys in a public place (a GitHub
// repository, a paste) and opens a support case. The policy denies only some actions, so the key
// still works for reads and for much else: the exposure is confirmed, and the key must be
// rotated and its recent activity reviewed.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.iam.key_exposure_quarantine";
constexpr std::string_view kTitle = "AWS quarantined an exposed access key";
constexpr std::string_view kPolicyPrefix = "AWSCompromisedKeyQuarantine";

class QuarantinePolicyAttached final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "AWS attached its compromised-key quarantine policy to an IAM user because one of the user's keys was found in public.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "iam.amazonaws.com" || !event.error_code.empty()) return;
    if (event.event_name != "AttachUserPolicy" && event.event_name != "PutUserPolicy") return;
    const nlohmann::json request = aws::parse_json(event.request_parameters);
    const std::string policy = event.event_name == "AttachUserPolicy"
                                   ? aws::arn_resource_name(aws::string_field(request, "policyArn"))
                                   : aws::string_field(request, "policyName");
    if (policy.rfind(kPolicyPrefix, 0) != 0) return;
    const std::string user = aws::string_field(request, "userName");
    if (user.empty()) return;

    core::Alert alert = aws::make_alert(kId, kTitle, core::Severity::critical, 95, event);
    // The alert is about the quarantined user, not about whoever attached the policy.
    if (!event.account_id.empty()) alert.identity.id = fmt::format("arn:aws:iam::{}:user/{}", event.account_id, user);
    alert.credential_id.clear();
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} attached {} to IAM user {} ({}): AWS found one of its access keys exposed in public",
                           event.identity_id, baseline::printable(policy, 80), baseline::printable(user, 64),
                           aws::short_action(event))));
    alert.remediation = fmt::format(
        "List the user's keys with `aws iam list-access-keys --user-name {0}`, deactivate the exposed one with "
        "`aws iam update-access-key --user-name {0} --access-key-id KEY --status Inactive`, replace it in the "
        "workload, remove it from where it was published, and review the key's activity since it leaked.",
        aws::shell_word(user));
    alert.dedupe_key = aws::event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(QuarantinePolicyAttached);

}  // namespace
}  // namespace keyward::detect
