// Reads Azure Activity Log records, the control-plane operations of Azure Resource Manager, in the
// two shapes Azure writes them:
//   `az monitor activity-log list` (the REST EventData objects): operationName, status and
//     category as {"value", "localizedValue"}, eventTimestamp, caller, claims,
//     httpRequest.clientIpAddress, resourceId, correlationId, eventDataId, subscriptionId;
//   diagnostic settings exports ({"records": [...]} in storage, one record per Event Hubs
//     message): time, operationName, category, resultType, resultSignature, callerIpAddress,
//     identity.claims, resourceId, correlationId, location.
// The actor comes from the token claims. An app-only token (idtyp "app", or an appid without a
// user name) belongs to a service principal or managed identity, identified by its appid. A token
// with a user name belongs to a person. Records that name no caller still become events with an empty
// identity_id, because the operation itself (a key listed, a secret read) is what detectors match.

#include "sources/entra/activity_log_source.hpp"

#include <fmt/format.h>

#include <cctype>
#include <optional>
#include <string>

#include "sources/common/json_records.hpp"

namespace keyward::sources::entra {
namespace {

constexpr std::string_view kPlatform = "entra";
constexpr size_t kMaxRawRecordBytes = 64 * 1024;

// A member that is either a string or, in the REST shape, {"value": "..."}.
std::string_view value_of(simdjson::dom::element record, std::string_view key) {
  simdjson::dom::element member;
  if (record[key].get(member) != simdjson::SUCCESS) return {};
  if (member.is_string()) return member.get_string().value_unsafe();
  if (member.is_object()) return string_or_empty(member, "value");
  return {};
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "/subscriptions/SUB/resourceGroups/..." -> "SUB".
std::string_view subscription_of(std::string_view resource_id) {
  constexpr std::string_view kPrefix = "/subscriptions/";
  if (resource_id.size() <= kPrefix.size()) return {};
  if (lower(resource_id.substr(0, kPrefix.size())) != kPrefix) return {};
  const std::string_view rest = resource_id.substr(kPrefix.size());
  return rest.substr(0, rest.find('/'));
}

// "Microsoft.Storage/storageAccounts/listKeys/action" -> "Microsoft.Storage".
std::string_view provider_of(std::string_view operation) { return operation.substr(0, operation.find('/')); }

struct Caller {
  std::string_view id;
  std::string_view object_id;
  core::ActorKind kind = core::ActorKind::unknown;
};

Caller caller_of(simdjson::dom::element record) {
  simdjson::dom::element claims;
  bool has_claims = record["claims"].get(claims) == simdjson::SUCCESS && claims.is_object();
  if (!has_claims) {
    simdjson::dom::element identity;
    has_claims = record["identity"].get(identity) == simdjson::SUCCESS && identity.is_object() &&
                 identity["claims"].get(claims) == simdjson::SUCCESS && claims.is_object();
  }
  Caller caller;
  if (has_claims) {
    const std::string_view token_type = string_or_empty(claims, "idtyp");
    const std::string_view app_id = string_or_empty(claims, "appid");
    std::string_view user = string_or_empty(claims, "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn");
    if (user.empty()) user = string_or_empty(claims, "upn");
    if (user.empty()) user = string_or_empty(claims, "name");
    if (user.empty()) user = string_or_empty(claims, "unique_name");
    caller.object_id = string_or_empty(claims, "http://schemas.microsoft.com/identity/claims/objectidentifier");
    if (caller.object_id.empty()) caller.object_id = string_or_empty(claims, "oid");
    // A user's token also carries the appid of the client it signed in through (the portal, the
    // CLI), so a user name wins unless the token is marked app-only.
    if (token_type == "app" || (user.empty() && !app_id.empty())) {
      caller.id = app_id;
      caller.kind = core::ActorKind::machine;
    } else if (!user.empty()) {
      caller.id = user;
      caller.kind = core::ActorKind::human;
    }
  }
  if (caller.id.empty()) caller.id = value_of(record, "caller");
  return caller;
}

// "Success", "Succeeded", "Start", "Accept", "Started", "Accepted" are not failures. NOTE: a Start
// record precedes the outcome of a long-running write, so the operation may still fail.
bool failed(std::string_view status) {
  const std::string text = lower(status);
  return text == "failure" || text == "failed";
}

}  // namespace

std::string_view ActivityLogSource::name() const { return "azure-activity-log"; }

std::string_view ActivityLogSource::description() const {
  return "Azure Activity Log records: `az monitor activity-log list` output, or diagnostic settings exports "
         "(Administrative and other categories)";
}

int ActivityLogSource::detect(std::string_view head, std::string_view /*path*/) const {
  const size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (head[first] != '{' && head[first] != '[')) return 0;
  if (!has_json_key(head, "operationName") || !has_json_key(head, "resourceId")) return 0;
  if (head.find("SignInLogs\"") != std::string_view::npos) return 0;
  // REST EventData: eventTimestamp and eventDataId; diagnostic export: time and callerIpAddress.
  if (has_json_key(head, "eventTimestamp") && has_json_key(head, "eventDataId")) return 85;
  if (has_json_key(head, "time") && (has_json_key(head, "callerIpAddress") || has_json_key(head, "resultType"))) return 80;
  return 0;
}

core::Status ActivityLogSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.record_name = "Activity Log record";
  options.envelope_keys = {"records", "value"};
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    auto report = [&](std::string message) {
      ctx.errors.push_back(RecordError{input.path, position.offset, position.line, std::move(message)});
    };
    const std::string_view operation = value_of(record, "operationName");
    if (operation.empty()) return report("Activity Log record has no operationName; record skipped");
    std::string_view time_text = string_or_empty(record, "eventTimestamp");
    if (time_text.empty()) time_text = string_or_empty(record, "time");
    const std::optional<core::UnixTime> time = core::parse_time(time_text);
    if (!time) {
      return report(fmt::format("Activity Log record has no valid eventTimestamp or time ('{}'); record skipped",
                                time_text.substr(0, 64)));
    }

    std::string_view status = value_of(record, "status");
    if (status.empty()) status = string_or_empty(record, "resultType");
    std::string_view status_detail = value_of(record, "subStatus");
    if (status_detail.empty()) status_detail = string_or_empty(record, "resultSignature");
    const std::string_view resource_id = string_or_empty(record, "resourceId");
    std::string_view source_ip = string_or_empty(record, "callerIpAddress");
    simdjson::dom::element http_request;
    if (source_ip.empty() && record["httpRequest"].get(http_request) == simdjson::SUCCESS && http_request.is_object()) {
      source_ip = string_or_empty(http_request, "clientIpAddress");
    }
    const Caller caller = caller_of(record);
    std::string_view subscription = string_or_empty(record, "subscriptionId");
    if (subscription.empty()) subscription = subscription_of(resource_id);
    std::string record_text = simdjson::to_string(record);
    if (record_text.size() > kMaxRawRecordBytes) record_text.clear();

    core::Event event;
    event.platform = kPlatform;
    event.time = *time;
    event.event_id = string_or_empty(record, "eventDataId");
    if (event.event_id.empty()) event.event_id = string_or_empty(record, "correlationId");
    event.event_source = provider_of(operation);
    event.event_name = operation;
    event.event_type = value_of(record, "category");
    event.region = string_or_empty(record, "location");
    event.source_ip = source_ip;
    if (failed(status)) event.error_code = status_detail.empty() ? status : status_detail;
    event.identity_type = caller.kind == core::ActorKind::machine ? "ServicePrincipal"
                          : caller.kind == core::ActorKind::human ? "User"
                                                                  : "";
    event.identity_id = std::string(caller.id);
    event.principal_id = caller.object_id;
    event.user_name = caller.kind == core::ActorKind::human ? caller.id : std::string_view();
    event.actor_kind = caller.kind;
    event.account_id = subscription;
    // Activity Log operations are writes and actions; reads are not logged.
    event.read_only = false;
    event.raw_record = record_text;
    event.file = input.path;
    event.offset = position.offset;
    ctx.events.on_event(event);
  });
}

}  // namespace keyward::sources::entra
