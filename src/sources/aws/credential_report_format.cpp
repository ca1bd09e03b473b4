#include "sources/aws/credential_report_format.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace keyward::sources::aws {
namespace {

constexpr int kInvalidSextet = -1;
constexpr int kPadding = -2;

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  if (c == '=') return kPadding;
  return kInvalidSextet;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::vector<std::string>> split_csv_record(std::string_view record) {
  std::vector<std::string> fields;
  std::string field;
  bool in_quotes = false;
  for (size_t i = 0; i < record.size(); ++i) {
    const char c = record[i];
    if (in_quotes) {
      if (c != '"') {
        field.push_back(c);
      } else if (i + 1 < record.size() && record[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else {
        in_quotes = false;
      }
    } else if (c == '"') {
      in_quotes = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  if (in_quotes) return std::nullopt;
  fields.push_back(std::move(field));
  return fields;
}

core::Result<std::string> decode_base64(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::array<int, 4> quad{};
  size_t quad_size = 0;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || c == '\r') continue;
    const int value = base64_value(c);
    if (value == kInvalidSextet) {
      return core::make_error(core::ErrorCode::invalid_input,
                              fmt::format("invalid base64 character at offset {}", i));
    }
    if (padding > 0 && value != kPadding) {
      return core::make_error(core::ErrorCode::invalid_input,
                              fmt::format("base64 data continues after '=' padding at offset {}", i));
    }
    if (value == kPadding) {
      // Padding may fill only the last one or two positions of a group.
      if (quad_size < 2) {
        return core::make_error(core::ErrorCode::invalid_input,
                                fmt::format("misplaced base64 '=' padding at offset {}", i));
      }
      ++padding;
    }
    quad[quad_size++] = value;
    if (quad_size < 4) continue;

    const int bits = (quad[0] << 18) | (quad[1] << 12) | ((padding >= 2 ? 0 : quad[2]) << 6) |
                     (padding >= 1 ? 0 : quad[3]);
    out.push_back(static_cast<char>((bits >> 16) & 0xFF));
    if (padding < 2) out.push_back(static_cast<char>((bits >> 8) & 0xFF));
    if (padding < 1) out.push_back(static_cast<char>(bits & 0xFF));
    quad_size = 0;
  }
  if (quad_size != 0) {
    return core::make_error(core::ErrorCode::invalid_input,
                            "base64 data is truncated: its length is not a multiple of 4");
  }
  return out;
}

core::Result<ReportTime> parse_report_time(std::string_view cell) {
  if (cell.empty() || cell == "N/A") return ReportTime{std::nullopt, "N/A"};
  if (cell == "no_information" || cell == "not_supported") return ReportTime{std::nullopt, std::string(cell)};
  if (auto time = core::parse_time(cell)) return ReportTime{time, {}};
  return core::make_error(core::ErrorCode::invalid_input,
                          fmt::format("'{}' is not an ISO 8601 time, N/A, no_information or not_supported",
                                      cell.substr(0, 64)));
}

core::Result<ReportFlag> parse_report_flag(std::string_view cell) {
  if (equals_ignoring_case(cell, "true")) return ReportFlag{true, {}};
  if (equals_ignoring_case(cell, "false")) return ReportFlag{false, {}};
  if (cell == "not_supported") return ReportFlag{std::nullopt, "not_supported"};
  if (cell.empty() || cell == "N/A") return ReportFlag{std::nullopt, "N/A"};
  return core::make_error(core::ErrorCode::invalid_input,
                          fmt::format("'{}' is not true, false or not_supported", cell.substr(0, 64)));
}

}  // namespace keyward::sources::aws
