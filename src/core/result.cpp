#include "core/result.hpp"

#include <fmt/format.h>

namespace keyward::core {

std::string Error::describe() const {
  if (file.empty()) return message;
  if (line >= 0) return fmt::format("{}:{}: {}", file, line, message);
  if (offset >= 0) return fmt::format("{} (byte {}): {}", file, offset, message);
  return fmt::format("{}: {}", file, message);
}

}  // namespace keyward::core
