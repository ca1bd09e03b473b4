// github.token.package_manager_client: a token's API call to GitHub carries the user agent of a
// package manager (npm, pnpm, Yarn, RubyGems, Bundler, Cargo, pip, Poetry, uv). Package managers
// run install scripts from the packages they fetch, and malicious packages use the developer's
// or CI's GitHub token from there to read repositories, create workflows or publish secrets
// (the 2025 Shai-Hulud npm worm did this). Git operations are left alone, because package
// managers clone git dependencies with the user's credentials.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "github.token.package_manager_client";
constexpr std::string_view kTitle = "GitHub token used by a package manager client";

// User-agent prefixes, compared without regard to case. Go-http-client is not listed: it is the
// default of every Go program, not a sign of a package install.
constexpr std::array<std::string_view, 9> kPackageManagers = {
    "npm/", "pnpm/", "yarn/", "rubygems/", "bundler/", "cargo/", "pip/", "poetry/", "uv/",
};

std::string_view package_manager_of(std::string_view user_agent) {
  for (std::string_view prefix : kPackageManagers) {
    if (user_agent.size() < prefix.size()) continue;
    const bool match = std::equal(prefix.begin(), prefix.end(), user_agent.begin(), [](char p, char u) {
      return p == std::tolower(static_cast<unsigned char>(u));
    });
    if (match) return prefix.substr(0, prefix.size() - 1);
  }
  return {};
}

class GithubTokenPackageManagerClient final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A token's GitHub API call carries a package manager's user agent (npm, RubyGems, Cargo, pip, ...): "
           "the mark of an install script using a stolen token.";
  }
  std::vector<std::string_view> platforms() const override { return {"github"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.actor_kind != core::ActorKind::machine || event.event_name.starts_with("git.")) return;
    const std::string_view manager = package_manager_of(event.user_agent);
    if (manager.empty()) return;

    core::Alert alert = make_alert(kId, kTitle, core::Severity::high, 75, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} called {} with user agent \"{}\" ({}) from {}", baseline::describe_entity(event),
                           action_of(event), baseline::printable(event.user_agent, 120), manager,
                           event.source_ip.empty() ? std::string("an unlogged address") : baseline::printable(event.source_ip, 64))));
    alert.remediation = fmt::format(
        "Find the machine that ran the {} install at that time and the package whose install script made the call. "
        "Revoke the token at once and check the actor's repositories for new workflows, branches and webhooks: {}",
        manager, containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}|{}", baseline::entity_of(event), manager, aws::day_of(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(GithubTokenPackageManagerClient);

}  // namespace
}  // namespace keyward::detect
