// github.actions.workflow_dispatch_by_token: a token or GitHub App starts a workflow by hand
// (workflow_dispatch or repository_dispatch) that it never started before. A dispatched workflow
// runs with the repository's secrets, so a stolen app or Actions token that can dispatch one can
// make it print or send those secrets. Runs started by pushes and schedules are not alerted,
// and each (actor, workflow) pair alerts once.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "github.actions.workflow_dispatch_by_token";
constexpr std::string_view kTitle = "GitHub workflow dispatched by a token for the first time";
const std::string kDimension = "github_dispatched_workflow";

class GithubWorkflowDispatchByToken final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A token or GitHub App starts a workflow by hand that it never started before; dispatched workflows "
           "run with the repository's secrets.";
  }
  std::vector<std::string_view> platforms() const override { return {"github"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_name != "workflows.created_workflow_run" || event.actor_kind != core::ActorKind::machine) return;
    const nlohmann::json record = aws::parse_json(event.raw_record);
    const std::string trigger = aws::string_field(record, "event");
    if (trigger != "workflow_dispatch" && trigger != "repository_dispatch") return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;
    const std::string repo = baseline::printable(aws::string_field(record, "repo"), 200);
    std::string workflow = aws::string_field(record, "workflow_id");
    if (workflow.empty() && record.is_object() && record.contains("workflow_id") && record["workflow_id"].is_number()) {
      workflow = record["workflow_id"].dump();
    }
    const std::string workflow_key = fmt::format("{}:{}", repo, baseline::printable(workflow, 64));
    if (ctx.observe(entity, kDimension, workflow_key, event.time)) return;

    const std::string name = baseline::printable(aws::string_field(record, "name"), 200);
    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, 55, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} started workflow {} (id {}) on {} with {}, the first such run by this actor",
                           baseline::describe_entity(event), name.empty() ? std::string("(name not logged)") : name,
                           baseline::printable(workflow, 64), repo.empty() ? std::string("an unnamed repository") : repo,
                           trigger)));
    alert.remediation = fmt::format(
        "Check the run's log for secrets printed or sent out, and confirm with the repository owners that this "
        "automation may dispatch the workflow. If not, revoke the token or suspend the App installation: {}",
        containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, workflow_key);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(GithubWorkflowDispatchByToken);

}  // namespace
}  // namespace keyward::detect
