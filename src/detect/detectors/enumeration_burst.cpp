// aws.discovery.enumeration_burst: one identity calls many different read-only List*, Describe*
// and Get* APIs in a short window. Workloads call the same handful of APIs over and over, while
// a stolen key being explored (by hand or by tools that try every API) touches many different ones.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/burst_window.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.discovery.enumeration_burst";
constexpr std::string_view kTitle = "Burst of distinct discovery calls by one identity";
// Services and deployment tools usually stay well under ten distinct read APIs in ten minutes;
// twenty distinct ones across services is the shape of reconnaissance.
constexpr size_t kDistinctActionThreshold = 20;

bool is_discovery_call(std::string_view name) {
  for (std::string_view prefix : {"List", "Describe", "Get", "BatchGet"}) {
    if (name.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

class EnumerationBurst final : public Detector {
 public:
  explicit EnumerationBurst(size_t threshold = kDistinctActionThreshold) : threshold_(threshold) {}

  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "One identity calls many different read-only List, Describe and Get APIs in a short window, as tools that explore a stolen key do.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!is_discovery_call(event.event_name)) return;
    // Consoles fire many reads per page, and AWS services scan on their own behalf.
    if (aws::is_human_session(event) || aws::is_aws_service_caller(event)) return;
    std::string action = fmt::format("{}:{}", event.event_source, event.event_name);
    auto describe = [&] {
      return fmt::format("{} called {} from {}{}", event.identity_id, aws::short_action(event), event.source_ip,
                         event.error_code.empty() ? "" : fmt::format(" (failed: {})", event.error_code));
    };
    window_for(ctx).add(event, {std::move(action)}, describe, closed_);
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
      core::Alert alert = aws::make_burst_alert(kId, kTitle, core::Severity::medium, 50, burst);
      std::string sample;
      for (const auto& key : burst.sample_keys) sample += (sample.empty() ? "" : ", ") + key;
      alert.evidence.insert(alert.evidence.begin(),
                            core::Evidence{fmt::format("{} distinct read-only APIs in {} calls between {} and {}: {}, ...",
                                                       burst.distinct_keys, burst.event_count,
                                                       core::format_time(burst.start), core::format_time(burst.end),
                                                       sample),
                                           {},
                                           burst.start});
      alert.remediation = fmt::format(
          "Confirm with the owner that this identity runs an inventory or scanning tool. If not, contain it: {}",
          aws::containment_command(burst.actor_event()));
      ctx.raise(std::move(alert));
    }
    closed_.clear();
  }

  size_t threshold_;
  std::optional<aws::BurstWindow> window_;
  std::vector<aws::Burst> closed_;
};

KEYWARD_REGISTER_DETECTOR(EnumerationBurst);

}  // namespace
}  // namespace keyward::detect
