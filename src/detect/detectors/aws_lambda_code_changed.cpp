// aws.lambda.code_changed_by_new_principal: a Lambda function's code or layers change, and the
// principal that changed them never deployed that function before. Replacing a function's code or
// adding a layer (an extension runs beside every invocation) gives an attacker code execution with
// the function's role and a view of every event it handles, and it survives key rotation.
//
// Deployers are learned per function. A change by a principal other than the recorded deployers
// alerts at medium (high when the new layer belongs to another account). When keyward has no
// deploy history for the function yet, a change made directly with an IAM user's long-lived key
// alerts at low for code, because a pipeline that deploys with a user key looks the same on its
// first deploy of each function. A layer change in that case alerts at medium: release pipelines
// replace code, while an added layer or extension runs beside it unseen. From then on the
// function's deployers are learned.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.lambda.code_changed_by_new_principal";
constexpr std::string_view kTitle = "Lambda code or layers changed by a new principal";
const std::string kDimension = "deployer";
const std::string kHistoryDimension = "deployed";
const std::string kHistoryValue = "any";

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// The account id of a layer version ARN (arn:aws:lambda:region:account:layer:name:version).
std::string layer_account(const std::string& arn) {
  size_t start = 0;
  for (int field = 0; field < 4; ++field) {
    start = arn.find(':', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  return arn.substr(start, arn.find(':', start) - start);
}

class LambdaCodeChanged final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A Lambda function's code or layers are changed by a principal that never deployed it, or by another account's layer.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "lambda.amazonaws.com" || !event.error_code.empty()) return;
    if (aws::is_aws_service_caller(event)) return;
    const bool code = starts_with(event.event_name, "UpdateFunctionCode");
    const bool configuration = starts_with(event.event_name, "UpdateFunctionConfiguration");
    if (!code && !configuration) return;
    const nlohmann::json request = aws::parse_json(event.request_parameters);
    std::vector<std::string> layers;
    if (request.is_object() && request.contains("layers") && request["layers"].is_array()) {
      for (const auto& layer : request["layers"]) {
        if (layer.is_string()) layers.push_back(layer.get<std::string>());
      }
    }
    // A configuration change that sets no layers (memory, timeout, environment) is not a code change.
    if (configuration && layers.empty()) return;
    std::string function = aws::string_field(request, "functionName");
    if (function.empty()) return;
    // Calls name the function by name or by ARN, so the baseline is keyed on the bare name within the account.
    const std::string function_key = fmt::format("lambda:{}:{}", event.account_id, aws::arn_resource_name(
        function.rfind("function:") != std::string::npos ? function.substr(function.rfind("function:") + 9) : function));
    const std::string deployer = event.identity_id;
    if (deployer.empty()) return;

    std::string foreign_layer;
    for (const std::string& layer : layers) {
      const std::string account = layer_account(layer);
      if (!account.empty() && account != event.account_id) foreign_layer = layer;
    }
    const bool known = ctx.observe(function_key, kDimension, deployer, event.time).has_value();
    // One stored flag per function records that some deploy of it was seen.
    const bool has_history = ctx.observe(function_key, kHistoryDimension, kHistoryValue, event.time).has_value();
    const std::vector<std::string> earlier = baseline::known_values(ctx, function_key, kDimension, recent_.of(function_key), deployer);
    recent_.add(function_key, deployer);
    if (known && foreign_layer.empty()) return;

    core::Severity severity = core::Severity::low;
    int score = 30;
    std::string reason;
    if (!foreign_layer.empty()) {
      severity = core::Severity::high;
      score = 80;
      reason = fmt::format("added layer {} from another account", baseline::printable(foreign_layer, 160));
    } else if (!earlier.empty() || has_history) {
      severity = core::Severity::medium;
      score = 60;
      reason = earlier.empty() ? "never deployed this function before"
                               : fmt::format("never deployed this function; earlier deployers: {}",
                                             baseline::join_values(earlier, 3));
    } else if (event.identity_type == "IAMUser" && aws::is_machine_caller(event)) {
      reason = "no deploy history is recorded for the function, and the change came straight from an IAM user's key";
      if (configuration) {
        // A layer adds code that runs beside the function and does not show in its source. An
        // extension receives every invocation and can read the role's credentials.
        severity = core::Severity::medium;
        score = 55;
        reason += "; layers add code that runs in every invocation without changing the function's own code";
      }
    } else {
      return;
    }
    const std::string change = code ? std::string("replaced the code")
                                    : fmt::format("set layers {}", baseline::join_values(layers, 3));
    core::Alert alert = aws::make_alert(kId, kTitle, severity, score, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} {} of Lambda function {} ({}): {}", event.identity_id, change,
                           baseline::printable(function, 160), aws::short_action(event), reason)));
    alert.remediation = fmt::format(
        "Compare the function's code and layers with what the pipeline last deployed (`aws lambda get-function "
        "--function-name {}`), redeploy the known version if they differ, and contain the caller: {}",
        aws::shell_word(function), aws::containment_command(event));
    alert.dedupe_key = aws::event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }

 private:
  // Deployers of each function seen in this run, so an alert can name them.
  baseline::RecentValues recent_;
};

KEYWARD_REGISTER_DETECTOR(LambdaCodeChanged);

}  // namespace
}  // namespace keyward::detect
