// aws.iam.root_access_key_created: an access key is created for the account's root user. A root
// key is a long-lived credential that no policy can restrict, so whoever holds it owns the
// account; AWS advises never to have one. Creating one is either a serious mistake or an
// attacker making sure they keep the account.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.iam.root_access_key_created";
constexpr std::string_view kTitle = "Access key created for the root user";

class RootAccessKeyCreated final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "The root user creates an access key for itself: an unrestricted long-lived credential for the whole account.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "iam.amazonaws.com" || event.event_name != "CreateAccessKey") return;
    if (event.identity_type != "Root" || !event.error_code.empty()) return;
    const nlohmann::json request = aws::parse_json(event.request_parameters);
    // With userName the root user created a key for an IAM user, which other detectors cover.
    if (!aws::string_field(request, "userName").empty()) return;
    const nlohmann::json response = aws::parse_json(event.response_elements);
    std::string key_id;
    if (response.is_object() && response.contains("accessKey")) key_id = aws::string_field(response["accessKey"], "accessKeyId");

    core::Alert alert = aws::make_alert(kId, kTitle, core::Severity::critical, 95, event);
    alert.credential_id = key_id;
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("the root user of account {} created access key {} from {}", event.account_id,
                           key_id.empty() ? "(id not logged)" : baseline::printable(key_id, 32),
                           baseline::printable(event.source_ip, 64))));
    alert.remediation = fmt::format(
        "Unless the account's owners created it on purpose, delete the key at once with `aws iam delete-access-key "
        "--access-key-id {}` run under root credentials, then change the root password and MFA device.",
        key_id.empty() ? "KEY" : aws::shell_word(key_id));
    alert.dedupe_key = aws::event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(RootAccessKeyCreated);

}  // namespace
}  // namespace keyward::detect
