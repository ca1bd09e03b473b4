#pragma once

#include <string_view>
#include <vector>

namespace keyward::store {

// One schema migration: its file name (which starts with its number) and its SQL.
struct Migration {
  std::string_view name;
  std::string_view sql;
};

// Returns every migration under src/store/migrations/, sorted by file name.
const std::vector<Migration>& migrations();

}  // namespace keyward::store
