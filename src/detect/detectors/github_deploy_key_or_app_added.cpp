// github.access.deploy_key_or_app_added: a deploy key or SSH key is added (public_key.create) or
// a GitHub App is installed (integration_installation.create). Both give a new machine credential
// lasting access to code: a deploy key with write access can push to the repository, an App
// installation acts with the permissions it asked for. Attackers add them to keep access after a
// token is revoked. A key the record marks read-only is left alone.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "github.access.deploy_key_or_app_added";
constexpr std::string_view kTitle = "GitHub deploy key or App installation added";

// True when the record marks the key read-only ("read_only": true or "true").
bool read_only_key(const nlohmann::json& record) {
  if (!record.is_object() || !record.contains("read_only")) return false;
  const nlohmann::json& value = record["read_only"];
  return (value.is_boolean() && value.get<bool>()) || (value.is_string() && value.get<std::string>() == "true");
}

class GithubDeployKeyOrAppAdded final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A deploy key or SSH key with write access is added, or a GitHub App is installed: a new machine "
           "credential with lasting access to code, which attackers add to keep access.";
  }
  std::vector<std::string_view> platforms() const override { return {"github"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    const bool key = event.event_name == "public_key.create";
    const bool app = event.event_name == "integration_installation.create";
    if (!key && !app) return;
    const nlohmann::json record = aws::parse_json(event.raw_record);
    if (key && read_only_key(record)) return;

    const std::string repo = baseline::printable(aws::string_field(record, "repo"), 200);
    const std::string integration = baseline::printable(aws::string_field(record, "integration"), 200);
    std::string added = key ? std::string("an SSH or deploy key") : fmt::format("GitHub App {}", integration.empty() ? "(name not logged)" : integration);
    if (!repo.empty()) added += fmt::format(" on {}", repo);
    // A token or app adding a credential is automation doing what admins normally do by hand.
    const bool by_machine = event.actor_kind == core::ActorKind::machine;
    std::string description = fmt::format("{} added {} ({})", baseline::describe_entity(event), added, event.event_name);
    if (!event.source_ip.empty()) description += fmt::format(" from {}", baseline::printable(event.source_ip, 64));
    if (by_machine) description += fmt::format("; the actor used a token ({})", baseline::printable(event.identity_type, 80));

    core::Alert alert = make_alert(kId, kTitle, by_machine ? core::Severity::high : core::Severity::medium,
                                   by_machine ? 70 : 50, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    const std::string remove =
        key ? (repo.empty() ? std::string("remove the key under the user's or repository's SSH and deploy keys")
                            : fmt::format("gh repo deploy-key list --repo {} and gh repo deploy-key delete KEY_ID --repo {}",
                                          aws::shell_word(repo), aws::shell_word(repo)))
            : std::string("uninstall the App under the organization's Settings > GitHub Apps");
    alert.remediation = fmt::format(
        "Confirm with the repository owners that the {} is expected and needs write access. If not, {}, then "
        "contain the actor: {}",
        key ? "key" : "App", remove, containment_command(event));
    alert.dedupe_key = event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(GithubDeployKeyOrAppAdded);

}  // namespace
}  // namespace keyward::detect
