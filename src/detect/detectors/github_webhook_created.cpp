// github.webhook.created: a webhook is added to a repository, organization or GitHub App, or an
// existing one gets a new configuration (usually its URL). A webhook sends repository events to
// a URL outside GitHub with a shared secret: a quiet channel to copy activity out and a machine
// integration that outlives the person who added it. Deleting a webhook sends nothing anywhere,
// so it is not alerted.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "github.webhook.created";
constexpr std::string_view kTitle = "GitHub webhook created or redirected";

class GithubWebhookCreated final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A webhook is added or its configuration changed: repository events now go to a URL outside GitHub, "
           "a channel to copy activity out.";
  }
  std::vector<std::string_view> platforms() const override { return {"github"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    const bool created = event.event_name == "hook.create";
    if (!created && event.event_name != "hook.config_changed") return;
    const nlohmann::json record = aws::parse_json(event.raw_record);
    std::string url;
    if (record.is_object() && record.contains("config")) url = aws::string_field(record["config"], "url");
    url = display_url(url);
    std::string owner = aws::string_field(record, "repo");
    const std::string integration = aws::string_field(record, "integration");
    if (owner.empty() && !integration.empty()) owner = "GitHub App " + integration;
    if (owner.empty()) owner = aws::string_field(record, "org");
    owner = baseline::printable(owner, 200);

    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, created ? 50 : 55, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} {} a webhook on {} sending to {}", baseline::describe_entity(event),
                           created ? "created" : "reconfigured", owner.empty() ? std::string("an unnamed owner") : owner,
                           url.empty() ? std::string("a URL the record does not show") : url)));
    alert.remediation = fmt::format(
        "Check that the receiving URL belongs to a service the organization uses. If not, delete the webhook "
        "(Settings > Webhooks) and contain the actor: {}",
        containment_command(event));
    alert.dedupe_key = event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(GithubWebhookCreated);

}  // namespace
}  // namespace keyward::detect
