// Reads `admin.apps.approved.list` responses (Enterprise Grid App Management API):
//   {"ok": true, "approved_apps": [{"app": {"id", "name", "is_internal", "is_app_directory_approved",
//     "app_homepage_url", ...}, "scopes": [{"name", "description", "is_dangerous" or "is_sensitive",
//     "token_type"}], "date_updated", "last_resolved_by": {"actor_id", "actor_type"},
//     "enterprise", "team"}], "response_metadata": {"next_cursor"}}
// Pages may be concatenated or one per line. Each approved app becomes a slack_app identity
// with one grant per scope.

#include "sources/slack/approved_apps_source.hpp"

#include <fmt/format.h>

#include "sources/common/json_records.hpp"
#include "sources/slack/scope_levels.hpp"
#include "sources/slack/slack_common.hpp"

namespace keyward::sources::slack {
namespace {

namespace attribute = core::attribute;

constexpr std::string_view kOrigin = "slack.approved_apps";
constexpr size_t kMaxScopes = 500;

void report(ParseContext& ctx, const std::string& file, const RecordPosition& position, std::string message) {
  ctx.errors.push_back(RecordError{file, position.offset, position.line, std::move(message)});
}

bool bool_or(simdjson::dom::element object, std::string_view key, bool fallback) {
  bool value = fallback;
  if (object[key].get(value) != simdjson::SUCCESS) return fallback;
  return value;
}

void read_entry(simdjson::dom::element entry, const RecordPosition& position, const std::string& file, ParseContext& ctx) {
  if (entry["ok"].error() == simdjson::SUCCESS && entry["approved_apps"].error() != simdjson::SUCCESS) {
    // A page whose approved_apps is missing: an error response such as {"ok": false, "error": "not_allowed"}.
    const std::string_view error = string_or_empty(entry, "error");
    return report(ctx, file, position,
                  fmt::format("response without approved_apps (error \"{}\"); call admin.apps.approved.list with a token "
                              "that has admin.apps:read",
                              error.substr(0, 100)));
  }
  simdjson::dom::element app;
  if (entry["app"].get(app) != simdjson::SUCCESS || !app.is_object()) {
    return report(ctx, file, position, "approved app without an \"app\" object; entry skipped");
  }
  const std::string_view id = string_or_empty(app, "id");
  if (id.empty()) return report(ctx, file, position, "approved app without app.id; entry skipped");

  const std::string_view name = string_or_empty(app, "name");
  core::Identity identity = make_app(id, name.empty() ? id : name);
  const bool internal = bool_or(app, "is_internal", false);
  identity.vendor = internal ? "" : std::string(name);
  identity.account = std::string(id_or_string(entry, "enterprise"));
  if (identity.account.empty()) identity.account = std::string(id_or_string(entry, "team"));
  identity.attributes[std::string(attribute::kThirdParty)] = !internal;
  bool directory_approved = false;
  if (app["is_app_directory_approved"].get(directory_approved) == simdjson::SUCCESS) {
    identity.attributes[std::string(attribute::kPublisherVerified)] = directory_approved;
  }
  for (const char* key : {"app_homepage_url", "app_directory_url", "privacy_policy_url"}) {
    const std::string_view value = string_or_empty(app, key);
    if (!value.empty()) identity.attributes[key] = std::string(value.substr(0, 2048));
  }
  simdjson::dom::element updated;
  if (entry["date_updated"].get(updated) == simdjson::SUCCESS) {
    if (const auto time = slack_time(updated)) identity.attributes["approved_at"] = core::format_time(*time);
  }
  std::string approver;
  simdjson::dom::element resolved_by;
  if (entry["last_resolved_by"].get(resolved_by) == simdjson::SUCCESS && resolved_by.is_object()) {
    approver = std::string(string_or_empty(resolved_by, "actor_id"));
    if (!approver.empty()) identity.attributes["approved_by"] = approver;
  }

  std::vector<std::string> scope_names;
  nlohmann::json dangerous = nlohmann::json::array();
  simdjson::dom::array scopes;
  if (entry["scopes"].get(scopes) == simdjson::SUCCESS) {
    for (simdjson::dom::element scope : scopes) {
      if (scope_names.size() >= kMaxScopes) {
        report(ctx, file, position, fmt::format("app {} lists over {} scopes; the rest are ignored", id, kMaxScopes));
        break;
      }
      const std::string_view scope_name = string_or_empty(scope, "name");
      if (scope_name.empty()) continue;
      scope_names.emplace_back(scope_name);
      // Slack's documentation calls the flag is_dangerous; the Node SDK types call it is_sensitive.
      if (bool_or(scope, "is_dangerous", false) || bool_or(scope, "is_sensitive", false)) add_unique(dangerous, scope_name);

      core::Grant grant;
      grant.platform = std::string(kPlatform);
      grant.identity_id = identity.id;
      grant.actions = {std::string(scope_name)};
      grant.resources = {identity.account.empty() ? std::string("workspace") : identity.account};
      grant.level = scope_level(scope_name);
      grant.resource_type = "workspace";
      grant.granted_by = approver;
      grant.origin = std::string(kOrigin);
      const std::string_view token_type = string_or_empty(scope, "token_type");
      if (!token_type.empty()) grant.via = std::string(token_type);
      ctx.batch.grants.push_back(std::move(grant));
    }
  }
  identity.attributes[std::string(attribute::kScopes)] = scope_names;
  if (!dangerous.empty()) identity.attributes["dangerous_scopes"] = dangerous;
  const std::string privilege = app_privilege(scope_names);
  if (!privilege.empty()) identity.attributes[std::string(attribute::kPrivilege)] = privilege;

  ctx.batch.grant_replacements.push_back(store::GrantReplacement{identity.id, std::string(kOrigin)});
  ctx.batch.identities.push_back(std::move(identity));
}

}  // namespace

std::string_view ApprovedAppsSource::name() const { return "slack-approved-apps"; }

std::string_view ApprovedAppsSource::description() const {
  return "Slack apps approved for the org or workspace: admin.apps.approved.list responses, one or many pages";
}

int ApprovedAppsSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (has_json_key(head, "approved_apps")) return 90;
  // A bare array of approved app entries (for example `jq '.approved_apps[]'` output).
  if (has_json_key(head, "last_resolved_by") && has_json_key(head, "is_app_directory_approved")) return 80;
  return 0;
}

core::Status ApprovedAppsSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.envelope_keys = {"approved_apps"};
  options.record_name = "approved app";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element entry, const RecordPosition& position) {
    read_entry(entry, position, input.path, ctx);
  });
}

}  // namespace keyward::sources::slack
