// aws.api.access_denied_burst: one identity is denied many times in a short window. A workload
// whose permissions match its job is rarely denied. Someone probing what a stolen credential can
// do is denied again and again (Stratus: aws.credential-access.ec2-get-password-data,
// aws.discovery.ec2-download-user-data).

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/burst_window.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.api.access_denied_burst";
constexpr std::string_view kTitle = "Burst of access-denied errors for one identity";
// A misconfigured workload retries one denied call a few times. Ten denials inside the burst
// window mean persistent probing or a badly broken deployment, and both need a look.
constexpr size_t kDeniedThreshold = 10;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The error codes AWS services use for a denied authorization: AccessDenied (IAM, STS, S3),
// AccessDeniedException (JSON APIs), Client.UnauthorizedOperation (EC2), *UnauthorizedException
// and AuthorizationError (SNS).
bool is_access_denied(std::string_view code) {
  return code == "AccessDenied" || code == "AccessDeniedException" || ends_with(code, "UnauthorizedOperation") ||
         ends_with(code, "UnauthorizedException") || code == "AuthorizationError";
}

class AccessDeniedBurst final : public Detector {
 public:
  explicit AccessDeniedBurst(size_t threshold = kDeniedThreshold) : threshold_(threshold) {}

  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "One identity is denied many times in a short window: someone probing what a stolen credential can do.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!is_access_denied(event.error_code)) return;
    if (aws::is_human_session(event) || event.identity_type == "AWSService") return;
    // Each denied call counts once, even when a record is delivered twice.
    std::string key = event.event_id.empty() ? fmt::format("{}@{}", event.file, event.offset) : std::string(event.event_id);
    auto describe = [&] {
      return fmt::format("{} was denied {} ({}) from {}", event.identity_id, aws::short_action(event),
                         event.error_code, event.source_ip);
    };
    window_for(ctx).add(event, {std::move(key)}, describe, closed_);
    raise_closed(ctx);
  }

  void finish(DetectContext& ctx) override {
    if (window_) window_->drain(closed_);
    raise_closed(ctx);
  }

 private:
  aws::BurstWindow& window_for(DetectContext& ctx) {
    if (!window_) window_.emplace(ctx.options().burst_window_seconds, threshold_);
    return *window_;
  }

  void raise_closed(DetectContext& ctx) {
    for (const auto& burst : closed_) {
      core::Alert alert = aws::make_burst_alert(kId, kTitle, core::Severity::medium, 55, burst);
      alert.evidence.insert(alert.evidence.begin(),
                            core::Evidence{fmt::format("{} denied calls between {} and {}", burst.event_count,
                                                       core::format_time(burst.start), core::format_time(burst.end)),
                                           {},
                                           burst.start});
      alert.remediation = fmt::format(
          "Check with the owner whether the identity's job changed. If nobody expects these calls, contain it: {}",
          aws::containment_command(burst.actor_event()));
      ctx.raise(std::move(alert));
    }
    closed_.clear();
  }

  size_t threshold_;
  std::optional<aws::BurstWindow> window_;
  std::vector<aws::Burst> closed_;
};

KEYWARD_REGISTER_DETECTOR(AccessDeniedBurst);

}  // namespace
}  // namespace keyward::detect
