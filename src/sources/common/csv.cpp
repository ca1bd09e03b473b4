#include "sources/common/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace keyward::sources {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string fold_case(std::string_view text) {
  std::string folded(text);
  std::transform(folded.begin(), folded.end(), folded.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return folded;
}

}  // namespace

CsvReader::CsvReader(std::string_view data, size_t max_record_bytes) : data_(data), max_record_bytes_(max_record_bytes) {
  if (data_.substr(0, kUtf8Bom.size()) == kUtf8Bom) position_ = kUtf8Bom.size();
}

bool CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  error_.clear();
  // Skip blank lines between records.
  while (position_ < data_.size() && (data_[position_] == '\n' || data_[position_] == '\r')) {
    if (data_[position_] == '\n') ++next_line_;
    ++position_;
  }
  if (position_ >= data_.size()) return false;

  offset_ = static_cast<long long>(position_);
  line_ = next_line_;
  const size_t record_begin = position_;
  std::string field;
  bool quoted = false;
  bool field_started_quoted = false;
  size_t i = position_;
  for (; i < data_.size(); ++i) {
    const char c = data_[i];
    if (i - record_begin > max_record_bytes_) {
      error_ = fmt::format("record is longer than {} bytes; it was skipped", max_record_bytes_);
      break;
    }
    if (quoted) {
      if (c == '"') {
        if (i + 1 < data_.size() && data_[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++next_line_;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && field.empty() && !field_started_quoted) {
      quoted = true;
      field_started_quoted = true;
      continue;
    }
    if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      field_started_quoted = false;
      continue;
    }
    if (c == '\n' || c == '\r') {
      fields.push_back(std::move(field));
      position_ = i + 1;
      if (c == '\r' && position_ < data_.size() && data_[position_] == '\n') ++position_;
      ++next_line_;
      return true;
    }
    field.push_back(c);
  }
  if (quoted && error_.empty()) error_ = "a quoted field is not closed (unbalanced '\"'); the record was skipped";
  if (!error_.empty()) {
    // Resume on the line after the one where the bad record began.
    fields.clear();
    const size_t line_end = data_.find('\n', record_begin);
    position_ = line_end == std::string_view::npos ? data_.size() : line_end + 1;
    next_line_ = line_ + 1;
    return true;
  }
  fields.push_back(std::move(field));
  position_ = data_.size();
  return true;
}

CsvHeader::CsvHeader(const std::vector<std::string>& names) : names_(names) {
  for (size_t i = 0; i < names_.size(); ++i) {
    std::string name = names_[i];
    // Trim spaces some exporters put after the comma.
    while (!name.empty() && name.front() == ' ') name.erase(name.begin());
    while (!name.empty() && name.back() == ' ') name.pop_back();
    exact_.emplace(name, i);
    folded_.emplace(fold_case(name), i);
  }
}

std::optional<size_t> CsvHeader::find(std::string_view name) const {
  if (auto it = exact_.find(std::string(name)); it != exact_.end()) return it->second;
  if (auto it = folded_.find(fold_case(name)); it != folded_.end()) return it->second;
  return std::nullopt;
}

std::string_view CsvHeader::get(const std::vector<std::string>& record, std::string_view name) const {
  const auto index = find(name);
  if (!index || *index >= record.size()) return {};
  return record[*index];
}

std::vector<std::string> csv_header_of(std::string_view head) {
  CsvReader reader(head);
  std::vector<std::string> fields;
  if (!reader.next(fields) || !reader.error().empty()) return {};
  return fields;
}

}  // namespace keyward::sources
