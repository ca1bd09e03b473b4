#pragma once

// Times are whole seconds since the Unix epoch, UTC. Sub-second precision is dropped on parse
// because no source needs it for posture or detection.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keyward::core {

using UnixTime = std::int64_t;

inline constexpr UnixTime kSecondsPerDay = 86400;

// Parses an ISO 8601 / RFC 3339 timestamp: "2024-07-30T21:53:13Z", "+00:00" or "-05:00" offsets,
// fractional seconds, a space instead of "T", or a bare date ("2024-07-30", read as midnight UTC).
// Returns nullopt for anything else, including out-of-range fields.
std::optional<UnixTime> parse_time(std::string_view text);

// Formats as RFC 3339 UTC: "2024-07-30T21:53:13Z".
std::string format_time(UnixTime time);

// Formats the date part only: "2024-07-30".
std::string format_date(UnixTime time);

// Returns the current time.
UnixTime now();

// Returns the start of the UTC day that contains `time`.
inline UnixTime day_start(UnixTime time) {
  UnixTime day = time / kSecondsPerDay;
  if (time < 0 && time % kSecondsPerDay != 0) --day;
  return day * kSecondsPerDay;
}

}  // namespace keyward::core
