// Reads Admin SDK Reports API activities (GET admin/reports/v1/activity/users/all/applications/
// {token,admin,login}, or `gam report tokens|admin|login` with formatjson):
//   {"kind": "admin#reports#activities", "items": [
//     {"id": {"time", "uniqueQualifier", "applicationName", "customerId"},
//      "actor": {"email", "profileId", "callerType"}, "ipAddress",
//      "events": [{"type", "name", "parameters": [{"name", "value" | "multiValue" | "intValue" | "boolValue"}]}]}]}
// Log pipelines such as Panther store one event per activity with "name", "type" and a
// "parameters" object at the top level; that flattened form is read as well.
//
// Applications read: token (authorize, revoke, activity), admin (every event becomes activity of
// the admin; AUTHORIZE_API_CLIENT_ACCESS, REMOVE_API_CLIENT_ACCESS and ADD_APPLICATION also
// update the inventory) and login. Activities of other applications are skipped.

#include "sources/workspace/token_activity_source.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <map>

#include "sources/common/json_records.hpp"
#include "sources/workspace/fields.hpp"
#include "sources/workspace/scope_levels.hpp"

namespace keyward::sources::workspace {
namespace {

constexpr size_t kMaxEventsPerActivity = 1000;
constexpr size_t kMaxTrackedApps = 100000;
constexpr size_t kMaxRawRecordBytes = 64 * 1024;
constexpr std::string_view kDelegationOrigin = "workspace.domain_wide_delegation";

// Reads event parameters in either shape: the Reports API list of {name, value...} objects, or
// the flattened {NAME: value} object.
class Parameters {
 public:
  // `parameters` is read only when `present` is set, so events without parameters need no element.
  Parameters(simdjson::dom::element parameters, bool present) : parameters_(parameters), present_(present) {}

  std::string text(std::string_view name) const {
    std::vector<std::string> values = list(name);
    return values.empty() ? std::string() : values.front();
  }

  // The values of a parameter; a single text value is split on spaces and commas when
  // `split` is set, because scope lists arrive both ways.
  std::vector<std::string> list(std::string_view name, bool split = false) const {
    std::vector<std::string> values;
    if (!present_) return values;
    simdjson::dom::array entries;
    if (parameters_.get(entries) == simdjson::SUCCESS) {
      for (simdjson::dom::element entry : entries) {
        if (string_or_empty(entry, "name") != name) continue;
        simdjson::dom::array multi;
        if (entry["multiValue"].get(multi) == simdjson::SUCCESS) {
          append_array(multi, values);
        } else {
          for (std::string_view key : {"value", "intValue", "boolValue"}) {
            std::string value = json_text(entry, key);
            if (!value.empty()) {
              append_text(value, split, values);
              break;
            }
          }
        }
        break;
      }
      return values;
    }
    simdjson::dom::object object;
    if (parameters_.get(object) != simdjson::SUCCESS) return values;
    simdjson::dom::element value;
    if (object[name].get(value) != simdjson::SUCCESS) return values;
    simdjson::dom::array multi;
    if (value.get(multi) == simdjson::SUCCESS) {
      append_array(multi, values);
    } else {
      append_text(json_text(parameters_, name), split, values);
    }
    return values;
  }

 private:
  static void append_array(simdjson::dom::array array, std::vector<std::string>& values) {
    for (simdjson::dom::element item : array) {
      std::string_view text;
      if (item.get(text) == simdjson::SUCCESS && !text.empty()) values.emplace_back(text);
      if (values.size() >= 256) break;
    }
  }

  static void append_text(const std::string& text, bool split, std::vector<std::string>& values) {
    if (text.empty()) return;
    if (!split) {
      values.push_back(text);
      return;
    }
    for (std::string& item : split_scopes(text)) values.push_back(std::move(item));
  }

  simdjson::dom::element parameters_;
  bool present_ = false;
};

// Parses Reports API times: RFC 3339, or "2022-12-10 23:33:04.667000000" without a zone (UTC),
// as log pipelines rewrite them.
std::optional<core::UnixTime> parse_activity_time(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  if (auto time = core::parse_time(text)) return time;
  return core::parse_time(std::string(text) + "Z");
}

// The latest lifecycle fact seen for one key, so the newest wins whatever the input order
// (the Reports API lists newest first).
struct Latest {
  core::UnixTime time = 0;
  bool granted = false;
  std::string granted_by;
  std::vector<std::string> scopes;
};

struct ObservedApp {
  core::Identity identity;
  std::vector<std::string> connected_by;
  std::vector<std::string> scopes;
};

class ActivityReader {
 public:
  ActivityReader(const Input& input, ParseContext& ctx) : input_(input), ctx_(ctx) {}

  void read(simdjson::dom::element activity, const RecordPosition& position) {
    position_ = position;
    simdjson::dom::element id;
    if (activity["id"].get(id) != simdjson::SUCCESS || !id.is_object()) {
      return report("activity has no id object; expected Reports API activities.list output");
    }
    const std::string application = json_text(id, "applicationName");
    if (application != "token" && application != "admin" && application != "login") {
      ++skipped_;
      return;
    }
    const std::string time_text = json_text(id, "time");
    const auto time = parse_activity_time(time_text);
    if (!time) {
      return report(time_text.empty() ? fmt::format("{} activity has no id.time; activity skipped", application)
                                      : fmt::format("{} activity has an invalid id.time '{}'; expected RFC 3339; activity skipped",
                                                    application, time_text.substr(0, 64)));
    }
    Context context;
    context.application = application;
    context.time = *time;
    context.unique_qualifier = json_text(id, "uniqueQualifier");
    context.customer_id = json_text(id, "customerId");
    context.ip_address = json_text(activity, "ipAddress");
    context.record = simdjson::to_string(activity);
    if (context.record.size() > kMaxRawRecordBytes) context.record.clear();
    simdjson::dom::element actor;
    if (activity["actor"].get(actor) == simdjson::SUCCESS && actor.is_object()) {
      const std::string email = json_text(actor, "email");
      context.actor = email.empty() ? json_text(actor, "profileId") : lower(email);
      context.caller_type = json_text(actor, "callerType");
    }

    simdjson::dom::array events;
    if (activity["events"].get(events) == simdjson::SUCCESS) {
      size_t index = 0;
      for (simdjson::dom::element event : events) {
        if (index++ >= kMaxEventsPerActivity) {
          report(fmt::format("activity has more than {} events; the rest are skipped", kMaxEventsPerActivity));
          break;
        }
        read_event(context, event);
      }
    } else {
      // The flattened form: one event whose fields sit on the activity itself.
      read_event(context, activity);
    }
  }

  void finish() {
    for (auto& [key, latest] : tokens_) {
      const auto& [client_id, user] = key;
      // A revocation newer than every authorization removes the user's grants to the app.
      if (!latest.granted) ctx_.batch.grant_replacements.push_back({client_id, "workspace.tokens:" + user});
    }
    for (auto& [client_id, latest] : delegations_) {
      ctx_.batch.grant_replacements.push_back({client_id, std::string(kDelegationOrigin)});
      if (!latest.granted) continue;
      for (const std::string& scope : latest.scopes) {
        core::Grant grant;
        grant.platform = std::string(kPlatform);
        grant.identity_id = client_id;
        grant.actions = {scope};
        grant.resources = {"domain"};
        grant.source_policy = "domain_wide_delegation";
        grant.via = "domain_wide_delegation";
        // The client may act as any user of the domain within these scopes.
        grant.level = "admin";
        grant.resource_type = "domain";
        grant.granted_by = latest.granted_by;
        grant.origin = std::string(kDelegationOrigin);
        ctx_.batch.grants.push_back(std::move(grant));
      }
    }
    for (auto& [client_id, app] : apps_) {
      if (!app.connected_by.empty()) app.identity.attributes[std::string(core::attribute::kConnectedBy)] = app.connected_by;
      if (!app.scopes.empty()) app.identity.attributes[std::string(core::attribute::kScopes)] = app.scopes;
      ctx_.batch.observed_identities.push_back(std::move(app.identity));
    }
  }

  long long skipped() const { return skipped_; }

 private:
  struct Context {
    std::string application;
    core::UnixTime time = 0;
    std::string unique_qualifier;
    std::string customer_id;
    std::string ip_address;
    std::string actor;
    std::string caller_type;
    std::string record;  // the whole activity as JSON text, "" when larger than kMaxRawRecordBytes
  };

  void report(std::string message) {
    ctx_.errors.push_back(RecordError{input_.path, position_.offset, position_.line, std::move(message)});
  }

  ObservedApp* observe_app(const std::string& id, std::string_view kind, const std::string& name, core::UnixTime time) {
    auto found = apps_.find(id);
    if (found == apps_.end()) {
      if (apps_.size() >= kMaxTrackedApps) return nullptr;
      ObservedApp app;
      app.identity.platform = std::string(kPlatform);
      app.identity.id = id;
      app.identity.kind = std::string(kind);
      app.identity.classification = core::Classification::machine;
      app.identity.classification_reason = "OAuth client seen in the Reports API";
      app.identity.attributes[std::string(core::attribute::kThirdParty)] = true;
      found = apps_.emplace(id, std::move(app)).first;
    }
    core::Identity& identity = found->second.identity;
    if (identity.name.empty() && !name.empty()) {
      identity.name = name;
      identity.vendor = name;
      identity.attributes[std::string(core::attribute::kPublisher)] = name;
    }
    if (identity.name.empty()) identity.name = id;
    if (time != 0 && (!identity.last_used || *identity.last_used < time)) identity.last_used = time;
    return &found->second;
  }

  void record_latest(Latest& latest, core::UnixTime time, bool granted, const std::string& by, std::vector<std::string> scopes) {
    if (latest.time > time) return;
    latest = Latest{time, granted, by, std::move(scopes)};
  }

  void read_event(const Context& context, simdjson::dom::element event) {
    const std::string name = json_text(event, "name");
    const std::string type = json_text(event, "type");
    simdjson::dom::element parameters_element;
    const bool has_parameters = event["parameters"].get(parameters_element) == simdjson::SUCCESS;
    const Parameters parameters(parameters_element, has_parameters);

    core::Event out;
    out.platform = kPlatform;
    out.time = context.time;
    out.event_id = context.unique_qualifier;
    out.event_source = context.application;
    out.event_name = name;
    out.event_type = type;
    out.source_ip = context.ip_address;
    out.identity_type = context.caller_type;
    out.identity_id = context.actor;
    out.user_name = context.actor;
    out.raw_record = context.record;
    out.account_id = context.customer_id;
    // People act in admin and login events and grant or revoke tokens. A key-based caller
    // (callerType KEY) is an API client.
    out.actor_kind = context.caller_type == "KEY" ? core::ActorKind::machine : core::ActorKind::human;
    out.file = input_.path;
    out.offset = position_.offset;

    // Owners of the strings the event's views point at: they must outlive the on_event call below.
    std::string client_id, api_name, method_name, error_code, joined_scopes;
    if (context.application == "token") {
      client_id = parameters.text("client_id");
      const std::string app_name = parameters.text("app_name");
      if (client_id.empty()) return report(fmt::format("token event '{}' has no client_id parameter; event skipped", name));
      std::vector<std::string> scopes = parameters.list("scope", true);
      for (const std::string& scope : scopes) joined_scopes += (joined_scopes.empty() ? "" : " ") + scope;
      out.scopes = joined_scopes;
      out.credential_id = client_id;
      ObservedApp* app = observe_app(client_id, kAppKind, app_name, name == "activity" ? context.time : 0);
      if (name == "authorize" || name == "revoke") {
        if (app != nullptr && name == "authorize") {
          add_unique(app->connected_by, context.actor);
          for (const std::string& scope : scopes) add_unique(app->scopes, scope);
          if (!app->identity.created || *app->identity.created > context.time) app->identity.created = context.time;
        }
        if (!context.actor.empty() && tokens_.size() < kMaxTrackedApps) {
          record_latest(tokens_[{client_id, context.actor}], context.time, name == "authorize", context.actor, scopes);
        }
      } else {
        // API use by the app on the user's behalf: the app is the actor.
        out.identity_id = client_id;
        out.actor_kind = core::ActorKind::machine;
        api_name = parameters.text("api_name");
        method_name = parameters.text("method_name");
        if (!api_name.empty()) out.event_source = api_name;
        if (!method_name.empty()) out.event_name = method_name;
      }
    } else if (context.application == "admin") {
      read_admin_event(context, name, parameters);
    } else if (name == "login_failure") {
      error_code = parameters.text("login_failure_type");
      if (error_code.empty()) error_code = name;
      out.error_code = error_code;
    }
    if (out.identity_id.empty()) {
      return report(fmt::format("{} event '{}' names no actor (actor.email or actor.profileId); event skipped",
                                context.application, name));
    }
    ctx_.events.on_event(out);
  }

  void read_admin_event(const Context& context, const std::string& name, const Parameters& parameters) {
    if (name == "AUTHORIZE_API_CLIENT_ACCESS" || name == "REMOVE_API_CLIENT_ACCESS") {
      const std::string client = parameters.text("API_CLIENT_NAME");
      if (client.empty()) return report(fmt::format("{} has no API_CLIENT_NAME parameter; delegation change skipped", name));
      ObservedApp* app = observe_app(client, kAppKind, "", 0);
      if (app != nullptr) app->identity.attributes["domain_wide_delegation"] = true;
      if (delegations_.size() < kMaxTrackedApps) {
        const bool granted = name == "AUTHORIZE_API_CLIENT_ACCESS";
        record_latest(delegations_[client], context.time, granted, context.actor,
                      granted ? parameters.list("API_SCOPES", true) : std::vector<std::string>{});
      }
    } else if (name == "ADD_APPLICATION") {
      // A Marketplace app installed for the domain; APP_ID is its Marketplace id, not an OAuth client id.
      const std::string app_id = parameters.text("APP_ID");
      if (app_id.empty()) return;
      ObservedApp* app = observe_app(app_id, "workspace_marketplace_app", parameters.text("APPLICATION_NAME"), 0);
      if (app == nullptr) return;
      if (!app->identity.created || *app->identity.created > context.time) app->identity.created = context.time;
      if (!context.actor.empty()) app->identity.attributes[std::string(core::attribute::kCreatedBy)] = context.actor;
      add_unique(app->connected_by, context.actor);
    }
  }

  const Input& input_;
  ParseContext& ctx_;
  RecordPosition position_;
  long long skipped_ = 0;
  std::map<std::string, ObservedApp> apps_;
  std::map<std::pair<std::string, std::string>, Latest> tokens_;
  std::map<std::string, Latest> delegations_;
};

}  // namespace

std::string_view TokenActivitySource::name() const { return "workspace-token-activity"; }

std::string_view TokenActivitySource::description() const {
  return "Google Workspace Reports API activities (token, admin and login applications): activities.list JSON";
}

int TokenActivitySource::detect(std::string_view head, std::string_view /*path*/) const {
  const size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (head[first] != '{' && head[first] != '[')) return 0;
  if (head.find("\"admin#reports#activit") != std::string_view::npos) return 95;
  const bool activity_keys = has_json_key(head, "applicationName") && has_json_key(head, "uniqueQualifier") &&
                             has_json_key(head, "actor");
  return activity_keys ? 70 : 0;
}

core::Status TokenActivitySource::parse(const Input& input, ParseContext& ctx) const {
  ActivityReader reader(input, ctx);
  JsonRecordOptions options;
  options.envelope_keys = {"items"};
  options.record_name = "activity";
  core::Status status = for_each_json_record(input, ctx, options, [&](simdjson::dom::element activity, const RecordPosition& position) {
    // A page with no activities has no items and arrives here as one record.
    if (string_or_empty(activity, "kind") == "admin#reports#activities") return;
    reader.read(activity, position);
  });
  if (!status.ok()) return status;
  reader.finish();
  return {};
}

}  // namespace keyward::sources::workspace
