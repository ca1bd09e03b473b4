#pragma once

// Low-level pieces of the IAM credential report format: CSV record splitting, the strict base64
// decoding of `aws iam get-credential-report` output, and the report's special cell values.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace keyward::sources::aws {

// Splits one CSV record (RFC 4180: fields may be double-quoted, and "" inside quotes is a quote).
// The record must not contain its line terminator. Returns nullopt when a quote is unbalanced.
std::optional<std::vector<std::string>> split_csv_record(std::string_view record);

// Decodes standard base64 (RFC 4648, "=" padding required when the length is not a multiple
// of 4). Line breaks are skipped; any other character outside the alphabet is an error.
core::Result<std::string> decode_base64(std::string_view text);

// A timestamp cell. The report writes "N/A" when the event never happened (or the column does
// not apply), "no_information" for password use before October 2014, when IAM began tracking it,
// and "not_supported" for root fields that IAM does not manage.
struct ReportTime {
  std::optional<core::UnixTime> time;
  std::string marker;  // "N/A", "no_information" or "not_supported" when time is empty

  bool is_time() const { return time.has_value(); }
};

// Parses a timestamp cell. An empty cell reads as "N/A". Returns an error naming the value for
// anything that is neither a marker nor an ISO 8601 timestamp.
core::Result<ReportTime> parse_report_time(std::string_view cell);

// A boolean cell: "true"/"false" in any letter case, or "not_supported" (root's password_enabled).
struct ReportFlag {
  std::optional<bool> value;
  std::string marker;  // "not_supported" or "N/A" when value is empty
};

core::Result<ReportFlag> parse_report_flag(std::string_view cell);

}  // namespace keyward::sources::aws
