#pragma once

// A detector that also reads the alerts other detectors raise, for detections built from
// several anomalies (risk accumulation). The engine calls on_alert for every alert it keeps,
// after deduplication, except the observer's own.

#include "core/event.hpp"
#include "core/model.hpp"
#include "detect/detector.hpp"

namespace keyward::detect {

class AlertObserver {
 public:
  virtual ~AlertObserver() = default;
  // `event` is the event being processed when the alert was raised, or nullptr for alerts
  // raised at the end of an input (Detector::finish). Alerts raised from here are passed to
  // other observers but not back to this one.
  virtual void on_alert(const core::Alert& alert, const core::Event* event, DetectContext& ctx) = 0;
};

}  // namespace keyward::detect
