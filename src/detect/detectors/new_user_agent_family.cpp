// client.new_user_agent_family: after its learning period, a credential or identity calls AWS
// with a kind of client it never used before. Examples: a CI key that always ran Terraform is
// suddenly driven by curl or the AWS CLI, or a service key is used from a browser. Someone who
// steals a key uses their own tools.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"
#include "enrich/user_agent.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "client.new_user_agent_family";
constexpr std::string_view kTitle = "Credential used with a new kind of client";
const std::string kDimension = "user_agent_family";

// Families that reveal nothing about who has the credential: AWS acting on the principal's
// behalf, and empty user agents. Offensive tools have their own detector.
bool is_ignored(std::string_view family) {
  return family == "unknown" || family == "aws-service" || family == "cloudformation" || family == "offensive-tool";
}

// Hand-driven clients are the usual sign of a person holding a machine's key.
bool is_interactive(std::string_view family) {
  return family == "browser" || family == "aws-console" || family == "curl" || family == "wget" ||
         family == "python-requests" || family == "python-urllib" || family == "go-http-client" ||
         family == "powershell";
}

class NewUserAgentFamily final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "After its learning period, a credential is used with a kind of client it never used before, such as a CI key suddenly driven by curl.";
  }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    // Without an enricher the engine leaves the family empty; the classification needs no data.
    std::string family = event.enrichment.user_agent_family;
    if (family.empty()) family = std::string(enrich::classify_user_agent(event.user_agent).family);
    if (is_ignored(family) || is_provider_internal(event) || is_human_actor(event)) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;

    if (ctx.observe(entity, kDimension, family, event.time)) return;
    if (!baseline::learning_complete(ctx, entity, event.time)) return;

    const std::vector<std::string> before =
        baseline::known_values(ctx, entity, kDimension, enrich::user_agent_families(), family);
    std::string description =
        fmt::format("{} called {} with a client of family {} for the first time (user agent \"{}\")",
                    baseline::describe_entity(event), action_of(event), family,
                    baseline::printable(event.user_agent, 200));
    description += before.empty() ? "; no earlier client is recorded"
                                  : fmt::format("; used before with {}", baseline::join_values(before, 8));
    description += fmt::format(" (activity since {}, source IP {})", baseline::first_activity_date(ctx, entity),
                               event.source_ip);

    const bool interactive = is_interactive(family);
    core::Alert alert = make_alert(kId, kTitle, interactive ? core::Severity::medium : core::Severity::low,
                                        interactive ? 55 : 35, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Confirm with the owner that the {} client is theirs. If not, contain the credential: {}", family,
        containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, family);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(NewUserAgentFamily);

}  // namespace
}  // namespace keyward::detect
