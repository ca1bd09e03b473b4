#pragma once

#include <string>
#include <vector>

namespace keyward::report {

// Formats one CSV record (RFC 4180): fields with commas, quotes or line breaks are quoted.
// A field that starts with = + - @ is prefixed with ' so spreadsheets do not run it as a formula.
std::string csv_row(const std::vector<std::string>& fields);

}  // namespace keyward::report
