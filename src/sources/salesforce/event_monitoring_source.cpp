// Reads Salesforce Event Monitoring records as JSON objects (an array, JSON lines or one object),
// one event each, with the Event Log File field names that log pipelines such as Panther keep:
//   EVENT_TYPE ("Login", "API", "ConnectedAppUsageEventStore", "ApiAnomalyEventStore", ...),
//   TIMESTAMP_DERIVED or TIMESTAMP, ORGANIZATION_ID, USER_ID(_DERIVED), USER_NAME or USERNAME,
//   SOURCE_IP or CLIENT_IP, REQUEST_ID, CONNECTED_APP_ID, CONNECTED_APP_NAME, OAUTH_SCOPES,
//   LOGIN_STATUS, BROWSER_TYPE or USER_AGENT.
// The acting identity is the Salesforce user; when a connected app made the call, its id is the
// event's credential, because the app acts with that user's OAuth token.
// TODO: Event Log File CSV downloads (the same columns) are not read yet.

#include "sources/salesforce/event_monitoring_source.hpp"

#include <fmt/format.h>

#include "sources/common/json_records.hpp"
#include "sources/salesforce/connected_app.hpp"

namespace keyward::sources::salesforce {
namespace {

constexpr size_t kMaxRawRecordBytes = 64 * 1024;

std::string_view first_of(simdjson::dom::element record, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    std::string_view value = string_or_empty(record, key);
    if (!value.empty()) return value;
  }
  return {};
}

// "2024-01-15 14:23:45.123" (UTC, as pipelines write it), RFC 3339, or the Event Log File form
// "20240115142345.123".
std::optional<core::UnixTime> parse_event_time(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  if (auto time = core::parse_time(text)) return time;
  if (auto time = core::parse_time(std::string(text) + "Z")) return time;
  if (text.size() >= 14 && text.find_first_not_of("0123456789") >= 14) {
    const std::string iso = fmt::format("{}-{}-{}T{}:{}:{}Z", text.substr(0, 4), text.substr(4, 2), text.substr(6, 2),
                                        text.substr(8, 2), text.substr(10, 2), text.substr(12, 2));
    return core::parse_time(iso);
  }
  return std::nullopt;
}

}  // namespace

std::string_view EventMonitoringSource::name() const { return "salesforce-event-monitoring"; }

std::string_view EventMonitoringSource::description() const {
  return "Salesforce Event Monitoring records (Event Log File rows, Real-Time Event Monitoring events) as JSON";
}

int EventMonitoringSource::detect(std::string_view head, std::string_view /*path*/) const {
  const size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (head[first] != '{' && head[first] != '[')) return 0;
  if (!has_json_key(head, "EVENT_TYPE") || !has_json_key(head, "ORGANIZATION_ID")) return 0;
  return has_json_key(head, "USER_ID") || has_json_key(head, "USER_ID_DERIVED") ? 85 : 0;
}

core::Status EventMonitoringSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.record_name = "Event Monitoring record";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    auto report = [&](std::string message) {
      ctx.errors.push_back(RecordError{input.path, position.offset, position.line, std::move(message)});
    };
    const std::string_view event_type = string_or_empty(record, "EVENT_TYPE");
    if (event_type.empty()) return report("record has no EVENT_TYPE; record skipped");
    const std::string_view time_text = first_of(record, {"TIMESTAMP_DERIVED", "TIMESTAMP"});
    const auto time = parse_event_time(time_text);
    if (!time) {
      return report(fmt::format("record has no valid TIMESTAMP_DERIVED or TIMESTAMP ('{}'); record skipped",
                                time_text.substr(0, 64)));
    }
    const std::string_view user_id = first_of(record, {"USER_ID_DERIVED", "USER_ID"});
    if (user_id.empty()) return report(fmt::format("{} record has no USER_ID; record skipped", event_type));

    const std::string_view app_id = string_or_empty(record, "CONNECTED_APP_ID");
    const std::string_view login_status = string_or_empty(record, "LOGIN_STATUS");
    std::string record_text = simdjson::to_string(record);
    if (record_text.size() > kMaxRawRecordBytes) record_text.clear();

    core::Event event;
    event.platform = kPlatform;
    event.time = *time;
    event.event_id = string_or_empty(record, "REQUEST_ID");
    event.event_source = "event_monitoring";
    event.event_name = event_type;
    event.event_type = string_or_empty(record, "CONNECTION_TYPE");
    event.source_ip = first_of(record, {"SOURCE_IP", "CLIENT_IP"});
    event.user_agent = first_of(record, {"USER_AGENT", "BROWSER_TYPE"});
    if (!login_status.empty() && login_status != "LOGIN_NO_ERROR") event.error_code = login_status;
    event.identity_type = string_or_empty(record, "USER_TYPE");
    event.identity_id = std::string(user_id);
    event.user_name = first_of(record, {"USER_NAME", "USERNAME"});
    event.credential_id = app_id;
    event.account_id = string_or_empty(record, "ORGANIZATION_ID");
    // A connected app acts with a user's token; otherwise the record does not say who is behind it.
    event.actor_kind = app_id.empty() ? core::ActorKind::unknown : core::ActorKind::machine;
    event.scopes = string_or_empty(record, "OAUTH_SCOPES");
    event.raw_record = record_text;
    event.file = input.path;
    event.offset = position.offset;
    ctx.events.on_event(event);
  });
}

}  // namespace keyward::sources::salesforce
