#include "sources/snowflake/rows.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "sources/common/csv.hpp"
#include "sources/common/json_records.hpp"

namespace keyward::sources::snowflake {
namespace {

constexpr size_t kMaxColumns = 1000;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool starts_as_json(std::string_view data) {
  const size_t first = data.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string_view::npos && (data[first] == '{' || data[first] == '[');
}

std::string value_text(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      return std::string(value.get_string().value_unsafe());
    case simdjson::dom::element_type::BOOL:
      return value.get_bool().value_unsafe() ? "true" : "false";
    case simdjson::dom::element_type::INT64:
      return std::to_string(value.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64:
      return std::to_string(value.get_uint64().value_unsafe());
    case simdjson::dom::element_type::DOUBLE:
      return simdjson::minify(value);
    case simdjson::dom::element_type::NULL_VALUE:
      return {};
    default:
      return simdjson::minify(value);
  }
}

core::Status read_csv(const Input& input, ParseContext& ctx, std::string_view record_name, const RowHandler& handler) {
  CsvReader reader(input.data);
  std::vector<std::string> header;
  if (!reader.next(header) || header.empty()) {
    return core::make_error(core::ErrorCode::invalid_input, "the CSV input is empty; expected a header row of column names");
  }
  if (header.size() > kMaxColumns) header.resize(kMaxColumns);
  for (std::string& name : header) name = lower(name);
  std::vector<std::string> fields;
  while (reader.next(fields)) {
    if (!reader.error().empty()) {
      ctx.errors.push_back(RecordError{input.path, reader.offset(), reader.line(), reader.error() + "; row skipped"});
      continue;
    }
    if (fields.size() != header.size()) {
      ctx.errors.push_back(RecordError{input.path, reader.offset(), reader.line(),
                                       std::string(record_name) + " row has " + std::to_string(fields.size()) +
                                           " fields but the header has " + std::to_string(header.size()) +
                                           (fields.size() < header.size()
                                                ? "; the missing fields are read as empty"
                                                : "; the fields past the last column are ignored. Quote values "
                                                  "that contain commas")});
    }
    // for_each_json_record counts JSON records; CSV rows are counted here.
    ++ctx.records;
    Row row;
    for (size_t i = 0; i < header.size(); ++i) {
      std::string value = i < fields.size() ? std::move(fields[i]) : std::string();
      // snowsql prints SQL NULL as the text NULL in CSV output.
      if (value == "NULL") value.clear();
      row.add(header[i], std::move(value));
    }
    handler(row, RowPosition{reader.offset(), reader.line()});
  }
  return {};
}

}  // namespace

void Row::add(std::string_view name, std::string value) {
  if (columns_.size() >= kMaxColumns) return;
  columns_.emplace_back(lower(name), std::move(value));
}

std::string_view Row::get(std::string_view name) const {
  for (const auto& [column, value] : columns_) {
    if (column == name) return value;
  }
  return {};
}

bool Row::has(std::string_view name) const {
  return std::any_of(columns_.begin(), columns_.end(), [&](const auto& column) { return column.first == name; });
}

std::optional<bool> Row::flag(std::string_view name) const {
  const std::string value = lower(get(name));
  if (value == "true" || value == "y" || value == "yes" || value == "1") return true;
  if (value == "false" || value == "n" || value == "no" || value == "0") return false;
  return std::nullopt;
}

core::Status for_each_row(const Input& input, ParseContext& ctx, std::string_view record_name, const RowHandler& handler) {
  if (!starts_as_json(input.data)) return read_csv(input, ctx, record_name, handler);
  JsonRecordOptions options;
  // snowsql wraps nothing, but some tools write {"rows": [...]} or {"data": [...]}.
  options.envelope_keys = {"rows"};
  options.record_name = record_name;
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    simdjson::dom::object object;
    if (record.get(object) != simdjson::SUCCESS) return;
    Row row;
    for (auto field : object) row.add(field.key, value_text(field.value));
    handler(row, RowPosition{position.offset, position.line});
  });
}

std::vector<std::string> column_names_of(std::string_view head) {
  std::vector<std::string> names;
  if (!starts_as_json(head)) {
    for (const std::string& name : csv_header_of(head)) names.push_back(lower(name));
    return names;
  }
  // Keys of the first object: every quoted string followed by ':' up to the first '}'.
  const size_t end = std::min(head.find('}'), head.size());
  size_t position = 0;
  while (position < end && names.size() < kMaxColumns) {
    const size_t open = head.find('"', position);
    if (open == std::string_view::npos || open >= end) break;
    const size_t close = head.find('"', open + 1);
    if (close == std::string_view::npos || close >= end) break;
    const size_t next = head.find_first_not_of(" \t\r\n", close + 1);
    if (next != std::string_view::npos && head[next] == ':') names.push_back(lower(head.substr(open + 1, close - open - 1)));
    position = close + 1;
  }
  return names;
}

std::optional<core::UnixTime> parse_snowflake_time(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.empty() || text.size() > 64) return std::nullopt;
  if (auto time = core::parse_time(text)) return time;
  // "2023-03-03 03:03:03.000 Z", as ACCOUNT_USAGE exports can write UTC.
  if (text.size() > 2 && text.substr(text.size() - 2) == " Z") {
    return core::parse_time(std::string(text.substr(0, text.size() - 2)) + "Z");
  }
  // "2024-10-08 14:38:46.061 -0700": drop the space and put a colon in the offset.
  if (text.size() > 6 && text[text.size() - 6] == ' ' && (text[text.size() - 5] == '+' || text[text.size() - 5] == '-')) {
    std::string iso(text.substr(0, text.size() - 6));
    iso += text.substr(text.size() - 5, 3);
    iso += ':';
    iso += text.substr(text.size() - 2);
    if (auto time = core::parse_time(iso)) return time;
  }
  if (text.find('-') != std::string_view::npos) return core::parse_time(std::string(text) + "Z");
  // Epoch seconds, as the Python connector's JSON output can write them.
  const std::string_view whole = text.substr(0, text.find('.'));
  long long seconds = 0;
  const auto [end, error] = std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
  if (error != std::errc() || end != whole.data() + whole.size()) return std::nullopt;
  return static_cast<core::UnixTime>(seconds);
}

}  // namespace keyward::sources::snowflake
