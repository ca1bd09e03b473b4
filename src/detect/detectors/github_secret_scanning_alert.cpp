// github.secret.leaked_in_repository: GitHub secret scanning found a credential committed to a
// repository (secret_scanning_alert.create). A token or key in code is readable by everyone with
// read access to the repository, and to the world if it is public, so it must be treated as
// stolen: revoked and replaced, not only removed from the code.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "github.secret.leaked_in_repository";
constexpr std::string_view kTitle = "Credential leaked in a GitHub repository";

class GithubSecretScanningAlert final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "GitHub secret scanning found a credential committed to a repository; it must be revoked and "
           "replaced, because anyone who can read the repository may have copied it.";
  }
  std::vector<std::string_view> platforms() const override { return {"github"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_name != "secret_scanning_alert.create") return;
    const nlohmann::json record = aws::parse_json(event.raw_record);
    const std::string repo = baseline::printable(aws::string_field(record, "repo"), 200);
    std::string number;
    if (record.is_object() && record.contains("number") && record["number"].is_number_integer()) {
      number = std::to_string(record["number"].get<long long>());
    }
    const bool public_repo = record.is_object() && record.contains("repository_public") &&
                             record["repository_public"].is_boolean() && record["repository_public"].get<bool>();

    core::Alert alert = make_alert(kId, kTitle, core::Severity::high, public_repo ? 85 : 70, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("secret scanning alert {} opened on {}{}", number.empty() ? std::string("(number not logged)") : "#" + number,
                           repo.empty() ? std::string("an unnamed repository") : repo,
                           public_repo ? ", a public repository" : "")));
    const std::string alert_url = repo.empty() || number.empty()
                                      ? std::string("the repository's Security > Secret scanning page")
                                      : fmt::format("gh api /repos/{}/secret-scanning/alerts/{}", aws::shell_word(repo), number);
    alert.remediation = fmt::format(
        "Read the alert ({}) to learn which credential leaked, revoke it at its issuer and replace it, then close "
        "the alert as revoked. Check the credential's recent use from unknown networks before closing.",
        alert_url);
    alert.dedupe_key = repo.empty() || number.empty() ? event_dedupe_key(event) : fmt::format("{}#{}", repo, number);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(GithubSecretScanningAlert);

}  // namespace
}  // namespace keyward::detect
