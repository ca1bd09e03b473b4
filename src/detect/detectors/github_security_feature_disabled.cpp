// github.security.feature_disabled: secret scanning, push protection, Advanced Security or
// Dependabot is turned off for a repository, an organization or an enterprise. Secret scanning
// and push protection catch leaked tokens and keys before and after they are pushed, so
// turning them off lets an attacker or a careless admin leak credentials unseen.

#include <fmt/format.h>

#include <array>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "github.security.feature_disabled";
constexpr std::string_view kTitle = "GitHub secret scanning or code security feature disabled";

// Audit categories of the features, with whether they protect credentials directly.
struct Feature {
  std::string_view category_part;
  std::string_view name;
  bool protects_secrets;
};
constexpr std::array<Feature, 4> kFeatures = {{
    {"secret_scanning", "secret scanning or push protection", true},
    {"advanced_security", "GitHub Advanced Security (includes secret scanning)", true},
    {"dependabot", "Dependabot", false},
    {"vulnerability_alerts", "vulnerability alerts", false},
}};

const Feature* disabled_feature(std::string_view action) {
  const size_t dot = action.find('.');
  if (dot == std::string_view::npos) return nullptr;
  const std::string_view category = action.substr(0, dot);
  const std::string_view verb = action.substr(dot + 1);
  if (!verb.starts_with("disable")) return nullptr;
  for (const Feature& feature : kFeatures) {
    if (category.find(feature.category_part) != std::string_view::npos) return &feature;
  }
  return nullptr;
}

class GithubSecurityFeatureDisabled final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "Secret scanning, push protection, Advanced Security or Dependabot is turned off, so leaked tokens and "
           "keys go unnoticed.";
  }
  std::vector<std::string_view> platforms() const override { return {"github"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    const Feature* feature = disabled_feature(event.event_name);
    if (feature == nullptr) return;
    const nlohmann::json record = aws::parse_json(event.raw_record);
    std::string scope = aws::string_field(record, "repo");
    if (scope.empty()) scope = aws::string_field(record, "org");
    if (scope.empty()) scope = aws::string_field(record, "business");
    if (scope.empty()) scope = std::string(event.account_id);
    scope = baseline::printable(scope, 200);

    core::Alert alert = make_alert(kId, kTitle, feature->protects_secrets ? core::Severity::high : core::Severity::medium,
                                   feature->protects_secrets ? 70 : 50, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} turned off {} for {} ({})", baseline::describe_entity(event), feature->name,
                           scope.empty() ? std::string("an unnamed scope") : scope, event.event_name)));
    alert.remediation = fmt::format(
        "Turn {} back on under Settings > Code security for {}, and ask the actor why it was turned off. If the "
        "change was not theirs, contain the actor: {}",
        feature->name, scope.empty() ? std::string("the repository or organization") : scope, containment_command(event));
    alert.dedupe_key = event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(GithubSecurityFeatureDisabled);

}  // namespace
}  // namespace keyward::detect
