// Generates a Google Workspace domain for the shared company. It writes the people and the OAuth
// tokens they granted to the company's vendors, some with full Gmail or Drive scopes. It also
// writes a few domain-wide delegation grants and the Reports API activity of those apps.

#include "tools/generator/workspace.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "tools/generator/output_files.hpp"
#include "tools/generator/planted.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {
namespace {

constexpr std::string_view kFullMail = "https://mail.google.com/";
constexpr std::string_view kAuth = "https://www.googleapis.com/auth/";

struct App {
  const ThirdPartyVendor* vendor = nullptr;
  std::string client_id;
  std::vector<std::string> scopes;
  std::string api_name;  // the API its activity calls
  std::string method_name;
};

struct Token {
  const Employee* user = nullptr;
  const App* app = nullptr;
  core::UnixTime granted = 0;
  bool revoked = false;  // revoked inside the window, so absent from tokens.csv
};

std::string scope(std::string_view name) { return std::string(kAuth) + std::string(name); }

std::vector<std::string> scopes_for(const ThirdPartyVendor& vendor, Rng& rng, std::string& api, std::string& method) {
  std::vector<std::string> scopes = {"openid", scope("userinfo.email"), scope("userinfo.profile")};
  if (vendor.category == "productivity" || vendor.category == "genai") {
    // Meeting recorders and document tools request calendars and files, and some request full mail or Drive.
    if (!vendor.verified || rng.chance(0.2)) {
      scopes.push_back(rng.chance(0.5) ? std::string(kFullMail) : scope("drive"));
    } else {
      scopes.push_back(scope("calendar.readonly"));
      scopes.push_back(scope("drive.file"));
    }
    api = "drive";
    method = "drive.files.list";
  } else if (vendor.category == "automation") {
    scopes.push_back(std::string(kFullMail));
    scopes.push_back(scope("spreadsheets"));
    api = "gmail";
    method = "gmail.users.messages.list";
  } else if (vendor.category == "crm") {
    scopes.push_back(scope("gmail.readonly"));
    scopes.push_back(scope("calendar.events"));
    api = "gmail";
    method = "gmail.users.messages.get";
  } else {
    scopes.push_back(scope("drive.readonly"));
    api = "drive";
    method = "drive.files.get";
  }
  return scopes;
}

std::string reports_time(core::UnixTime time, Rng& rng) {
  return core::format_time(time).substr(0, 19) + fmt::format(".{:03d}Z", rng.uniform(0, 999));
}

nlohmann::json activity(const std::string& application, core::UnixTime time, const Employee& actor, const std::string& ip,
                        nlohmann::json event, Rng& rng, const std::string& customer_id, const std::string& profile_id) {
  return {{"kind", "admin#reports#activity"},
          {"id",
           {{"time", reports_time(time, rng)},
            {"uniqueQualifier", std::to_string(-static_cast<std::int64_t>(rng.uniform(1, 9'000'000'000'000'000'000LL)))},
            {"applicationName", application},
            {"customerId", customer_id}}},
          {"actor", {{"email", actor.email}, {"profileId", profile_id}, {"callerType", "USER"}}},
          {"ipAddress", ip},
          {"events", nlohmann::json::array({std::move(event)})}};
}

nlohmann::json parameter(const std::string& name, const std::string& value) { return {{"name", name}, {"value", value}}; }

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string join(const std::vector<std::string>& items, char separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace

core::Result<PlatformOutput> generate_workspace(const Company& company, const std::string& output_dir) {
  Rng rng = company.rng("workspace");
  PlatformOutput output;
  const std::string customer_id = "C0" + rng.text(7, "abcdefghijklmnopqrstuvwxyz0123456789");
  const core::UnixTime start = company.end_time - static_cast<core::UnixTime>(company.days) * core::kSecondsPerDay;

  // People: archived when they left, suspended while on leave; a few IT people are admins.
  std::map<const Employee*, std::string> profile_ids;
  nlohmann::json users = nlohmann::json::array();
  std::vector<const Employee*> admins;
  for (const Employee& employee : company.employees) {
    const std::string id = "1" + rng.text(20, "0123456789");
    profile_ids[&employee] = id;
    const bool admin = employee.department == "it" && employee.status == "active" && admins.size() < 3;
    if (admin) admins.push_back(&employee);
    nlohmann::json user = {{"kind", "admin#directory#user"},
                           {"id", id},
                           {"primaryEmail", employee.email},
                           {"name",
                            {{"givenName", employee.first_name},
                             {"familyName", employee.last_name},
                             {"fullName", employee.first_name + " " + employee.last_name}}},
                           {"isAdmin", admin},
                           {"suspended", employee.status == "suspended"},
                           {"archived", employee.status == "deprovisioned"},
                           {"creationTime", reports_time(employee.hired, rng)}};
    const core::UnixTime last_login = employee.left ? *employee.left : company.end_time - rng.uniform(600, 3 * 86400);
    user["lastLoginTime"] = reports_time(last_login, rng);
    users.push_back(std::move(user));
  }
  if (admins.empty()) admins.push_back(&company.employees.front());
  nlohmann::json users_page = {{"kind", "admin#directory#users"}, {"users", std::move(users)}};
  if (auto status = write_file(output_dir, "workspace/users.json", users_page.dump(1)); !status.ok()) return status.error();
  output.files.push_back("workspace/users.json");

  // One OAuth client per vendor.
  std::vector<App> apps;
  apps.reserve(company.vendors.size());
  for (const ThirdPartyVendor& vendor : company.vendors) {
    App app;
    app.vendor = &vendor;
    app.client_id = rng.text(12, "0123456789") + "-" + rng.text(32, "abcdefghijklmnopqrstuvwxyz0123456789") +
                    ".apps.googleusercontent.com";
    app.scopes = scopes_for(vendor, rng, app.api_name, app.method_name);
    apps.push_back(std::move(app));
  }
  output.identities += static_cast<int>(apps.size());

  // Tokens: each person connects zero to three apps, including people who have left.
  std::vector<Token> tokens;
  for (const Employee& employee : company.employees) {
    const int count = static_cast<int>(rng.weighted({35, 35, 20, 10}));
    std::vector<size_t> chosen;
    for (int i = 0; i < count; ++i) {
      const size_t index = static_cast<size_t>(rng.uniform(0, static_cast<std::int64_t>(apps.size()) - 1));
      if (std::find(chosen.begin(), chosen.end(), index) != chosen.end()) continue;
      chosen.push_back(index);
      Token token;
      token.user = &employee;
      token.app = &apps[index];
      token.granted = std::max(employee.hired, company.end_time - rng.uniform(1, 700) * core::kSecondsPerDay);
      token.revoked = employee.status == "active" && token.granted >= start && rng.chance(0.1);
      tokens.push_back(token);
    }
  }

  std::string csv = "user,clientId,displayText,anonymous,nativeApp,scopes,userKey\n";
  for (const Token& token : tokens) {
    if (token.revoked) continue;
    csv += fmt::format("{},{},{},False,False,{},{}\n", token.user->email, token.app->client_id,
                       csv_field(token.app->vendor->name), csv_field(join(token.app->scopes, ' ')), profile_ids[token.user]);
  }
  if (auto status = write_file(output_dir, "workspace/tokens.csv", csv); !status.ok()) return status.error();
  output.files.push_back("workspace/tokens.csv");

  // Token activity: authorizations and revocations inside the window, and API use by each app
  // for people who are still active.
  nlohmann::json token_items = nlohmann::json::array();
  for (const Token& token : tokens) {
    const std::string ip = fmt::format("198.51.100.{}", rng.uniform(1, 254));
    auto app_parameters = [&]() {
      return nlohmann::json::array({parameter("client_id", token.app->client_id), parameter("app_name", token.app->vendor->name),
                                    parameter("client_type", "WEB")});
    };
    if (token.granted >= start) {
      nlohmann::json parameters = app_parameters();
      parameters.push_back({{"name", "scope"}, {"multiValue", token.app->scopes}});
      token_items.push_back(activity("token", token.granted, *token.user, ip, {{"type", "auth"}, {"name", "authorize"}, {"parameters", parameters}},
                                     rng, customer_id, profile_ids[token.user]));
    }
    if (token.revoked) {
      const core::UnixTime revoked = token.granted + rng.uniform(3600, 5 * 86400);
      token_items.push_back(activity("token", std::min(revoked, company.end_time - 60), *token.user, ip,
                                     {{"type", "auth"}, {"name", "revoke"}, {"parameters", app_parameters()}}, rng,
                                     customer_id, profile_ids[token.user]));
      continue;
    }
    if (token.user->status != "active") continue;
    const int uses = static_cast<int>(rng.uniform(0, std::min(company.days, 12)));
    for (int i = 0; i < uses; ++i) {
      const core::UnixTime time = std::max(token.granted, start) + rng.uniform(0, company.end_time - std::max(token.granted, start) - 1);
      nlohmann::json parameters = app_parameters();
      parameters.push_back(parameter("api_name", token.app->api_name));
      parameters.push_back(parameter("method_name", token.app->method_name));
      parameters.push_back({{"name", "num_response_bytes"}, {"intValue", std::to_string(rng.uniform(200, 200000))}});
      token_items.push_back(activity("token", time, *token.user, fmt::format("34.{}.{}.{}", rng.uniform(64, 127), rng.uniform(0, 255), rng.uniform(1, 254)),
                                     {{"type", "auth"}, {"name", "activity"}, {"parameters", parameters}}, rng, customer_id,
                                     profile_ids[token.user]));
    }
  }
  // The injected attacks (attacks_workspace.cpp), wrapped with their own random stream so the
  // ordinary records stay the same.
  Rng attack_rng = company.rng("workspace").fork("attack-records");
  nlohmann::json attack_admin_items = nlohmann::json::array();
  for (WorkspaceActivity& attack : workspace_attacks(company, admins, output.planted)) {
    nlohmann::json item = activity(attack.application, attack.time, *attack.actor, attack.ip, std::move(attack.event),
                                   attack_rng, customer_id, profile_ids[attack.actor]);
    (attack.application == "admin" ? attack_admin_items : token_items).push_back(std::move(item));
  }
  // The Reports API lists newest first.
  std::stable_sort(token_items.begin(), token_items.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a["id"]["time"].get<std::string>() > b["id"]["time"].get<std::string>();
  });
  output.events += static_cast<long long>(token_items.size());
  nlohmann::json token_page = {{"kind", "admin#reports#activities"}, {"items", std::move(token_items)}};
  if (auto status = write_file(output_dir, "workspace/token_activity.json", token_page.dump(1)); !status.ok()) return status.error();
  output.files.push_back("workspace/token_activity.json");

  // Domain-wide delegation: a backup tool with full mail and Drive, a directory sync, and a
  // reporting job, each granted by one of the admins. Delegated Admin SDK scopes are reported by
  // nhi.privilege.admin, any other delegated scope by nhi.privilege.wildcard.
  struct Delegation {
    std::string client;
    std::vector<std::string> scopes;
    std::string purpose;
    std::string check;
  };
  const std::vector<Delegation> delegations = {
      {"1" + rng.text(20, "0123456789"), {std::string(kFullMail), scope("drive")}, "mailbox backup", "nhi.privilege.wildcard"},
      {"1" + rng.text(20, "0123456789"), {scope("admin.directory.user"), scope("admin.directory.group")}, "directory sync",
       "nhi.privilege.admin"},
      {"1" + rng.text(20, "0123456789"), {scope("admin.reports.audit.readonly")}, "audit export", "nhi.privilege.wildcard"},
  };
  nlohmann::json admin_items = nlohmann::json::array();
  for (const Delegation& delegation : delegations) {
    const Employee& admin = *admins[static_cast<size_t>(rng.uniform(0, static_cast<std::int64_t>(admins.size()) - 1))];
    const core::UnixTime time = start + rng.uniform(0, company.end_time - start - 1);
    nlohmann::json parameters = nlohmann::json::array(
        {parameter("API_CLIENT_NAME", delegation.client), {{"name", "API_SCOPES"}, {"multiValue", delegation.scopes}}});
    admin_items.push_back(activity("admin", time, admin, "203.0.113.10",
                                   {{"type", "DOMAIN_SETTINGS"}, {"name", "AUTHORIZE_API_CLIENT_ACCESS"}, {"parameters", parameters}},
                                   rng, customer_id, profile_ids[&admin]));
    output.planted.push_back(InjectedAttack{"domain-wide delegation for " + delegation.purpose, delegation.check, delegation.client});
  }
  for (auto& item : attack_admin_items) admin_items.push_back(std::move(item));
  output.identities += static_cast<int>(delegations.size());
  output.events += static_cast<long long>(admin_items.size());
  nlohmann::json admin_page = {{"kind", "admin#reports#activities"}, {"items", std::move(admin_items)}};
  if (auto status = write_file(output_dir, "workspace/admin_activity.json", admin_page.dump(1)); !status.ok()) return status.error();
  output.files.push_back("workspace/admin_activity.json");

  for (const App& app : apps) {
    if (!app.vendor->verified) {
      // TODO: reported once keyward reads an export that carries Google's verification, such as
      // the Admin console's App access control > Accessed apps list (its "Verified status").
      output.planted.push_back(unreported_posture(
          "OAuth app from unverified publisher " + app.vendor->name, app.client_id,
          "nhi.third_party.unverified_publisher does not judge Workspace: the tokens list and the Reports API token "
          "activity do not say whether Google verified the publisher"));
    }
  }
  return output;
}

}  // namespace keyward::generator
