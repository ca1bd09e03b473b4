// Reads the Audit Logs API (GET https://api.slack.com/audit/v1/logs, Enterprise Grid):
//   {"entries": [{"id", "date_create": 1623190575, "action": "app_installed",
//     "actor": {"type": "user", "user": {"id", "name", "email"}},
//     "entity": {"type": "app", "app": {"id", "name", "is_distributed", "is_directory_approved",
//       "scopes": [...]}},
//     "context": {"location": {...}, "ua", "ip_address", "session_id"}, "details": {...}}],
//    "response_metadata": {"next_cursor"}}
// also one entry per line, or a single entry, as log pipelines forward them. Every entry is an
// activity event of its actor; entries about an app also update the app identity (installed by,
// scopes, uninstalled).

#include "sources/slack/audit_log_source.hpp"

#include <fmt/format.h>

#include <array>
#include <unordered_map>
#include <unordered_set>

#include "sources/common/json_records.hpp"
#include "sources/slack/scope_levels.hpp"
#include "sources/slack/slack_common.hpp"

namespace keyward::sources::slack {
namespace {

namespace attribute = core::attribute;

constexpr std::string_view kEventSource = "slack.audit";

// App actions that leave the app installed, and those that take it away (status after them).
constexpr std::array<std::string_view, 8> kInstallActions = {
    "app_installed", "app_approved", "app_scopes_expanded", "bot_token_upgraded",
    "app_resources_added", "app_resources_granted", "org_app_workspace_added", "app_token_preserved",
};
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kRemoveActions = {{
    {"app_uninstalled", "deleted"},
    {"app_removed_from_whitelist", "disabled"},
    {"app_restricted", "disabled"},
    {"org_app_workspace_removed", "deleted"},
}};

bool is_install_action(std::string_view action) {
  for (std::string_view known : kInstallActions) {
    if (known == action) return true;
  }
  return false;
}

std::string_view status_after_removal(std::string_view action) {
  for (const auto& [known, status] : kRemoveActions) {
    if (known == action) return status;
  }
  return {};
}

// Returns entity.app.scopes joined with spaces, or "".
std::string app_scopes(simdjson::dom::element entry) {
  std::string joined;
  simdjson::dom::array scopes;
  if (entry.at_pointer("/entity/app/scopes").get(scopes) != simdjson::SUCCESS) return joined;
  for (simdjson::dom::element scope : scopes) {
    std::string_view name;
    if (scope.get(name) != simdjson::SUCCESS || name.empty()) continue;
    if (!joined.empty()) joined += ' ';
    joined += name;
  }
  return joined;
}

class AuditReader {
 public:
  AuditReader(ParseContext& ctx, const std::string& file) : ctx_(ctx), file_(file) {}

  void read(simdjson::dom::element entry, const RecordPosition& position) {
    if (entry["ok"].error() == simdjson::SUCCESS && entry["entries"].error() != simdjson::SUCCESS) {
      const std::string_view error = string_or_empty(entry, "error");
      return report(position, fmt::format("response without entries (error \"{}\"); call the Audit Logs API with a "
                                          "user token that has auditlogs:read",
                                          error.substr(0, 100)));
    }
    const std::string_view action = string_or_empty(entry, "action");
    if (action.empty()) return report(position, "audit entry without action; skipped");
    std::optional<core::UnixTime> time;
    simdjson::dom::element date;
    if (entry["date_create"].get(date) == simdjson::SUCCESS) time = slack_time(date);
    if (!time) return report(position, "audit entry without a valid date_create (epoch seconds); skipped");

    simdjson::dom::element actor, actor_user, actor_app, context, location;
    std::string_view actor_id, actor_email, actor_name, actor_type;
    std::string actor_identity;
    if (entry["actor"].get(actor) == simdjson::SUCCESS && actor.is_object()) {
      actor_type = string_or_empty(actor, "type");
      if (actor["user"].get(actor_user) == simdjson::SUCCESS && actor_user.is_object()) {
        actor_id = string_or_empty(actor_user, "id");
        actor_email = string_or_empty(actor_user, "email");
        actor_name = string_or_empty(actor_user, "name");
        actor_identity = std::string(actor_id);
      } else if (actor["app"].get(actor_app) == simdjson::SUCCESS && actor_app.is_object()) {
        // An app acting on its own: key it as slack-approved-apps does.
        actor_identity = std::string(string_or_empty(actor_app, "id"));
        if (!actor_identity.empty()) observe_app(actor_identity, string_or_empty(actor_app, "name"));
      }
    }

    core::Event event;
    event.platform = kPlatform;
    event.time = *time;
    event.event_id = string_or_empty(entry, "id");
    event.event_source = kEventSource;
    event.event_name = action;
    event.event_type = actor_type;
    event.identity_id = actor_identity;
    event.principal_id = actor_id;
    event.user_name = actor_email.empty() ? actor_name : actor_email;
    if (entry["context"].get(context) == simdjson::SUCCESS && context.is_object()) {
      event.source_ip = string_or_empty(context, "ip_address");
      event.user_agent = string_or_empty(context, "ua");
      if (context["location"].get(location) == simdjson::SUCCESS && location.is_object()) {
        event.account_id = string_or_empty(location, "id");
      }
    }
    // Slack writes actor type "user" for people, also when they act through their own user token.
    if (actor_type == "user") event.actor_kind = core::ActorKind::human;
    if (actor_type == "app" || actor_type == "bot") event.actor_kind = core::ActorKind::machine;
    // Entries about an app list the scopes it holds or was granted.
    const std::string scopes = app_scopes(entry);
    event.scopes = scopes;
    const std::string raw_record = simdjson::to_string(entry);
    event.raw_record = raw_record;
    event.file = file_;
    event.offset = position.offset;
    ctx_.events.on_event(event);

    read_app_entity(entry, action, *time, actor_email.empty() ? actor_name : actor_email, event.account_id);
  }

 private:
  void read_app_entity(simdjson::dom::element entry, std::string_view action, core::UnixTime time,
                       std::string_view actor, std::string_view workspace) {
    simdjson::dom::element entity, app;
    if (entry["entity"].get(entity) != simdjson::SUCCESS || !entity.is_object()) return;
    if (entity["app"].get(app) != simdjson::SUCCESS || !app.is_object()) return;
    const std::string_view app_id = string_or_empty(app, "id");
    if (app_id.empty()) return;

    const std::string_view removal_status = status_after_removal(action);
    const bool install = is_install_action(action);
    if (!install && removal_status.empty()) {
      // Other app actions (say, a setting changed) name the app but change nothing we keep.
      observe_app(std::string(app_id), string_or_empty(app, "name"));
      return;
    }
    core::Identity& identity = app_identity(app_id, string_or_empty(app, "name"));
    if (identity.account.empty()) identity.account = std::string(workspace);
    bool flag = false;
    if (app["is_directory_approved"].get(flag) == simdjson::SUCCESS) {
      identity.attributes[std::string(attribute::kPublisherVerified)] = flag;
    }
    if (app["is_distributed"].get(flag) == simdjson::SUCCESS) identity.attributes["is_distributed"] = flag;
    simdjson::dom::element details;
    if (entry["details"].get(details) == simdjson::SUCCESS && details.is_object() &&
        details["is_internal_integration"].get(flag) == simdjson::SUCCESS) {
      identity.attributes[std::string(attribute::kThirdParty)] = !flag;
      if (!flag && identity.vendor.empty()) identity.vendor = identity.name;
    }
    simdjson::dom::array scopes;
    if (install && app["scopes"].get(scopes) == simdjson::SUCCESS) {
      for (simdjson::dom::element scope : scopes) {
        std::string_view name;
        if (scope.get(name) == simdjson::SUCCESS) add_unique(identity.attributes[std::string(attribute::kScopes)], name);
      }
    }
    if (action == "app_installed" || action == "app_approved") {
      add_unique(identity.attributes[std::string(attribute::kConnectedBy)], actor);
      if (action == "app_installed" && (!identity.created || time < *identity.created)) {
        identity.created = time;
        if (!actor.empty()) identity.attributes[std::string(attribute::kCreatedBy)] = std::string(actor);
      }
    }
    core::UnixTime& latest = latest_change_[identity.id];
    if (time >= latest) {
      latest = time;
      identity.status = install ? "active" : std::string(removal_status);
      identity.attributes["last_change"] = std::string(action);
      identity.attributes["last_changed"] = core::format_time(time);
    }
  }

  core::Identity& app_identity(std::string_view id, std::string_view name) {
    const std::string key(id);
    auto found = app_index_.find(key);
    if (found != app_index_.end()) {
      core::Identity& identity = ctx_.batch.identities[found->second];
      if (identity.name.empty()) identity.name = std::string(name);
      return identity;
    }
    app_index_.emplace(key, ctx_.batch.identities.size());
    ctx_.batch.identities.push_back(make_app(id, name));
    return ctx_.batch.identities.back();
  }

  void observe_app(const std::string& id, std::string_view name) {
    if (app_index_.count(id) != 0 || !observed_.insert(id).second) return;
    ctx_.batch.observed_identities.push_back(make_app(id, name));
  }

  void report(const RecordPosition& position, std::string message) {
    ctx_.errors.push_back(RecordError{file_, position.offset, position.line, std::move(message)});
  }

  ParseContext& ctx_;
  const std::string& file_;
  std::unordered_map<std::string, size_t> app_index_;
  std::unordered_map<std::string, core::UnixTime> latest_change_;
  std::unordered_set<std::string> observed_;
};

}  // namespace

std::string_view AuditLogSource::name() const { return "slack-audit-log"; }

std::string_view AuditLogSource::description() const {
  return "Slack Audit Logs API entries: GET /audit/v1/logs responses, or entries one per line";
}

int AuditLogSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!has_json_key(head, "date_create") || !has_json_key(head, "action")) return 0;
  if (has_json_key(head, "entries")) return 90;
  return has_json_key(head, "actor") && has_json_key(head, "entity") ? 85 : 0;
}

core::Status AuditLogSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.envelope_keys = {"entries"};
  options.record_name = "audit entry";
  AuditReader reader(ctx, input.path);
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element entry, const RecordPosition& position) {
    reader.read(entry, position);
  });
}

}  // namespace keyward::sources::slack
