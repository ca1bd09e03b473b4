#pragma once

// An Event that owns copies of its strings, for code that keeps events after the source's
// EventSink::on_event call returns (its string views point into a parse buffer that is reused).

#include <cstddef>
#include <memory>

#include "core/event.hpp"

namespace keyward::core {

class OwnedEvent {
 public:
  // Copies every string the event views into one allocation owned by this object.
  explicit OwnedEvent(const Event& source);

  OwnedEvent(OwnedEvent&&) noexcept = default;
  OwnedEvent& operator=(OwnedEvent&&) noexcept = default;
  OwnedEvent(const OwnedEvent&) = delete;
  OwnedEvent& operator=(const OwnedEvent&) = delete;

  Event& event() { return event_; }
  const Event& event() const { return event_; }

  // Bytes held: the copied strings plus the owned strings of the event.
  size_t memory_bytes() const { return storage_bytes_ + sizeof(Event) + event_.identity_id.capacity(); }

 private:
  Event event_;
  // A heap array rather than a std::string, so moving the object keeps the views valid.
  std::unique_ptr<char[]> storage_;
  size_t storage_bytes_ = 0;
};

}  // namespace keyward::core
