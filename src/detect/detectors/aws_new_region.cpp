// aws.credential.new_region: after its learning period, a credential calls AWS in a region it
// never used. Workloads live in a fixed set of regions; attackers launch miners and other
// resources in regions nobody watches, and opt-in regions (disabled until someone enables them)
// are a favourite because their activity is easy to miss. Enabling a region (account:EnableRegion)
// by a machine credential alerts at once, learning period or not.
//
// Calls to global services (IAM, Organizations, CloudFront, Route 53, ...) are logged in
// us-east-1 whatever the caller's region, so they neither teach nor break the baseline.

#include <fmt/format.h>

#include <array>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.credential.new_region";
constexpr std::string_view kTitle = "AWS credential used in a new region";
const std::string kDimension = "region";

// Regions that stay disabled until an administrator opts in (AWS General Reference, "Enable or
// disable AWS Regions in your account", as listed in 2025).
constexpr std::array<std::string_view, 16> kOptInRegions = {
    "af-south-1",     "ap-east-1",      "ap-east-2",      "ap-south-2",   "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-7", "ca-west-1",      "eu-central-2", "eu-south-1",     "eu-south-2",
    "il-central-1",   "me-central-1",   "me-south-1",     "mx-central-1"};

constexpr std::array<std::string_view, 12> kGlobalServices = {
    "iam.amazonaws.com",        "organizations.amazonaws.com",  "cloudfront.amazonaws.com",
    "route53.amazonaws.com",    "globalaccelerator.amazonaws.com", "support.amazonaws.com",
    "health.amazonaws.com",     "signin.amazonaws.com",         "budgets.amazonaws.com",
    "ce.amazonaws.com",         "sso.amazonaws.com",            "account.amazonaws.com"};

bool is_opt_in(std::string_view region) {
  for (std::string_view listed : kOptInRegions) {
    if (listed == region) return true;
  }
  return false;
}

bool is_global_service(std::string_view source) {
  for (std::string_view listed : kGlobalServices) {
    if (listed == source) return true;
  }
  return false;
}

class NewRegion final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "After its learning period, a credential calls AWS in a region it never used; more severe for opt-in regions. Enabling a region by a machine credential always alerts.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!aws::is_machine_caller(event)) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;
    if (event.event_source == "account.amazonaws.com" && event.event_name == "EnableRegion" && event.error_code.empty()) {
      raise_enable_region(event, ctx, entity);
      return;
    }
    if (event.region.empty() || is_global_service(event.event_source) || !event.error_code.empty()) return;

    const std::string region(event.region);
    const bool known = ctx.observe(entity, kDimension, region, event.time).has_value();
    if (known) {
      recent_.add(entity, region);
      return;
    }
    const bool learning_done = baseline::learning_complete(ctx, entity, event.time);
    const std::vector<std::string> earlier = baseline::known_values(ctx, entity, kDimension, recent_.of(entity), region);
    recent_.add(entity, region);
    if (!learning_done) return;

    const bool opt_in = is_opt_in(region);
    std::string description = fmt::format("{} called {} in {}{}, a region it never used", baseline::describe_entity(event),
                                          aws::short_action(event), baseline::printable(region, 32),
                                          opt_in ? " (an opt-in region)" : "");
    description += earlier.empty() ? "; regions used before this input are not listed"
                                   : fmt::format("; used before in {}", baseline::join_values(earlier, 5));
    description += fmt::format(" (activity since {})", baseline::first_activity_date(ctx, entity));
    core::Alert alert = aws::make_alert(kId, kTitle, opt_in ? core::Severity::high : core::Severity::medium,
                                        opt_in ? 75 : 50, event);
    alert.evidence.push_back(aws::make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "List what the credential created in {} (for example `aws ec2 describe-instances --region {}`) and confirm "
        "with its owner that the workload now runs there. If not, contain it: {}",
        aws::shell_word(region), aws::shell_word(region), aws::containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, region);
    ctx.raise(std::move(alert));
  }

 private:
  void raise_enable_region(const core::Event& event, DetectContext& ctx, const std::string& entity) {
    const nlohmann::json request = aws::parse_json(event.request_parameters);
    std::string region = aws::string_field(request, "regionName");
    if (region.empty()) region = aws::string_field(request, "RegionName");
    core::Alert alert = aws::make_alert(kId, "Region enabled by a machine credential", core::Severity::high, 75, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} enabled the opt-in region {} (account:EnableRegion from {})",
                           baseline::describe_entity(event), region.empty() ? "(not logged)" : baseline::printable(region, 32),
                           baseline::printable(event.source_ip, 64))));
    alert.remediation = fmt::format(
        "Confirm the change with the account's administrators; if it was not planned, disable the region with "
        "`aws account disable-region --region-name {}` and contain the caller: {}",
        region.empty() ? "REGION" : aws::shell_word(region), aws::containment_command(event));
    alert.dedupe_key = fmt::format("{}|enable|{}", entity, region);
    ctx.raise(std::move(alert));
  }

  // Regions each entity used in this run, so an alert can name them.
  baseline::RecentValues recent_;
};

KEYWARD_REGISTER_DETECTOR(NewRegion);

}  // namespace
}  // namespace keyward::detect
