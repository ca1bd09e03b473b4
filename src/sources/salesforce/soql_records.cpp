#include "sources/salesforce/soql_records.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace keyward::sources::salesforce {
namespace {

constexpr size_t kMaxPathParts = 8;

std::string element_text(simdjson::dom::element value) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      return std::string(value.get_string().value_unsafe());
    case simdjson::dom::element_type::BOOL:
      return value.get_bool().value_unsafe() ? "true" : "false";
    case simdjson::dom::element_type::INT64:
      return std::to_string(value.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64:
      return std::to_string(value.get_uint64().value_unsafe());
    case simdjson::dom::element_type::DOUBLE: {
      const double number = value.get_double().value_unsafe();
      // UseCount and similar integer fields may arrive as 12.0 from some clients.
      if (number >= -9e15 && number <= 9e15 && number == static_cast<double>(static_cast<long long>(number))) {
        return std::to_string(static_cast<long long>(number));
      }
      return fmt::format("{}", number);
    }
    default:
      return {};
  }
}

std::string_view first_char_view(std::string_view data) {
  size_t begin = 0;
  if (data.substr(0, 3) == "\xEF\xBB\xBF") begin = 3;
  while (begin < data.size() && std::isspace(static_cast<unsigned char>(data[begin]))) ++begin;
  return data.substr(begin);
}

bool is_json(std::string_view data) {
  const std::string_view rest = first_char_view(data);
  return !rest.empty() && (rest.front() == '{' || rest.front() == '[');
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// True when `head` contains "type": "<object_type>", as in a record's attributes.
bool names_object_type(std::string_view head, std::string_view object_type) {
  const std::string quoted = fmt::format("\"{}\"", object_type);
  size_t pos = 0;
  while ((pos = head.find("\"type\"", pos)) != std::string_view::npos) {
    pos += 6;
    size_t value = pos;
    while (value < head.size() && std::isspace(static_cast<unsigned char>(head[value]))) ++value;
    if (value >= head.size() || head[value] != ':') continue;
    ++value;
    while (value < head.size() && std::isspace(static_cast<unsigned char>(head[value]))) ++value;
    if (head.substr(value, quoted.size()) == quoted) return true;
  }
  return false;
}

// The JSON key a dotted field path ends with, which is what appears in a JSON record.
std::string_view last_part(std::string_view path) {
  const size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

class SoqlReader {
 public:
  SoqlReader(const Input& input, ParseContext& ctx, std::string_view object_name, const SoqlHandler& handler)
      : input_(input), ctx_(ctx), object_name_(object_name), handler_(handler) {}

  core::Status read_json() {
    // No envelope keys: each page reaches read_json_value whole, so its "done" flag can be checked.
    // A page holds up to 2,000 records by default, and `sf` prints all pages as one document, so
    // the record size limit is the input size.
    JsonRecordOptions options;
    options.record_name = object_name_;
    options.max_record_bytes = std::max(options.max_record_bytes, input_.data.size() + 1);
    core::Status status = for_each_json_record(input_, ctx_, options, [this](simdjson::dom::element record,
                                                                              const RecordPosition& position) {
      read_json_value(record, position);
    });
    if (!status.ok()) return status;
    report_incomplete();
    if (!failure_.empty()) {
      core::Error error = core::make_error(core::ErrorCode::invalid_input, failure_);
      error.file = input_.path;
      return error;
    }
    return {};
  }

  core::Status read_csv() {
    CsvReader reader(input_.data);
    std::vector<std::string> fields;
    if (!reader.next(fields) || fields.empty()) {
      core::Error error = core::make_error(
          core::ErrorCode::invalid_input,
          fmt::format("no CSV header found; expected `sf data query --result-format csv` output of {}", object_name_));
      error.file = input_.path;
      return error;
    }
    const CsvHeader header(fields);
    while (reader.next(fields)) {
      const RecordPosition position{reader.offset(), reader.line()};
      if (!reader.error().empty()) {
        ctx_.errors.push_back(RecordError{input_.path, position.offset, position.line,
                                          fmt::format("{}; row skipped", reader.error())});
        continue;
      }
      handler_(SoqlRecord(header, fields, position));
    }
    return {};
  }

 private:
  void read_json_value(simdjson::dom::element value, const RecordPosition& position) {
    // for_each_json_record counts each top-level value, but a page holds many records: the
    // sources count the records they read instead.
    --ctx_.records;
    int64_t status = 0;
    if (value["status"].get(status) == simdjson::SUCCESS && status != 0 && value["result"].error() != simdjson::SUCCESS) {
      // `sf` prints {"status": 1, "name": ..., "message": ...} when the query failed.
      const std::string_view message = string_or_empty(value, "message");
      failure_ = fmt::format("`sf data query` reported a failure (status {}): {}", status, message.substr(0, 300));
      return;
    }
    simdjson::dom::element result;
    if (value["result"].get(result) == simdjson::SUCCESS && result.is_object()) return read_page(result, position);
    if (value["records"].error() == simdjson::SUCCESS) return read_page(value, position);
    handler_(SoqlRecord(value, position));
  }

  void read_page(simdjson::dom::element page, const RecordPosition& position) {
    simdjson::dom::array records;
    if (page["records"].get(records) != simdjson::SUCCESS) {
      ctx_.errors.push_back(RecordError{input_.path, position.offset, position.line,
                                        "records is not an array; page skipped"});
      return;
    }
    for (simdjson::dom::element record : records) {
      if (!record.is_object()) {
        ctx_.errors.push_back(RecordError{input_.path, position.offset, position.line,
                                          fmt::format("a {} record is not a JSON object; skipped", object_name_)});
        continue;
      }
      handler_(SoqlRecord(record, position));
    }
    // Concatenated REST pages are complete when the last one has "done": true.
    bool done = true;
    if (page["done"].get(done) == simdjson::SUCCESS && !done) {
      incomplete_page_ = position;
    } else {
      incomplete_page_.reset();
    }
  }

  void report_incomplete() {
    if (!incomplete_page_) return;
    ctx_.errors.push_back(RecordError{
        input_.path, incomplete_page_->offset, incomplete_page_->line,
        fmt::format("the last {} query page has \"done\": false, so later pages are missing; fetch nextRecordsUrl "
                    "until done is true, or use `sf data query`, which fetches every page",
                    object_name_)});
  }

  const Input& input_;
  ParseContext& ctx_;
  std::string_view object_name_;
  const SoqlHandler& handler_;
  std::string failure_;
  std::optional<RecordPosition> incomplete_page_;
};

}  // namespace

SoqlRecord::SoqlRecord(simdjson::dom::element element, RecordPosition position)
    : element_(element), position_(position) {}

SoqlRecord::SoqlRecord(const CsvHeader& header, const std::vector<std::string>& fields, RecordPosition position)
    : header_(&header), fields_(&fields), position_(position) {}

std::string SoqlRecord::get(std::string_view path) const {
  if (header_ != nullptr) return std::string(header_->get(*fields_, path));
  if (!element_) return {};
  simdjson::dom::element current = *element_;
  size_t parts = 0;
  while (!path.empty() && parts++ < kMaxPathParts) {
    const size_t dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    if (!current.is_object() || current[key].get(current) != simdjson::SUCCESS) return {};
    path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  }
  return element_text(current);
}

core::Status for_each_soql_record(const Input& input, ParseContext& ctx, std::string_view object_name,
                                  const SoqlHandler& handler) {
  SoqlReader reader(input, ctx, object_name, handler);
  if (is_json(input.data)) return reader.read_json();
  return reader.read_csv();
}

int detect_soql(std::string_view head, std::string_view object_type, const std::vector<std::string_view>& required_fields,
                const std::vector<std::string_view>& exclude_fields) {
  if (is_json(head)) {
    for (std::string_view field : exclude_fields) {
      if (has_json_key(head, last_part(field))) return 0;
    }
    if (has_json_key(head, "attributes") && names_object_type(head, object_type)) {
      // A relationship such as OauthToken.User also names its type, so the fields must match too.
      const bool fields_match = std::all_of(required_fields.begin(), required_fields.end(),
                                            [&](std::string_view field) { return has_json_key(head, last_part(field)); });
      if (fields_match) return 90;
    }
    const bool keys_match = !required_fields.empty() &&
                            std::all_of(required_fields.begin(), required_fields.end(),
                                        [&](std::string_view field) { return has_json_key(head, last_part(field)); });
    return keys_match ? 70 : 0;
  }
  const std::vector<std::string> header = csv_header_of(head);
  if (header.size() < 2) return 0;
  std::vector<std::string> columns;
  columns.reserve(header.size());
  for (const auto& name : header) columns.push_back(lower(name));
  const auto has_column = [&](std::string_view field) {
    return std::find(columns.begin(), columns.end(), lower(field)) != columns.end();
  };
  for (std::string_view field : exclude_fields) {
    if (has_column(field)) return 0;
  }
  const bool all = !required_fields.empty() && std::all_of(required_fields.begin(), required_fields.end(), has_column);
  return all ? 70 : 0;
}

std::optional<core::UnixTime> parse_salesforce_time(std::string_view text) {
  if (text.empty()) return std::nullopt;
  return core::parse_time(text);
}

std::optional<bool> parse_salesforce_bool(std::string_view text) {
  if (text == "true" || text == "TRUE" || text == "True") return true;
  if (text == "false" || text == "FALSE" || text == "False") return false;
  return std::nullopt;
}

void add_unique(nlohmann::json& array, const std::string& value, size_t max_size) {
  if (value.empty()) return;
  if (!array.is_array()) array = nlohmann::json::array();
  if (array.size() >= max_size) return;
  for (const auto& existing : array) {
    if (existing == value) return;
  }
  array.push_back(value);
}

}  // namespace keyward::sources::salesforce
