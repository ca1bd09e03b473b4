#include "ingest/event_order.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace keyward::ingest {

ChronologicalSink::ChronologicalSink(core::EventSink& next, std::string input_path, EventOrderLimits limits,
                                     std::function<void(const std::string&)> warn)
    : next_(next), input_path_(std::move(input_path)), limits_(limits), warn_(std::move(warn)) {}

void ChronologicalSink::on_event(core::Event& event) {
  if (mode_ == Mode::in_order) {
    next_.on_event(event);
    return;
  }

  if (mode_ == Mode::probing && !held_.empty()) {
    const core::UnixTime previous = held_.back().event().time;
    if (event.time < previous) ++earlier_steps_;
    if (event.time > previous) ++later_steps_;
  }
  held_.emplace_back(event);
  held_bytes_ += held_.back().memory_bytes();

  if (mode_ == Mode::probing) {
    if (held_.size() >= limits_.probe_events) decide();
    return;
  }

  if (held_.size() >= limits_.max_buffered_events || held_bytes_ >= limits_.max_buffered_bytes) {
    if (!warned_ && warn_) {
      warn_(fmt::format("warning: {}: lists events newest first and holds more than {} events or {} MiB; "
                        "detectors see it in chunks of that size, newest chunk first. Split the file by "
                        "time range, or sort it oldest first, for exact windows",
                        input_path_, limits_.max_buffered_events, limits_.max_buffered_bytes >> 20));
    }
    warned_ = true;
    // NOTE: chunks are sorted one by one, so windows spanning two chunks still see time run
    // backwards at the boundary.
    release_sorted();
  }
}

void ChronologicalSink::decide() {
  // More backward than forward steps: a newest-first listing. Ties and short probes with no
  // backward step keep file order, so an ordinary log passes through untouched.
  mode_ = earlier_steps_ > later_steps_ ? Mode::newest_first : Mode::in_order;
  if (mode_ == Mode::in_order) release_in_file_order();
}

void ChronologicalSink::finish() {
  if (mode_ == Mode::probing) decide();
  if (mode_ == Mode::newest_first) release_sorted();
}

void ChronologicalSink::release_sorted() {
  // Reversing first makes events with equal times come out in reverse file order, which is their
  // order of occurrence in a newest-first listing.
  std::reverse(held_.begin(), held_.end());
  std::stable_sort(held_.begin(), held_.end(),
                   [](const core::OwnedEvent& a, const core::OwnedEvent& b) { return a.event().time < b.event().time; });
  release_in_file_order();
}

void ChronologicalSink::release_in_file_order() {
  for (auto& owned : held_) next_.on_event(owned.event());
  held_.clear();
  held_.shrink_to_fit();
  held_bytes_ = 0;
}

}  // namespace keyward::ingest
