// aws.lambda.public_access_granted: a Lambda function is opened to callers outside the account: a
// resource policy statement for principal "*" (or another account) without a source condition,
// or a function URL with AuthType NONE. Either one lets anyone on the internet invoke the
// function, which attackers use as a backdoor that runs with the function's role.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.lambda.public_access_granted";
constexpr std::string_view kTitle = "Lambda function opened to the public";

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// The account id inside a principal ("123456789012" or "arn:aws:iam::123456789012:root"), or "".
std::string principal_account(const std::string& principal) {
  if (principal.size() == 12 && principal.find_first_not_of("0123456789") == std::string::npos) return principal;
  if (starts_with(principal, "arn:aws:iam::")) return principal.substr(13, principal.find(':', 13) - 13);
  return {};
}

class LambdaPublicAccess final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A Lambda function gets a resource policy for any principal or another account without a source condition, or a function URL without authentication.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "lambda.amazonaws.com" || !event.error_code.empty()) return;
    if (aws::is_aws_service_caller(event)) return;
    const nlohmann::json request = aws::parse_json(event.request_parameters);
    const std::string function = aws::string_field(request, "functionName");
    std::string finding;
    if (starts_with(event.event_name, "AddPermission")) {
      const std::string principal = aws::string_field(request, "principal");
      const bool conditioned = !aws::string_field(request, "sourceArn").empty() ||
                               !aws::string_field(request, "sourceAccount").empty() ||
                               !aws::string_field(request, "principalOrgID").empty();
      const std::string account = principal_account(principal);
      const bool url_with_auth = aws::string_field(request, "functionUrlAuthType") == "AWS_IAM";
      if (principal == "*" && !conditioned && !url_with_auth) {
        finding = fmt::format("granted {} to every principal (\"*\")",
                              baseline::printable(aws::string_field(request, "action"), 64));
      } else if (!account.empty() && account != event.account_id && !conditioned) {
        finding = fmt::format("granted {} to account {}", baseline::printable(aws::string_field(request, "action"), 64),
                              baseline::printable(account, 32));
      }
    } else if (starts_with(event.event_name, "CreateFunctionUrlConfig") ||
               starts_with(event.event_name, "UpdateFunctionUrlConfig")) {
      if (aws::string_field(request, "authType") == "NONE") finding = "created a function URL that needs no authentication";
    }
    if (finding.empty()) return;

    const bool human = aws::is_human_session(event);
    core::Alert alert = aws::make_alert(kId, kTitle, human ? core::Severity::medium : core::Severity::high,
                                        human ? 55 : 80, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} {} on Lambda function {} ({})", event.identity_id, finding,
                           baseline::printable(function, 160), aws::short_action(event))));
    alert.remediation = fmt::format(
        "Review the function's policy with `aws lambda get-policy --function-name {0}` and remove the statement "
        "(`aws lambda remove-permission --function-name {0} --statement-id ID`) or the URL "
        "(`aws lambda delete-function-url-config --function-name {0}`). If the change was not planned, contain the "
        "caller: {1}",
        function.empty() ? "FUNCTION" : aws::shell_word(function), aws::containment_command(event));
    alert.dedupe_key = aws::event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(LambdaPublicAccess);

}  // namespace
}  // namespace keyward::detect
