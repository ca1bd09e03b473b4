#include "tools/generator/salesforce.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "tools/generator/output_files.hpp"

namespace keyward::generator {
namespace {

using nlohmann::json;

constexpr std::string_view kApiVersion = "v61.0";

// Categories of vendors that sales and support teams connect to a CRM.
const std::vector<std::string> kCrmCategories = {"crm", "automation", "analytics", "genai", "productivity"};

struct SalesforceUser {
  std::string id;
  std::string username;
  std::string email;
  bool active = true;
  std::string user_type = "Standard";
  std::string profile;
  std::optional<core::UnixTime> last_login;
  core::UnixTime created = 0;
  const Employee* employee = nullptr;  // nullptr for integration users
};

struct ConnectedApp {
  std::string id;
  std::string name;
  core::UnixTime created = 0;
  std::string created_by;  // user id
  bool admin_approved_only = false;
};

// An 18-character record id with the object's 3-character key prefix.
std::string record_id(Rng& rng, std::string_view prefix) {
  return std::string(prefix) + "5f" + rng.text(10, kAlphanumeric) + "AAN";
}

std::string sf_time(core::UnixTime time) {
  // Salesforce writes dateTime values with milliseconds and a +0000 offset.
  std::string text = core::format_time(time);
  return text.substr(0, text.size() - 1) + ".000+0000";
}

json attributes(std::string_view type, const std::string& id) {
  return {{"type", type}, {"url", fmt::format("/services/data/{}/sobjects/{}/{}", kApiVersion, type, id)}};
}

json sf_envelope(json records) {
  const size_t size = records.size();
  return {{"status", 0}, {"result", {{"records", std::move(records)}, {"totalSize", size}, {"done", true}}}, {"warnings", json::array()}};
}

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::vector<SalesforceUser> make_users(const Company& company, Rng& rng, const std::string& org_id) {
  std::vector<SalesforceUser> users;
  const core::UnixTime end = company.end_time;
  int admins = 0;
  for (const auto& employee : company.employees) {
    const bool crm_team = employee.department == "sales" || employee.department == "support" ||
                          employee.department == "marketing" || employee.department == "finance";
    if (!crm_team && !(employee.department == "it") && !rng.chance(0.15)) continue;
    SalesforceUser user;
    user.id = record_id(rng, "005");
    user.username = employee.email;
    user.email = employee.email;
    user.employee = &employee;
    user.active = employee.status != "deprovisioned";
    user.created = std::max(employee.hired, end - 5 * 365 * core::kSecondsPerDay);
    if (employee.department == "it" && admins < 2) {
      user.profile = "System Administrator";
      ++admins;
    } else if (employee.department == "sales") {
      user.profile = rng.chance(0.1) ? "Contract Manager" : "Standard User";
    } else if (employee.department == "marketing") {
      user.profile = "Marketing User";
    } else {
      user.profile = rng.chance(0.2) ? "Read Only" : "Standard User";
    }
    const core::UnixTime last_seen = employee.left.value_or(end);
    if (!rng.chance(0.05)) user.last_login = last_seen - rng.uniform(600, 6 * core::kSecondsPerDay);
    users.push_back(std::move(user));
  }
  for (const char* name : {"mulesoft.integration", "hubspot.sync", "data.pipeline"}) {
    SalesforceUser user;
    user.id = record_id(rng, "005");
    user.username = fmt::format("{}@{}", name, company.domain);
    user.email = fmt::format("it-team@{}", company.domain);
    user.profile = "Minimum Access - API Only Integrations";
    user.created = end - rng.uniform(200, 900) * core::kSecondsPerDay;
    user.last_login = end - rng.uniform(60, 3 * core::kSecondsPerDay);
    users.push_back(std::move(user));
  }
  SalesforceUser automated;
  automated.id = record_id(rng, "005");
  automated.username = fmt::format("autoproc@{}", org_id);
  automated.user_type = "AutomatedProcess";
  automated.created = end - 1500 * core::kSecondsPerDay;
  users.push_back(std::move(automated));
  return users;
}

json users_json(const std::vector<SalesforceUser>& users) {
  json records = json::array();
  for (const auto& user : users) {
    json record = {{"attributes", attributes("User", user.id)},
                   {"Id", user.id},
                   {"Username", user.username},
                   {"Email", user.email.empty() ? json() : json(user.email)},
                   {"IsActive", user.active},
                   {"UserType", user.user_type},
                   {"LastLoginDate", user.last_login ? json(sf_time(*user.last_login)) : json()},
                   {"CreatedDate", sf_time(user.created)}};
    record["Profile"] = user.profile.empty() ? json() : json{{"attributes", {{"type", "Profile"}}}, {"Name", user.profile}};
    records.push_back(std::move(record));
  }
  return sf_envelope(std::move(records));
}

std::vector<ConnectedApp> make_apps(const Company& company, Rng& rng, const std::vector<SalesforceUser>& users) {
  std::vector<ConnectedApp> apps;
  const core::UnixTime end = company.end_time;
  std::string admin_id = users.front().id;
  for (const auto& user : users) {
    if (user.profile == "System Administrator") admin_id = user.id;
  }
  for (const auto& vendor : company.vendors) {
    if (std::find(kCrmCategories.begin(), kCrmCategories.end(), vendor.category) == kCrmCategories.end()) continue;
    if (!rng.chance(0.6)) continue;
    apps.push_back({record_id(rng, "0H4"), vendor.name, end - rng.uniform(30, 1200) * core::kSecondsPerDay,
                    rng.pick(users).id, rng.chance(0.2)});
  }
  for (const char* name : {"Salesforce CLI", "Data Loader"}) {
    apps.push_back({record_id(rng, "0H4"), name, end - 2000 * core::kSecondsPerDay, admin_id, true});
  }
  apps.push_back({record_id(rng, "0H4"), fmt::format("{} Billing Sync", company.name), end - 700 * core::kSecondsPerDay,
                  admin_id, false});
  return apps;
}

std::string apps_csv(const std::vector<ConnectedApp>& apps, Rng& rng, core::UnixTime end) {
  std::string out =
      "Id,Name,CreatedDate,CreatedById,LastModifiedDate,OptionsAllowAdminApprovedUsersOnly,"
      "OptionsRefreshTokenValidityMetric,RefreshTokenValidityPeriod\n";
  for (const auto& app : apps) {
    const core::UnixTime modified = std::min(end, app.created + rng.uniform(0, 200) * core::kSecondsPerDay);
    const bool expires_on_inactivity = rng.chance(0.3);
    out += fmt::format("{},{},{},{},{},{},{},{}\n", app.id, csv_field(app.name), sf_time(app.created), app.created_by,
                       sf_time(modified), app.admin_approved_only ? "true" : "false",
                       expires_on_inactivity ? "true" : "false", expires_on_inactivity ? "90" : "");
  }
  return out;
}

// Returns the token rows: 10% never used, 20% unused for over 90 days, the rest in use.
json tokens_json(const Company& company, Rng& rng, const std::vector<SalesforceUser>& users,
                 const std::vector<ConnectedApp>& apps) {
  json records = json::array();
  const core::UnixTime end = company.end_time;
  std::vector<const ConnectedApp*> vendor_apps;
  for (const auto& app : apps) vendor_apps.push_back(&app);
  for (const auto& user : users) {
    const bool person = user.employee != nullptr;
    const bool connects = person ? (user.employee->department == "sales" || user.employee->department == "support" ||
                                    user.employee->department == "marketing" || rng.chance(0.1))
                                 : user.user_type == "Standard";
    if (!connects) continue;
    const int count = person ? static_cast<int>(rng.uniform(1, 3)) : 1;
    for (int i = 0; i < count; ++i) {
      const ConnectedApp& app = *rng.pick(vendor_apps);
      const std::string id = record_id(rng, "0CQ");
      const core::UnixTime latest = user.employee && user.employee->left ? *user.employee->left : end;
      const core::UnixTime created = std::max(app.created, latest - rng.uniform(5, 700) * core::kSecondsPerDay);
      json record = {{"attributes", attributes("OauthToken", id)},
                     {"Id", id},
                     {"AppName", app.name},
                     {"AppMenuItemId", record_id(rng, "0Pp")},
                     {"UserId", user.id},
                     {"User", {{"attributes", {{"type", "User"}}}, {"Username", user.username}}},
                     {"CreatedDate", sf_time(created)}};
      const double roll = rng.unit();
      if (roll < 0.1) {
        record["LastUsedDate"] = nullptr;
        record["UseCount"] = 0;
      } else if (roll < 0.3) {
        const core::UnixTime last = std::max(created, latest - rng.uniform(91, 400) * core::kSecondsPerDay);
        record["LastUsedDate"] = sf_time(last);
        record["UseCount"] = rng.uniform(1, 40);
      } else {
        record["LastUsedDate"] = sf_time(std::max(created, latest - rng.uniform(60, 20 * core::kSecondsPerDay)));
        record["UseCount"] = rng.uniform(50, 20000);
      }
      records.push_back(std::move(record));
    }
  }
  return sf_envelope(std::move(records));
}

}  // namespace

core::Result<PlatformOutput> generate_salesforce(const Company& company, const std::string& output_dir) {
  Rng rng = company.rng("salesforce");
  const std::string org_id = "00D5f" + rng.text(10, kAlphanumeric);
  const std::vector<SalesforceUser> users = make_users(company, rng, org_id);
  const std::vector<ConnectedApp> apps = make_apps(company, rng, users);
  const json tokens = tokens_json(company, rng, users, apps);

  PlatformOutput output;
  const std::vector<std::pair<std::string, std::string>> files = {
      {"salesforce/oauth_tokens.json", tokens.dump(2)},
      {"salesforce/connected_apps.csv", apps_csv(apps, rng, company.end_time)},
      {"salesforce/users.json", users_json(users).dump(2)},
  };
  for (const auto& [relative, content] : files) {
    if (auto status = write_file(output_dir, relative, content); !status.ok()) return status.error();
    output.files.push_back(relative);
  }
  int integration_users = 0;
  for (const auto& user : users) integration_users += user.employee == nullptr ? 1 : 0;
  output.identities = static_cast<int>(apps.size()) + integration_users +
                      static_cast<int>(tokens["result"]["records"].size());
  return output;
}

}  // namespace keyward::generator
