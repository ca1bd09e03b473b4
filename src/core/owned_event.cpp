#include "core/owned_event.hpp"

#include <array>
#include <cstring>
#include <string_view>

namespace keyward::core {
namespace {

// Every string_view member of Event. A view member added to Event must be listed here, or an
// OwnedEvent would keep pointing into the source's parse buffer.
constexpr std::array<std::string_view Event::*, 24> kViewMembers = {
    &Event::platform,       &Event::event_id,          &Event::event_source,       &Event::event_name,
    &Event::event_type,     &Event::region,            &Event::source_ip,          &Event::user_agent,
    &Event::error_code,     &Event::error_message,     &Event::identity_type,      &Event::principal_arn,
    &Event::principal_id,   &Event::user_name,         &Event::access_key_id,      &Event::credential_id,
    &Event::account_id,     &Event::scopes,            &Event::invoked_by,         &Event::request_parameters,
    &Event::response_elements, &Event::additional_event_data, &Event::raw_record, &Event::file,
};

}  // namespace

OwnedEvent::OwnedEvent(const Event& source) : event_(source) {
  for (auto member : kViewMembers) storage_bytes_ += (source.*member).size();
  if (storage_bytes_ == 0) return;
  storage_ = std::make_unique<char[]>(storage_bytes_);
  char* cursor = storage_.get();
  for (auto member : kViewMembers) {
    const std::string_view text = source.*member;
    if (text.empty()) {
      event_.*member = {};
      continue;
    }
    std::memcpy(cursor, text.data(), text.size());
    event_.*member = std::string_view(cursor, text.size());
    cursor += text.size();
  }
}

}  // namespace keyward::core
