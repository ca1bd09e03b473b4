#pragma once

// Puts the events of one input in chronological order before the detectors see them. Several
// platforms' APIs list events newest first (the GitHub audit log, the Google Workspace Reports
// API, Microsoft Graph sign-ins, Slack audit logs), and windowed detectors such as a clone burst
// or a learning period need time to run forwards.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/event.hpp"
#include "core/owned_event.hpp"

namespace keyward::ingest {

struct EventOrderLimits {
  // Events looked at before deciding whether the input runs newest first.
  size_t probe_events = 64;
  // Upper bound on what a newest-first input may hold in memory before it is passed on.
  size_t max_buffered_events = 2'000'000;
  size_t max_buffered_bytes = size_t{1} << 30;
};

// Wraps the sink of one input. Inputs whose first events run oldest first (or are mixed) pass
// through unchanged after the probe. Inputs whose first events run newest first are held until
// finish() and then passed on sorted by time, equal times in reverse file order.
class ChronologicalSink final : public core::EventSink {
 public:
  // `warn` receives one message when a newest-first input exceeds the limits.
  ChronologicalSink(core::EventSink& next, std::string input_path, EventOrderLimits limits = {},
                    std::function<void(const std::string&)> warn = {});

  void on_event(core::Event& event) override;

  // Passes on every held event. Call once after the source has parsed the whole input.
  void finish();

  // True when the input was found to run newest first.
  bool reversed() const { return mode_ == Mode::newest_first; }

 private:
  enum class Mode { probing, in_order, newest_first };

  void decide();
  void release_sorted();
  void release_in_file_order();

  core::EventSink& next_;
  std::string input_path_;
  EventOrderLimits limits_;
  std::function<void(const std::string&)> warn_;
  Mode mode_ = Mode::probing;
  std::vector<core::OwnedEvent> held_;
  size_t held_bytes_ = 0;
  size_t earlier_steps_ = 0;  // consecutive probe events whose time went backwards
  size_t later_steps_ = 0;    // ... or forwards
  bool warned_ = false;
};

}  // namespace keyward::ingest
