// aws.signin.console_session_from_api_credentials: a machine credential (an IAM user's key or a
// role session that is not IAM Identity Center's) calls signin:GetSigninToken, which turns API
// credentials into a sign-in URL for the AWS console. Workloads never need the console; attackers
// convert stolen keys this way (tools such as aws_consoler), so they can browse the account with the
// credential's rights and leave fewer API traces.
//
// The IAM Identity Center portal also calls GetSigninToken, from its AWSReservedSSO_ roles, and
// those sessions are people's; they are skipped.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.signin.console_session_from_api_credentials";
constexpr std::string_view kTitle = "Console sign-in token requested with API credentials";

class ConsoleSessionFromApiCredentials final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A machine credential calls signin:GetSigninToken to open an AWS console session, a way to use stolen keys interactively.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "signin.amazonaws.com" || event.event_name != "GetSigninToken") return;
    if (!event.error_code.empty() || !aws::is_machine_caller(event)) return;
    if (event.principal_arn.find("AWSReservedSSO_") != std::string_view::npos) return;
    if (event.identity_id.empty()) return;

    core::Alert alert = aws::make_alert(kId, kTitle, core::Severity::high, 75, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} requested a console sign-in token from {} with client {}",
                           baseline::printable(event.principal_arn.empty() ? event.identity_id : event.principal_arn, 160),
                           baseline::printable(event.source_ip, 64), baseline::printable(event.user_agent, 100))));
    alert.remediation = fmt::format(
        "Machine credentials have no reason to open console sessions. Unless the owner confirms it, contain the "
        "credential (this also ends console sessions derived from it): {}",
        aws::containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", baseline::entity_of(event), aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(ConsoleSessionFromApiCredentials);

}  // namespace
}  // namespace keyward::detect
