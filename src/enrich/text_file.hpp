#pragma once

// Whole-file reads and line iteration for the enrichment data files (CSV tables, address lists).

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace keyward::enrich {

// Reads the whole file. Fails with io_error when it cannot be read, and with limit_exceeded when
// it is larger than `max_bytes`.
core::Result<std::string> read_text_file(const std::string& path, std::size_t max_bytes);

// Calls `visit(line, line_number)` for each line without its "\n" or "\r\n" ending. Line numbers
// start at 1. A last line without a newline is visited too.
void for_each_line(std::string_view text, const std::function<void(std::string_view, long long)>& visit);

// Removes leading and trailing spaces and tabs.
std::string_view trim(std::string_view text);

}  // namespace keyward::enrich
