// github.token.mass_clone: one token or actor clones, fetches or downloads archives of many
// distinct repositories within an hour. Exfiltration with a stolen token looks like this: a
// script walks the organization's repository list and copies each one. The first such hour of
// an entity is high; later ones are medium, because backup and mirroring jobs do it routinely.

#include <fmt/format.h>

#include <array>
#include <unordered_map>
#include <unordered_set>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "github.token.mass_clone";
constexpr std::string_view kTitle = "GitHub token cloned or downloaded many repositories";
const std::string kDimension = "github_mass_clone";
constexpr core::UnixTime kWindowSeconds = 3600;
// NOTE: a fixed threshold, not yet relative to the entity's usual hourly count; an estimate of
// what no developer reaches by hand.
constexpr size_t kDistinctRepositories = 25;
constexpr size_t kMaxEntities = 20000;
constexpr size_t kMaxSampleRepositories = 10;

constexpr std::array<std::string_view, 5> kCopyActions = {
    "git.clone", "git.fetch", "repo.download_zip", "repo.download_tarball", "repo.download_archive",
};

bool is_copy_action(std::string_view action) {
  for (std::string_view known : kCopyActions) {
    if (action == known) return true;
  }
  return false;
}

class GithubTokenMassClone final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "One token clones, fetches or downloads archives of 25 or more distinct repositories within an hour, "
           "the shape of repository exfiltration with a stolen token.";
  }
  std::vector<std::string_view> platforms() const override { return {"github"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!is_copy_action(event.event_name) || is_human_actor(event) || !event.error_code.empty()) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;
    const nlohmann::json record = aws::parse_json(event.raw_record);
    std::string repo = aws::string_field(record, "repo");
    if (repo.empty()) repo = aws::string_field(record, "repository");
    if (repo.empty()) return;

    if (windows_.size() >= kMaxEntities && windows_.find(entity) == windows_.end()) windows_.clear();
    Window& window = windows_[entity];
    if (window.repositories.empty() || event.time >= window.start + kWindowSeconds || event.time < window.start) {
      window = Window{};
      window.start = event.time;
    }
    if (window.raised || !window.repositories.insert(repo).second) return;
    if (window.sample.size() < kMaxSampleRepositories) window.sample.push_back(baseline::printable(repo, 200));
    if (window.repositories.size() < kDistinctRepositories) return;
    window.raised = true;

    const auto earlier = ctx.observe(entity, kDimension, "burst", event.time);
    std::string description = fmt::format(
        "{} cloned, fetched or downloaded {} distinct repositories between {} and {}, when the alert was raised "
        "({}, ...)",
        baseline::describe_entity(event), window.repositories.size(), core::format_time(window.start),
        core::format_time(event.time), baseline::join_values(window.sample, kMaxSampleRepositories));
    description += earlier ? fmt::format("; it did so before, first on {}", core::format_date(earlier->first_seen))
                           : std::string("; the first such hour recorded for it");
    core::Alert alert = make_alert(kId, kTitle, earlier ? core::Severity::medium : core::Severity::high,
                                   earlier ? 50 : 75, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Confirm with the token's owner that a backup or migration job ran. If not, revoke the token and review "
        "what the copied repositories contain (secrets in code, history): {}",
        containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, core::format_time(window.start));
    ctx.raise(std::move(alert));
  }

 private:
  struct Window {
    core::UnixTime start = 0;
    std::unordered_set<std::string> repositories;  // at most kDistinctRepositories
    std::vector<std::string> sample;
    bool raised = false;
  };
  std::unordered_map<std::string, Window> windows_;
};

KEYWARD_REGISTER_DETECTOR(GithubTokenMassClone);

}  // namespace
}  // namespace keyward::detect
