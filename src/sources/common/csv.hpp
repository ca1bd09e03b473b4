#pragma once

// An RFC 4180 CSV reader for exports such as `gam print tokens`, SOQL query results and
// Snowflake history exports. Quoted fields may contain commas, doubled quotes and line breaks.
// Records end with LF or CRLF, and a leading UTF-8 byte order mark is skipped.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace keyward::sources {

class CsvReader {
 public:
  explicit CsvReader(std::string_view data, size_t max_record_bytes = 1024 * 1024);

  // Reads the next record into `fields`. Returns false at the end of the input. Blank lines are
  // skipped. A record with an unbalanced quote or longer than the limit sets error() and is
  // returned empty. Reading then resumes on the line after the one where that record began.
  bool next(std::vector<std::string>& fields);

  long long line() const { return line_; }      // 1-based line where the last record began
  long long offset() const { return offset_; }  // byte offset where the last record began
  const std::string& error() const { return error_; }

 private:
  std::string_view data_;
  size_t max_record_bytes_;
  size_t position_ = 0;
  long long next_line_ = 1;
  long long line_ = 0;
  long long offset_ = -1;
  std::string error_;
};

// Column positions of a header record, looked up by name (exact match first, then ignoring
// letter case, so "LastUsedDate" and "lastuseddate" both work).
class CsvHeader {
 public:
  CsvHeader() = default;
  explicit CsvHeader(const std::vector<std::string>& names);

  std::optional<size_t> find(std::string_view name) const;
  bool has(std::string_view name) const { return find(name).has_value(); }
  // The field of `record` under column `name`, or "" when the column or the field is missing.
  std::string_view get(const std::vector<std::string>& record, std::string_view name) const;

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, size_t> exact_;
  std::unordered_map<std::string, size_t> folded_;
};

// Returns the first record (the header line) of `head`, split into fields, for detection.
std::vector<std::string> csv_header_of(std::string_view head);

}  // namespace keyward::sources
