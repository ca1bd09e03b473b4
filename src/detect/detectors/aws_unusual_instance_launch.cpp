// aws.ec2.gpu_instance_launch: a machine credential launches (or tries to launch) GPU or other
// accelerated instances (p, g, inf, trn, dl families) of a family it never launched before:
// any such launch after its learning period, and a fleet of kFleetSize or more at any time.
// Cryptomining with stolen keys starts this way, usually many instances at once and often in
// regions the account does not use. Denied attempts alert too, because an attacker probing for
// permissions and quota leaves exactly those: medium for a fleet, low for a single instance.

#include <fmt/format.h>

#include <cctype>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.ec2.gpu_instance_launch";
constexpr std::string_view kTitle = "GPU instances launched by a machine credential";
const std::string kDimension = "instance_family";
// Requesting this many instances at once makes the launch high severity.
constexpr long long kFleetSize = 5;

// The family of an instance type ("p3" of "p3.2xlarge"), or "" when it is not accelerated.
std::string accelerated_family(std::string_view type) {
  const std::string_view family = type.substr(0, type.find('.'));
  for (std::string_view prefix : {"p", "g", "inf", "trn", "dl"}) {
    if (family.size() > prefix.size() && family.substr(0, prefix.size()) == prefix &&
        std::isdigit(static_cast<unsigned char>(family[prefix.size()]))) {
      return std::string(family);
    }
  }
  return {};
}

long long requested_count(const nlohmann::json& request) {
  long long total = 0;
  if (!request.is_object() || !request.contains("instancesSet")) return 0;
  const nlohmann::json& set = request["instancesSet"];
  if (!set.is_object() || !set.contains("items") || !set["items"].is_array()) return 0;
  for (const auto& item : set["items"]) {
    if (item.is_object() && item.contains("maxCount") && item["maxCount"].is_number_integer()) {
      total += item["maxCount"].get<long long>();
    }
  }
  return total;
}

class UnusualInstanceLaunch final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A machine credential launches or tries to launch GPU or accelerated instances of a family it never used, the first step of cryptomining with stolen keys.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "ec2.amazonaws.com" || event.event_name != "RunInstances") return;
    if (!aws::is_machine_caller(event)) return;
    const nlohmann::json request = aws::parse_json(event.request_parameters);
    const std::string type = aws::string_field(request, "instanceType");
    const std::string family = accelerated_family(type);
    if (family.empty()) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;
    const bool denied = !event.error_code.empty();
    // Only launches that succeeded teach the baseline, so a denied attempt does not make the next one look normal.
    const bool known = denied ? ctx.lookup(entity, kDimension, family).has_value()
                              : ctx.observe(entity, kDimension, family, event.time).has_value();
    if (known) return;
    const long long count = requested_count(request);
    // A new credential's first small GPU launch looks like a new ML workload; a fleet does not.
    if (count < kFleetSize && !baseline::learning_complete(ctx, entity, event.time)) return;

    core::Severity severity = core::Severity::medium;
    int score = 60;
    if (denied && count < kFleetSize) {
      severity = core::Severity::low;
      score = 30;
    } else if (denied) {
      // A workload does not try to start a GPU fleet it has no permission for.
      severity = core::Severity::medium;
      score = 55;
    } else if (count >= kFleetSize) {
      severity = core::Severity::high;
      score = 80;
    }
    core::Alert alert = aws::make_alert(kId, kTitle, severity, score, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} {} up to {} {} instances in {}, a family it never launched{}", baseline::describe_entity(event),
                           denied ? "tried to launch" : "launched", count, baseline::printable(type, 32),
                           baseline::printable(event.region, 32),
                           denied ? fmt::format(" (denied: {})", baseline::printable(event.error_code, 64)) : "")));
    alert.remediation = fmt::format(
        "List the instances with `aws ec2 describe-instances --region {} --filters Name=instance-type,Values={}` and "
        "terminate those nobody ordered; then contain the credential: {}",
        aws::shell_word(event.region), aws::shell_word(type), aws::containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}|{}", entity, family, aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(UnusualInstanceLaunch);

}  // namespace
}  // namespace keyward::detect
