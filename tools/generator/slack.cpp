#include "tools/generator/slack.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "tools/generator/output_files.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {
namespace {

using nlohmann::json;

constexpr std::string_view kUpperAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr int kAuditDays = 3;

struct Scope {
  std::string_view name;
  bool dangerous;
};

// Scopes apps request, with Slack's dangerous flag for those that read messages or member data.
const std::vector<Scope> kCommonScopes = {
    {"chat:write", false}, {"channels:read", false}, {"users:read", false}, {"commands", false},
    {"team:read", false},  {"reactions:write", false}, {"links:read", false},
};
const std::vector<Scope> kSensitiveScopes = {
    {"channels:history", true}, {"groups:history", true}, {"im:history", true},
    {"users:read.email", true}, {"files:read", true},     {"files:write", false},
};

struct App {
  std::string id;
  std::string name;
  std::string homepage;
  bool internal = false;
  bool verified = false;
  std::vector<Scope> scopes;
  core::UnixTime approved = 0;
  const Employee* installer = nullptr;
  std::string bot_user_id;  // empty when the app has no bot user
  bool removed = false;
};

std::string slack_id(Rng& rng, char prefix) { return prefix + rng.text(10, kUpperAlphanumeric); }

json member_json(const std::string& id, const std::string& team, const Employee& employee, bool admin, core::UnixTime end) {
  const std::string real_name = employee.first_name + " " + employee.last_name;
  return {{"id", id},
          {"team_id", team},
          {"name", employee.login},
          {"deleted", employee.status == "deprovisioned"},
          {"real_name", real_name},
          {"is_admin", admin},
          {"is_owner", false},
          {"is_bot", false},
          {"is_app_user", false},
          {"updated", employee.left.value_or(end - 86400)},
          {"profile", {{"email", employee.email}, {"real_name", real_name}, {"display_name", employee.login}}}};
}

std::vector<App> make_apps(const Company& company, Rng& rng, const std::vector<const Employee*>& people) {
  std::vector<App> apps;
  const core::UnixTime end = company.end_time;
  for (const auto& vendor : company.vendors) {
    if (!rng.chance(0.45)) continue;
    App app;
    app.id = slack_id(rng, 'A');
    app.name = vendor.name;
    app.homepage = "https://" + vendor.domain;
    app.verified = vendor.verified;
    apps.push_back(std::move(app));
  }
  for (const char* name : {"deploy-notifier", "oncall-bot", "expense-helper"}) {
    App app;
    app.id = slack_id(rng, 'A');
    app.name = name;
    app.internal = true;
    apps.push_back(std::move(app));
  }
  for (auto& app : apps) {
    const size_t common = static_cast<size_t>(rng.uniform(1, 4));
    for (size_t i = 0; i < common; ++i) {
      const Scope& scope = rng.pick(kCommonScopes);
      if (std::none_of(app.scopes.begin(), app.scopes.end(), [&](const Scope& s) { return s.name == scope.name; })) {
        app.scopes.push_back(scope);
      }
    }
    const size_t sensitive = rng.chance(0.4) ? static_cast<size_t>(rng.uniform(1, 3)) : 0;
    for (size_t i = 0; i < sensitive; ++i) {
      const Scope& scope = rng.pick(kSensitiveScopes);
      if (std::none_of(app.scopes.begin(), app.scopes.end(), [&](const Scope& s) { return s.name == scope.name; })) {
        app.scopes.push_back(scope);
      }
    }
    if (!app.internal && rng.chance(0.05)) app.scopes.push_back({"admin.users:write", true});
    app.approved = end - rng.uniform(20, 900) * core::kSecondsPerDay;
    app.installer = rng.pick(people);
    if (rng.chance(0.6)) app.bot_user_id = slack_id(rng, 'U');
    app.removed = rng.chance(0.1);
  }
  return apps;
}

json approved_apps_json(const std::vector<App>& apps, const std::string& enterprise, const std::string& admin_id) {
  json entries = json::array();
  for (const auto& app : apps) {
    if (app.removed) continue;
    json scopes = json::array();
    for (const auto& scope : app.scopes) {
      scopes.push_back({{"name", scope.name},
                        {"description", ""},
                        {"is_dangerous", scope.dangerous},
                        {"token_type", app.bot_user_id.empty() ? "user" : "bot"}});
    }
    entries.push_back({{"app",
                        {{"id", app.id},
                         {"name", app.name},
                         {"description", ""},
                         {"help_url", app.homepage.empty() ? "" : app.homepage + "/help"},
                         {"privacy_policy_url", app.homepage.empty() ? "" : app.homepage + "/privacy"},
                         {"app_homepage_url", app.homepage},
                         {"app_directory_url", app.internal ? "" : "https://slack.com/apps/" + app.id},
                         {"is_app_directory_approved", !app.internal && app.verified},
                         {"is_internal", app.internal},
                         {"additional_info", ""}}},
                       {"scopes", std::move(scopes)},
                       {"date_updated", app.approved},
                       {"last_resolved_by", {{"actor_id", admin_id}, {"actor_type", "user"}}},
                       {"enterprise", {{"id", enterprise}, {"name", "org"}}}});
  }
  return {{"ok", true}, {"approved_apps", std::move(entries)}, {"response_metadata", {{"next_cursor", ""}}}};
}

std::string scope_list(const App& app) {
  std::string out;
  for (const auto& scope : app.scopes) {
    if (!out.empty()) out += ',';
    out += scope.name;
  }
  return out;
}

// Returns the integration log entries, newest first as team.integrationLogs lists them, and the
// number of incoming webhooks created.
json integration_logs_json(const Company& company, Rng& rng, const std::vector<App>& apps,
                           const std::vector<std::pair<const Employee*, std::string>>& members, int& webhooks) {
  std::vector<json> logs;
  const core::UnixTime end = company.end_time;
  const auto member_id = [&](const Employee* employee) {
    for (const auto& [person, id] : members) {
      if (person == employee) return id;
    }
    return std::string();
  };
  for (const auto& app : apps) {
    logs.push_back({{"app_id", app.id}, {"app_type", app.name}, {"user_id", member_id(app.installer)},
                    {"user_name", app.installer->login}, {"date", std::to_string(app.approved)},
                    {"change_type", "added"}, {"scope", scope_list(app)}, {"channel", ""}});
    if (rng.chance(0.2)) {
      logs.push_back({{"app_id", app.id}, {"app_type", app.name}, {"user_id", member_id(app.installer)},
                      {"user_name", app.installer->login},
                      {"date", std::to_string(app.approved + rng.uniform(1, 15) * core::kSecondsPerDay)},
                      {"change_type", "expanded"}, {"scope", "files:write"}});
    }
    if (app.removed) {
      logs.push_back({{"app_id", app.id}, {"app_type", app.name}, {"user_id", member_id(app.installer)},
                      {"user_name", app.installer->login},
                      {"date", std::to_string(std::min(end - 3600, app.approved + 30 * core::kSecondsPerDay))},
                      {"change_type", "removed"}, {"reason", "user"}});
    }
  }
  const std::vector<const Employee*> engineers = company.engineers();
  const int webhook_count = engineers.empty() ? 0 : std::max(3, static_cast<int>(engineers.size() / 10));
  for (int i = 0; i < webhook_count; ++i) {
    const Employee* owner = rng.pick(engineers);
    const std::string service_id = std::to_string(rng.uniform(1000000000, 9999999999));
    const core::UnixTime added = std::min(owner->left.value_or(end), end) - rng.uniform(10, 600) * core::kSecondsPerDay;
    const std::string channel = rng.pick(std::vector<std::string>{"#alerts", "#deploys", "#ci", "#monitoring", "#data-jobs"});
    logs.push_back({{"service_id", service_id}, {"service_type", "Incoming WebHooks"}, {"user_id", member_id(owner)},
                    {"user_name", owner->login}, {"date", std::to_string(added)}, {"change_type", "added"},
                    {"scope", "incoming-webhook"}, {"channel", channel}});
    if (rng.chance(0.2)) {
      logs.push_back({{"service_id", service_id}, {"service_type", "Incoming WebHooks"}, {"user_id", member_id(owner)},
                      {"user_name", owner->login}, {"date", std::to_string(added + rng.uniform(1, 9) * core::kSecondsPerDay)},
                      {"change_type", "removed"}, {"channel", channel}, {"reason", "user"}});
    }
    ++webhooks;
  }
  std::sort(logs.begin(), logs.end(), [](const json& a, const json& b) {
    return std::stoll(a["date"].get<std::string>()) > std::stoll(b["date"].get<std::string>());
  });
  const size_t total = logs.size();
  return {{"ok", true},
          {"logs", std::move(logs)},
          {"paging", {{"count", total}, {"total", total}, {"page", 1}, {"pages", 1}}}};
}

json audit_entry(Rng& rng, core::UnixTime time, std::string_view action, const std::string& actor_id,
                 const Employee& actor, json entity, const std::string& enterprise, json details = nullptr) {
  json entry = {{"id", rng.uuid()},
                {"date_create", time},
                {"action", action},
                {"actor", {{"type", "user"},
                           {"user", {{"id", actor_id}, {"name", actor.first_name + " " + actor.last_name}, {"email", actor.email}}}}},
                {"entity", std::move(entity)},
                {"context", {{"location", {{"type", "enterprise"}, {"id", enterprise}, {"name", "org"}, {"domain", "org"}}},
                             {"ua", rng.chance(0.7) ? "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36"
                                                    : "Slack/4.41.105 (darwin)"},
                             {"ip_address", fmt::format("203.0.113.{}", rng.uniform(1, 254))},
                             {"session_id", std::to_string(rng.uniform(100000000, 999999999))}}}};
  if (!details.is_null()) entry["details"] = std::move(details);
  return entry;
}

json audit_logs_json(const Company& company, Rng& rng, const std::vector<App>& apps,
                     const std::vector<std::pair<const Employee*, std::string>>& members, const std::string& enterprise,
                     std::vector<InjectedAttack>& planted) {
  std::vector<json> entries;
  const core::UnixTime end = company.end_time;
  const core::UnixTime start = end - kAuditDays * core::kSecondsPerDay;
  std::vector<const std::pair<const Employee*, std::string>*> active;
  for (const auto& member : members) {
    if (member.first->status == "active") active.push_back(&member);
  }
  if (active.empty()) return {{"entries", json::array()}, {"response_metadata", {{"next_cursor", ""}}}};
  for (int day = 0; day < kAuditDays; ++day) {
    const int logins = static_cast<int>(active.size() / 4);
    for (int i = 0; i < logins; ++i) {
      const auto& member = *rng.pick(active);
      const core::UnixTime time = start + day * core::kSecondsPerDay + rng.uniform(7 * 3600, 19 * 3600);
      json entity = {{"type", "user"}, {"user", {{"id", member.second}, {"name", member.first->login}, {"email", member.first->email}}}};
      entries.push_back(audit_entry(rng, time, "user_login", member.second, *member.first, std::move(entity), enterprise));
    }
  }
  // A few app changes inside the window: installs and scope expansions.
  for (const auto& app : apps) {
    if (!rng.chance(0.25)) continue;
    const auto& member = *rng.pick(active);
    const core::UnixTime time = start + rng.uniform(0, kAuditDays * core::kSecondsPerDay - 1);
    json scopes = json::array();
    for (const auto& scope : app.scopes) scopes.push_back(scope.name);
    const bool expand = rng.chance(0.5);
    if (expand) scopes.push_back("files:write");
    json entity = {{"type", "app"},
                   {"app", {{"id", app.id}, {"name", app.name}, {"is_distributed", !app.internal},
                            {"is_directory_approved", !app.internal && app.verified}, {"is_workflow_app", false},
                            {"scopes", std::move(scopes)}}}};
    entries.push_back(audit_entry(rng, time, expand ? "app_scopes_expanded" : "app_installed", member.second,
                                  *member.first, std::move(entity), enterprise,
                                  json{{"is_internal_integration", app.internal}}));
  }
  // The injected attack (attacks_slack.cpp), with its own random stream so the ordinary entries stay the same.
  std::vector<SlackMemberRef> refs;
  for (const auto& member : members) refs.push_back({member.first, member.second});
  Rng attack_rng = company.rng("slack").fork("attack-entries");
  for (SlackAuditAction& action : slack_attacks(company, refs, start, planted)) {
    json entry = audit_entry(attack_rng, action.time, action.action, action.actor.id, *action.actor.employee, std::move(action.entity),
                             enterprise, std::move(action.details));
    entry["context"]["ip_address"] = action.ip;
    entry["context"]["ua"] = action.user_agent;
    entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(),
            [](const json& a, const json& b) { return a["date_create"].get<long long>() > b["date_create"].get<long long>(); });
  return {{"entries", std::move(entries)}, {"response_metadata", {{"next_cursor", ""}}}};
}

}  // namespace

core::Result<PlatformOutput> generate_slack(const Company& company, const std::string& output_dir) {
  Rng rng = company.rng("slack");
  const std::string team = slack_id(rng, 'T');
  const std::string enterprise = slack_id(rng, 'E');
  const core::UnixTime end = company.end_time;

  std::vector<std::pair<const Employee*, std::string>> members;
  std::vector<const Employee*> people;
  json member_list = json::array();
  int admins = 0;
  std::string admin_id;
  for (const auto& employee : company.employees) {
    const std::string id = slack_id(rng, 'U');
    const bool admin = employee.department == "it" && employee.status == "active" && admins < 2;
    if (admin) {
      ++admins;
      admin_id = id;
    }
    members.emplace_back(&employee, id);
    people.push_back(&employee);
    member_list.push_back(member_json(id, team, employee, admin, end));
  }
  if (people.empty()) return core::make_error(core::ErrorCode::invalid_argument, "the company has no employees");
  if (admin_id.empty()) admin_id = members.front().second;

  std::vector<App> apps = make_apps(company, rng, people);
  for (const auto& app : apps) {
    if (app.bot_user_id.empty()) continue;
    member_list.push_back({{"id", app.bot_user_id},
                           {"team_id", team},
                           {"name", app.name},
                           {"deleted", app.removed},
                           {"real_name", app.name},
                           {"is_admin", false},
                           {"is_owner", false},
                           {"is_bot", true},
                           {"is_app_user", false},
                           {"updated", app.approved},
                           {"profile", {{"real_name", app.name}, {"bot_id", slack_id(rng, 'B')}, {"api_app_id", app.id}}}});
  }
  member_list.push_back({{"id", "USLACKBOT"}, {"team_id", team}, {"name", "slackbot"}, {"deleted", false},
                         {"real_name", "Slackbot"}, {"is_bot", false}, {"updated", 0}, {"profile", {{"real_name", "Slackbot"}}}});

  int webhooks = 0;
  const json logs = integration_logs_json(company, rng, apps, members, webhooks);
  PlatformOutput output;
  const json audit = audit_logs_json(company, rng, apps, members, enterprise, output.planted);
  const json users = {{"ok", true}, {"members", member_list}, {"cache_ts", end}, {"response_metadata", {{"next_cursor", ""}}}};

  const std::vector<std::pair<std::string, std::string>> files = {
      {"slack/approved_apps.json", approved_apps_json(apps, enterprise, admin_id).dump(2)},
      {"slack/users_list.json", users.dump(2)},
      {"slack/integration_logs.json", logs.dump(2)},
      {"slack/audit_logs.json", audit.dump(2)},
  };
  for (const auto& [relative, content] : files) {
    if (auto status = write_file(output_dir, relative, content); !status.ok()) return status.error();
    output.files.push_back(relative);
  }
  int bots = 0;
  for (const auto& app : apps) bots += app.bot_user_id.empty() ? 0 : 1;
  output.identities = static_cast<int>(apps.size()) + bots + webhooks;
  output.events = static_cast<long long>(audit["entries"].size());
  return output;
}

}  // namespace keyward::generator
