// Reads `team.integrationLogs` responses: who added, removed, enabled, disabled or expanded an
// app or a custom integration (incoming webhooks, slash commands, bots).
//   {"ok": true, "logs": [{"service_id", "service_type", "app_id", "app_type", "user_id",
//     "user_name", "date": "1392163200", "change_type", "scope", "channel", "reason"}],
//    "paging": {...}}
// Each app or integration becomes one identity built from its log entries. The first "added"
// entry sets created and created_by, and the latest change sets the status. connected_by lists
// everyone who added it, and scopes collects the scopes of "added" and "expanded" entries.

#include "sources/slack/integration_logs_source.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "sources/common/json_records.hpp"
#include "sources/slack/scope_levels.hpp"
#include "sources/slack/slack_common.hpp"

namespace keyward::sources::slack {
namespace {

namespace attribute = core::attribute;

struct Lifecycle {
  size_t index = 0;                        // position in ctx.batch.identities
  std::optional<core::UnixTime> latest;    // time of the change that set the status
};

std::string status_after(std::string_view change_type) {
  if (change_type == "removed") return "deleted";
  if (change_type == "disabled") return "disabled";
  return "active";
}

// Splits Slack's comma-separated scope list ("incoming-webhook,commands").
std::vector<std::string_view> split_scopes(std::string_view text) {
  std::vector<std::string_view> scopes;
  while (!text.empty() && scopes.size() < kMaxListEntries) {
    const size_t comma = text.find(',');
    std::string_view scope = text.substr(0, comma);
    while (!scope.empty() && scope.front() == ' ') scope.remove_prefix(1);
    while (!scope.empty() && scope.back() == ' ') scope.remove_suffix(1);
    if (!scope.empty()) scopes.push_back(scope);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return scopes;
}

class LogReader {
 public:
  LogReader(ParseContext& ctx, const std::string& file) : ctx_(ctx), file_(file) {}

  void read(simdjson::dom::element entry, const RecordPosition& position) {
    if (entry["ok"].error() == simdjson::SUCCESS && entry["logs"].error() != simdjson::SUCCESS) {
      const std::string_view error = string_or_empty(entry, "error");
      return report(position, fmt::format("response without logs (error \"{}\"); call team.integrationLogs with a "
                                          "token that has admin scope",
                                          error.substr(0, 100)));
    }
    const std::string_view app_id = string_or_empty(entry, "app_id");
    const std::string_view service_id = string_or_empty(entry, "service_id");
    if (app_id.empty() && service_id.empty()) return report(position, "log entry has neither app_id nor service_id; skipped");
    const std::string_view change_type = string_or_empty(entry, "change_type");
    if (change_type.empty()) return report(position, "log entry without change_type; skipped");

    std::optional<core::UnixTime> time;
    simdjson::dom::element date;
    if (entry["date"].get(date) == simdjson::SUCCESS) time = slack_time(date);
    if (!time) return report(position, "log entry without a valid date (epoch seconds); skipped");

    const std::string_view service_type = string_or_empty(entry, "service_type");
    const std::string_view app_type = string_or_empty(entry, "app_type");
    core::Identity& identity = identity_for(app_id, service_id, service_type, app_type, lifecycle_for(app_id, service_id));
    Lifecycle& lifecycle = lifecycles_[identity.id];

    const std::string_view user_name = string_or_empty(entry, "user_name");
    const std::string_view user_id = string_or_empty(entry, "user_id");
    const std::string_view actor = user_name.empty() ? user_id : user_name;
    if (change_type == "added") {
      add_unique(identity.attributes[std::string(attribute::kConnectedBy)], actor);
      if (!identity.created || *time < *identity.created) {
        identity.created = time;
        if (!actor.empty()) identity.attributes[std::string(attribute::kCreatedBy)] = std::string(actor);
      }
    }
    if (change_type == "added" || change_type == "expanded") {
      for (std::string_view scope : split_scopes(string_or_empty(entry, "scope"))) {
        add_unique(identity.attributes[std::string(attribute::kScopes)], scope);
      }
    }
    const std::string_view channel = string_or_empty(entry, "channel");
    if (!channel.empty()) add_unique(identity.attributes["channels"], channel);
    if (!lifecycle.latest || *time >= *lifecycle.latest) {
      lifecycle.latest = time;
      identity.status = status_after(change_type);
      const std::string_view reason = string_or_empty(entry, "reason");
      if (!reason.empty()) identity.attributes["status_reason"] = std::string(reason.substr(0, 200));
      identity.attributes["last_change"] = std::string(change_type);
      identity.attributes["last_changed"] = core::format_time(*time);
    }
  }

  // Sets the app-wide privilege from the collected scopes, once every entry is read.
  void finish() {
    for (const auto& [id, lifecycle] : lifecycles_) {
      core::Identity& identity = ctx_.batch.identities[lifecycle.index];
      const auto& scopes = identity.attributes[std::string(attribute::kScopes)];
      if (!scopes.is_array()) continue;
      const std::string privilege = app_privilege(scopes.get<std::vector<std::string>>());
      if (!privilege.empty()) identity.attributes[std::string(attribute::kPrivilege)] = privilege;
    }
  }

 private:
  static std::string identity_id(std::string_view app_id, std::string_view service_id) {
    // Custom integrations have numeric service ids, which get a prefix so they never collide
    // with app ids.
    return app_id.empty() ? fmt::format("service:{}", service_id) : std::string(app_id);
  }

  Lifecycle* lifecycle_for(std::string_view app_id, std::string_view service_id) {
    auto found = lifecycles_.find(identity_id(app_id, service_id));
    return found == lifecycles_.end() ? nullptr : &found->second;
  }

  core::Identity& identity_for(std::string_view app_id, std::string_view service_id, std::string_view service_type,
                               std::string_view app_type, Lifecycle* existing) {
    if (existing != nullptr) return ctx_.batch.identities[existing->index];
    const std::string id = identity_id(app_id, service_id);
    // The log names an app only by its type; a name comes from the approved apps or the audit log.
    core::Identity identity = make_app(id, "");
    if (app_id.empty()) {
      const bool webhook = service_type == "Incoming WebHooks";
      identity.kind = webhook ? "slack_incoming_webhook" : "slack_custom_integration";
      identity.name = service_type.empty() ? id : std::string(service_type);
      identity.classification_reason = webhook ? "Slack incoming webhook" : "Slack custom integration";
      // A custom integration is set up by one member for their own automation, outside the
      // app approval process.
      identity.attributes[std::string(attribute::kShadow)] = true;
      identity.attributes["service_id"] = std::string(service_id);
    }
    if (!service_type.empty()) identity.attributes["service_type"] = std::string(service_type);
    if (!app_type.empty()) identity.attributes["app_type"] = std::string(app_type);
    lifecycles_.emplace(id, Lifecycle{ctx_.batch.identities.size(), std::nullopt});
    ctx_.batch.identities.push_back(std::move(identity));
    return ctx_.batch.identities.back();
  }

  void report(const RecordPosition& position, std::string message) {
    ctx_.errors.push_back(RecordError{file_, position.offset, position.line, std::move(message)});
  }

  ParseContext& ctx_;
  const std::string& file_;
  std::unordered_map<std::string, Lifecycle> lifecycles_;
};

}  // namespace

std::string_view IntegrationLogsSource::name() const { return "slack-integration-logs"; }

std::string_view IntegrationLogsSource::description() const {
  return "Slack app and custom integration changes: team.integrationLogs responses, one or many pages";
}

int IntegrationLogsSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!has_json_key(head, "change_type")) return 0;
  if (!has_json_key(head, "service_id") && !has_json_key(head, "app_id")) return 0;
  if (has_json_key(head, "logs")) return 90;
  return has_json_key(head, "user_name") && has_json_key(head, "date") ? 75 : 0;
}

core::Status IntegrationLogsSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.envelope_keys = {"logs"};
  options.record_name = "integration log entry";
  LogReader reader(ctx, input.path);
  core::Status status = for_each_json_record(input, ctx, options, [&](simdjson::dom::element entry, const RecordPosition& position) {
    reader.read(entry, position);
  });
  reader.finish();
  return status;
}

}  // namespace keyward::sources::slack
