#pragma once

// Reads the `detection:` section of keyward.yaml into DetectOptions. docs/tuning.md ("Detection")
// describes the keys.

#include <optional>
#include <string_view>

#include "config/config.hpp"
#include "core/result.hpp"
#include "detect/detector.hpp"

namespace keyward::detect {

// Returns the built-in defaults overridden by the configuration's `detection:` section. Errors
// name the file, line and key: an unknown key, a value of the wrong type or out of range, an
// invalid CIDR, or a detector id that no registered detector has.
core::Result<DetectOptions> read_detection_config(const config::Config& config);

// Parses "10.0.0.0/8" or "2001:db8::/32" (a bare address means a single host). Host bits set
// below the prefix are rejected, so a typo such as "10.1.2.3/8" does not silently widen a range.
std::optional<DeclaredNetwork> parse_network(std::string_view cidr, std::string_view label);

}  // namespace keyward::detect
