#pragma once

// Reads SOQL query results in the shapes the Salesforce tools write, so each Salesforce source
// converts one record at a time:
//   `sf data query --json`            {"status": 0, "result": {"records": [...], "totalSize", "done"}}
//   REST /services/data/vXX.X/query   {"totalSize", "done", "nextRecordsUrl", "records": [...]}
//   a bare JSON array of records, and JSON lines of either envelope (one page per line)
//   `sf data query --result-format csv`, where relationship fields are columns such as
//   "User.Username"
// JSON records carry relationship fields as nested objects ({"User": {"Username": ...}}); both
// forms are read through the same dotted path.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/time.hpp"
#include "sources/common/csv.hpp"
#include "sources/common/json_records.hpp"
#include "sources/source.hpp"

namespace keyward::sources::salesforce {

// One row of a SOQL result, from JSON or CSV. Valid only during the handler call.
class SoqlRecord {
 public:
  SoqlRecord(simdjson::dom::element element, RecordPosition position);
  SoqlRecord(const CsvHeader& header, const std::vector<std::string>& fields, RecordPosition position);

  // The value at `path` ("Id", "User.Username") as text: "" when the field or a relationship on
  // the way is missing or null; booleans as "true"/"false" and numbers in decimal.
  std::string get(std::string_view path) const;
  const RecordPosition& position() const { return position_; }

 private:
  std::optional<simdjson::dom::element> element_;
  const CsvHeader* header_ = nullptr;
  const std::vector<std::string>* fields_ = nullptr;
  RecordPosition position_;
};

using SoqlHandler = std::function<void(const SoqlRecord& record)>;

// Calls `handler` for every record of a SOQL result in input order. `object_name` names the
// queried object in messages ("OauthToken"). Framing problems go to ctx.errors; a last page with
// "done": false is reported because later pages are then missing. Returns an error only when the
// input is neither JSON nor CSV with a header, or when `sf` reported a failed query.
core::Status for_each_soql_record(const Input& input, ParseContext& ctx, std::string_view object_name,
                                  const SoqlHandler& handler);

// Detection score of a SOQL result of `object_type`: 90 when a JSON record's attributes name the
// type, 70 when every one of `required_fields` is a JSON key or CSV column, else 0.
// `exclude_fields` lowers the score to 0 when any of them is present, to tell apart queries on
// objects that share field names.
int detect_soql(std::string_view head, std::string_view object_type, const std::vector<std::string_view>& required_fields,
                const std::vector<std::string_view>& exclude_fields = {});

// Parses a Salesforce dateTime ("2024-01-15T14:23:45.000+0000"); nullopt when empty or invalid.
std::optional<core::UnixTime> parse_salesforce_time(std::string_view text);

// Reads "true"/"false" as SOQL writes booleans; nullopt for anything else.
std::optional<bool> parse_salesforce_bool(std::string_view text);

// Appends `value` to the JSON string array `array` when it is not empty and not present yet, up
// to `max_size` entries, so a hostile export cannot grow one identity without bound.
void add_unique(nlohmann::json& array, const std::string& value, size_t max_size = 1000);

}  // namespace keyward::sources::salesforce
