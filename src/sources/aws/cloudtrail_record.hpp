#pragma once

// Parses one framed CloudTrail record with simdjson On-Demand into a core::Event.

#include <simdjson.h>

#include <string>
#include <string_view>

#include "core/event.hpp"

namespace keyward::sources::aws {

// Reuses its simdjson parsers across records. Not thread-safe: one reader per thread.
class RecordReader {
 public:
  // Parses the record at [begin, end) of `data` into `event`. `data` must be followed by
  // simdjson::SIMDJSON_PADDING readable bytes. Returns "" on success, otherwise what is wrong
  // with the record and how to fix it. On success the event's string views point into `data`
  // or into this reader, and stay valid until the next call.
  std::string read(std::string_view data, size_t begin, size_t end, core::Event& event);

 private:
  // The record's own fields, kept until all of them are read.
  struct Pending {
    std::string_view event_time;
    std::string_view recipient_account_id;
    bool has_time = false;
  };

  simdjson::error_code read_field(std::string_view key, simdjson::ondemand::value value, core::Event& event,
                                  Pending& pending);
  simdjson::error_code read_user_identity(simdjson::ondemand::value value, core::Event& event);
  bool mfa_used_in(std::string_view additional_event_data, std::string_view data);

  simdjson::ondemand::parser parser_;
  simdjson::ondemand::parser nested_parser_;
  std::string_view issuer_type_;
  std::string_view issuer_arn_;
};

}  // namespace keyward::sources::aws
