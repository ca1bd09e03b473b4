// aws.sts.session_token_minted_by_key: a long-lived access key calls sts:GetSessionToken without
// an MFA code. GetSessionToken exists to turn a key plus MFA into a short session. Without MFA it
// only launders the key into temporary credentials with a new ASIA key id, and those stay valid
// for up to 36 hours after the key itself is deactivated. Attackers do it
// right after finding a key, so that containment of the key does not end their access.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.sts.session_token_minted_by_key";
constexpr std::string_view kTitle = "Access key minted session credentials without MFA";

class SessionTokenWithoutMfa final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An IAM user's access key calls sts:GetSessionToken without MFA, creating temporary credentials that outlive the key's deactivation.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "sts.amazonaws.com" || event.event_name != "GetSessionToken") return;
    if (event.identity_type != "IAMUser" || !event.error_code.empty()) return;
    if (!aws::is_machine_caller(event)) return;
    const nlohmann::json request = aws::parse_json(event.request_parameters);
    if (!aws::string_field(request, "serialNumber").empty()) return;

    std::string issued;
    const nlohmann::json response = aws::parse_json(event.response_elements);
    if (response.is_object() && response.contains("credentials")) {
      issued = aws::string_field(response["credentials"], "accessKeyId");
    }
    core::Alert alert = aws::make_alert(kId, kTitle, core::Severity::medium, 60, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} called sts:GetSessionToken without an MFA device from {} (client {}){}",
                           baseline::describe_entity(event), baseline::printable(event.source_ip, 64),
                           baseline::printable(event.user_agent, 100),
                           issued.empty() ? "" : fmt::format("; issued temporary key {}", baseline::printable(issued, 32)))));
    alert.remediation = fmt::format(
        "Confirm with the key's owner that a tool of theirs needs session tokens. If not, deactivate the key and "
        "also revoke the sessions it issued, because deactivating a key does not end them: {}; then "
        "aws iam put-user-policy with an aws:TokenIssueTime deny for sessions issued before now.",
        aws::containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", baseline::entity_of(event), aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(SessionTokenWithoutMfa);

}  // namespace
}  // namespace keyward::detect
