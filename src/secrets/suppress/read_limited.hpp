#pragma once

// Reads a whole suppression file (ignore file or baseline) into memory, with a size limit.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace keyward::secrets {

// Returns the content of `path`, or an error naming the file when it cannot be opened or is
// larger than `limit` bytes. `what` names the file's role in the messages ("ignore file").
core::Result<std::string> read_limited(const std::string& path, std::size_t limit, std::string_view what);

}  // namespace keyward::secrets
