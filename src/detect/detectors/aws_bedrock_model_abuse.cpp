// aws.bedrock.model_abuse: signs that a stolen credential is being used to run large language
// models on the victim's bill ("LLM-jacking"). Attackers who find AWS keys check which Bedrock
// models the account may use, turn on access to the expensive ones, then resell or use the
// capacity. Four patterns alert, each at most once per credential and day:
// - model access set up by a machine credential (PutUseCaseForModelAccess,
//   CreateFoundationModelAgreement, PutFoundationModelEntitlement): done once by an administrator
//   in the console, never by a workload;
// - model enumeration by a machine credential with no model history (GetFoundationModelAvailability,
//   ListFoundationModels, GetModelInvocationLoggingConfiguration, ...);
// - the first model invocation (InvokeModel, InvokeModelWithResponseStream, Converse,
//   ConverseStream) by a credential past its learning period that never invoked a model;
// - a burst: at least kBurstThreshold invocations within the burst window.

#include <fmt/format.h>

#include <array>
#include <unordered_map>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.bedrock.model_abuse";
constexpr std::string_view kTitle = "Bedrock model access by a stolen credential (LLM-jacking)";
const std::string kModelDimension = "bedrock_invocation";
const std::string kModelValue = "any";
constexpr long long kBurstThreshold = 100;

constexpr std::array<std::string_view, 4> kInvocations = {"InvokeModel", "InvokeModelWithResponseStream", "Converse",
                                                         "ConverseStream"};
constexpr std::array<std::string_view, 4> kAccessSetup = {"PutUseCaseForModelAccess", "CreateFoundationModelAgreement",
                                                         "PutFoundationModelEntitlement", "DeleteModelInvocationLoggingConfiguration"};
constexpr std::array<std::string_view, 5> kEnumeration = {"GetFoundationModelAvailability", "ListFoundationModels",
                                                         "GetModelInvocationLoggingConfiguration",
                                                         "ListFoundationModelAgreementOffers", "GetUseCaseForModelAccess"};

template <size_t N>
bool is_one_of(std::string_view name, const std::array<std::string_view, N>& names) {
  for (std::string_view listed : names) {
    if (listed == name) return true;
  }
  return false;
}

class BedrockModelAbuse final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A machine credential sets up or enumerates Bedrock model access, invokes a model for the first time, or invokes models in a burst: the pattern of LLM-jacking with stolen keys.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "bedrock.amazonaws.com" || !aws::is_machine_caller(event)) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;
    const std::string_view name = event.event_name;
    const std::string model = baseline::printable(aws::string_field(aws::parse_json(event.request_parameters), "modelId"), 120);
    const std::string model_text = model.empty() ? std::string() : fmt::format(" for model {}", model);

    if (is_one_of(name, kAccessSetup)) {
      raise(event, ctx, entity, "setup", core::Severity::high, 85,
            fmt::format("{} called {}{}{}: model access is set up by administrators, not workloads",
                        baseline::describe_entity(event), aws::short_action(event), model_text, outcome(event)));
      return;
    }
    if (is_one_of(name, kEnumeration)) {
      if (ctx.lookup(entity, kModelDimension, kModelValue)) return;
      raise(event, ctx, entity, "enumeration", core::Severity::medium, 60,
            fmt::format("{} called {}{}{} and has never invoked a model: checking which models the account can use",
                        baseline::describe_entity(event), aws::short_action(event), model_text, outcome(event)));
      return;
    }
    if (!is_one_of(name, kInvocations)) return;

    count_burst(event, ctx, entity, model_text);
    if (!event.error_code.empty()) return;
    const bool invoked_before = ctx.observe(entity, kModelDimension, kModelValue, event.time).has_value();
    if (invoked_before || !baseline::learning_complete(ctx, entity, event.time)) return;
    raise(event, ctx, entity, "first_invocation", core::Severity::high, 75,
          fmt::format("{} called {}{}, its first model invocation (other activity since {})",
                      baseline::describe_entity(event), aws::short_action(event), model_text,
                      baseline::first_activity_date(ctx, entity)));
  }

 private:
  static std::string outcome(const core::Event& event) {
    return event.error_code.empty() ? std::string() : fmt::format(" (failed with {})", baseline::printable(event.error_code, 64));
  }

  void count_burst(const core::Event& event, DetectContext& ctx, const std::string& entity, const std::string& model_text) {
    const core::UnixTime window = ctx.options().burst_window_seconds;
    if (windows_.size() >= kMaxEntities && windows_.find(entity) == windows_.end()) windows_.clear();
    Window& state = windows_[entity];
    if (event.time - state.start > window || event.time < state.start) state = Window{event.time, 0};
    if (++state.count != kBurstThreshold) return;
    raise(event, ctx, entity, "burst", core::Severity::high, 80,
          fmt::format("{} made {} model invocations within {} seconds (latest {}{})", baseline::describe_entity(event),
                      state.count, window, aws::short_action(event), model_text));
  }

  void raise(const core::Event& event, DetectContext& ctx, const std::string& entity, std::string_view pattern,
             core::Severity severity, int score, std::string description) {
    core::Alert alert = aws::make_alert(kId, kTitle, severity, score, event);
    alert.evidence.push_back(aws::make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Check the account's Bedrock usage and bill for unexpected models, and confirm with the credential's owner "
        "that the workload uses Bedrock. If not, contain the credential: {}",
        aws::containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}|{}", entity, pattern, aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }

  struct Window {
    core::UnixTime start = 0;
    long long count = 0;
  };
  static constexpr size_t kMaxEntities = 20000;
  std::unordered_map<std::string, Window> windows_;
};

KEYWARD_REGISTER_DETECTOR(BedrockModelAbuse);

}  // namespace
}  // namespace keyward::detect
