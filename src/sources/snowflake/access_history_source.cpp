// Reads SNOWFLAKE.ACCOUNT_USAGE.ACCESS_HISTORY rows: QUERY_ID, QUERY_START_TIME, USER_NAME and
// the JSON arrays DIRECT_OBJECTS_ACCESSED, BASE_OBJECTS_ACCESSED and OBJECTS_MODIFIED, whose
// items are {"objectName": "DB.SCHEMA.TABLE", "objectDomain": "Table", "objectId", "columns"}.
// Each query becomes one "read" event per base object it read (the tables behind any view) and
// one "write" event per object it modified, with the object's database as event_source, so the
// engine learns which databases each user reaches.

#include "sources/snowflake/access_history_source.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "sources/common/json_records.hpp"
#include "sources/snowflake/rows.hpp"

namespace keyward::sources::snowflake {
namespace {

constexpr size_t kMaxObjectsPerQuery = 1000;
constexpr size_t kMaxObservedUsers = 100000;

struct AccessedObject {
  std::string name;    // "DB.SCHEMA.TABLE"
  std::string domain;  // "Table", "View", "Stage", ...
};

// The database part of a fully qualified object name; quoted parts keep their quotes.
std::string database_of(std::string_view object_name) {
  bool quoted = false;
  for (size_t i = 0; i < object_name.size(); ++i) {
    if (object_name[i] == '"') quoted = !quoted;
    if (object_name[i] == '.' && !quoted) return std::string(object_name.substr(0, i));
  }
  return std::string(object_name);
}

class AccessReader {
 public:
  AccessReader(const Input& input, ParseContext& ctx) : input_(input), ctx_(ctx) {}

  void read(const Row& row, const RowPosition& position) {
    position_ = position;
    const std::string user(row.get("user_name"));
    const std::string query_id(row.get("query_id"));
    if (user.empty()) return report(fmt::format("query {}: no USER_NAME; row skipped", query_id));
    const std::string_view start = row.get("query_start_time");
    const auto time = parse_snowflake_time(start);
    if (!time) {
      return report(fmt::format("query {}: QUERY_START_TIME '{}' is not a timestamp; row skipped", query_id,
                                start.substr(0, 64)));
    }
    std::vector<AccessedObject> read_objects = objects(row, "base_objects_accessed", query_id);
    if (read_objects.empty()) read_objects = objects(row, "direct_objects_accessed", query_id);
    const std::vector<AccessedObject> written = objects(row, "objects_modified", query_id);
    for (const AccessedObject& object : read_objects) emit(*time, query_id, user, "read", object);
    for (const AccessedObject& object : written) emit(*time, query_id, user, "write", object);

    if (observed_.size() < kMaxObservedUsers && observed_.insert(user).second) {
      core::Identity identity;
      identity.platform = std::string(kPlatform);
      identity.id = user;
      identity.kind = "snowflake_user";
      identity.name = user;
      ctx_.batch.observed_identities.push_back(std::move(identity));
    }
  }

 private:
  void report(std::string message) {
    ctx_.errors.push_back(RecordError{input_.path, position_.offset, position_.line, std::move(message)});
  }

  std::vector<AccessedObject> objects(const Row& row, std::string_view column, const std::string& query_id) {
    std::vector<AccessedObject> result;
    std::string label(column);
    std::transform(label.begin(), label.end(), label.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const std::string_view text = row.get(column);
    if (text.empty() || text == "[]") return result;
    simdjson::dom::element document;
    if (parser_.parse(text.data(), text.size()).get(document) != simdjson::SUCCESS) {
      report(fmt::format("query {}: {} is not a JSON array; column skipped", query_id, label));
      return result;
    }
    simdjson::dom::array items;
    if (document.get(items) != simdjson::SUCCESS) {
      report(fmt::format("query {}: {} is not a JSON array; column skipped", query_id, label));
      return result;
    }
    std::set<std::string> seen;
    for (simdjson::dom::element item : items) {
      if (result.size() >= kMaxObjectsPerQuery) {
        report(fmt::format("query {}: {} lists more than {} objects; the rest are skipped", query_id, label, kMaxObjectsPerQuery));
        break;
      }
      const std::string_view name = string_or_empty(item, "objectName");
      if (name.empty() || !seen.insert(std::string(name)).second) continue;
      result.push_back(AccessedObject{std::string(name), std::string(string_or_empty(item, "objectDomain"))});
    }
    return result;
  }

  void emit(core::UnixTime time, const std::string& query_id, const std::string& user, std::string_view action,
            const AccessedObject& object) {
    const std::string database = database_of(object.name);
    core::Event event;
    event.platform = kPlatform;
    event.time = time;
    event.event_id = query_id;
    event.event_source = database;
    event.event_name = action;
    event.event_type = object.domain;
    event.identity_id = user;
    event.user_name = user;
    event.request_parameters = object.name;
    event.read_only = action == "read";
    event.file = input_.path;
    event.offset = position_.offset;
    ctx_.events.on_event(event);
  }

  const Input& input_;
  ParseContext& ctx_;
  RowPosition position_;
  simdjson::dom::parser parser_;
  std::set<std::string> observed_;
};

}  // namespace

std::string_view AccessHistorySource::name() const { return "snowflake-access-history"; }

std::string_view AccessHistorySource::description() const {
  return "Snowflake ACCOUNT_USAGE.ACCESS_HISTORY export, CSV or JSON: objects each query read and wrote";
}

int AccessHistorySource::detect(std::string_view head, std::string_view /*path*/) const {
  const std::vector<std::string> columns = column_names_of(head);
  auto has = [&](std::string_view name) { return std::find(columns.begin(), columns.end(), name) != columns.end(); };
  if (!has("query_id") || !has("user_name")) return 0;
  return has("direct_objects_accessed") || has("base_objects_accessed") || has("objects_modified") ? 90 : 0;
}

core::Status AccessHistorySource::parse(const Input& input, ParseContext& ctx) const {
  AccessReader reader(input, ctx);
  return for_each_row(input, ctx, "query", [&](const Row& row, const RowPosition& position) { reader.read(row, position); });
}

}  // namespace keyward::sources::snowflake
