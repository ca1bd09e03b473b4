// Generates a Snowflake account for the shared company. It has a user for each data employee and
// some engineers, SERVICE users with RSA keys, and LEGACY_SERVICE users with passwords and no
// MFA. Their sign-ins and table access cover the last days of the window.

#include "tools/generator/snowflake.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "tools/generator/output_files.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {
namespace {

// A month of history, so the baselines of sign-in detectors get past their learning week.
constexpr int kMaxHistoryDays = 30;

const std::vector<std::string>& table_names() {
  static const std::vector<std::string> kTables = {"ORDERS", "CUSTOMERS", "EVENTS", "INVOICES"};
  return kTables;
}

struct SnowflakeUser {
  std::string name;
  std::string login_name;
  std::string display_name;
  std::string email;
  std::string type;  // PERSON, SERVICE or LEGACY_SERVICE
  std::string default_role;
  std::string default_warehouse;
  std::string client_type;  // what it signs in with
  std::string client_version;
  std::vector<std::string> databases;
  bool disabled = false;
  bool has_password = false;
  bool has_rsa_key = false;
  bool has_mfa = false;
  core::UnixTime created = 0;
  const Employee* person = nullptr;
  int logins_per_day = 0;
};

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

// The snowsql default TIMESTAMP_LTZ output format, in UTC.
std::string snowflake_time(core::UnixTime time, int millis) {
  const std::string iso = core::format_time(time);
  return fmt::format("{} {}.{:03d} +0000", iso.substr(0, 10), iso.substr(11, 8), millis);
}

std::string flag(bool value) { return value ? "true" : "false"; }

std::string object_list(const std::vector<std::string>& names, std::string_view domain) {
  std::string json = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) json += ',';
    json += fmt::format(R"({{"objectDomain":"{}","objectName":"{}","columns":[]}})", domain, names[i]);
  }
  json += ']';
  // Quoted as a CSV field, because the JSON contains commas and quotes.
  std::string quoted = "\"";
  for (char c : json) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace

core::Result<PlatformOutput> generate_snowflake(const Company& company, const std::string& output_dir) {
  Rng rng = company.rng("snowflake");
  PlatformOutput output;

  std::vector<SnowflakeUser> users;
  for (const Employee& employee : company.employees) {
    if (employee.department != "data" && employee.department != "engineering") continue;
    if (employee.department == "engineering" && !rng.chance(0.3)) continue;
    SnowflakeUser user;
    user.person = &employee;
    user.name = upper(employee.login);
    std::replace(user.name.begin(), user.name.end(), '.', '_');
    user.login_name = upper(employee.email);
    user.display_name = employee.first_name + " " + employee.last_name;
    user.email = employee.email;
    user.type = "PERSON";
    user.default_role = employee.department == "data" ? "ANALYST" : "ENGINEER";
    user.default_warehouse = "ANALYTICS_WH";
    user.client_type = "SNOWFLAKE_UI";
    user.databases = {"ANALYTICS"};
    // People who left are disabled, except about one in three whose accounts were never cleaned up.
    user.disabled = employee.status != "active" && !rng.chance(0.34);
    user.has_password = true;
    user.has_mfa = rng.chance(0.7);
    user.created = employee.hired + rng.uniform(0, 30) * core::kSecondsPerDay;
    user.logins_per_day = employee.status == "active" ? static_cast<int>(rng.uniform(0, 2)) : 0;
    users.push_back(std::move(user));
  }

  struct ServiceSpec {
    const char* name;
    const char* type;
    const char* role;
    const char* warehouse;
    const char* client;
    const char* version;
    std::vector<std::string> databases;
  };
  const std::vector<ServiceSpec> services = {
      {"SVC_DBT", "SERVICE", "TRANSFORMER", "TRANSFORM_WH", "PYTHON_DRIVER", "3.12.1", {"RAW", "ANALYTICS"}},
      {"SVC_FIVETRAN", "SERVICE", "LOADER", "LOAD_WH", "JDBC_DRIVER", "3.14.4", {"RAW"}},
      {"SVC_AIRFLOW", "SERVICE", "ORCHESTRATOR", "ETL_WH", "PYTHON_DRIVER", "3.10.0", {"RAW", "ANALYTICS"}},
      {"SVC_LOOKER", "SERVICE", "REPORTER", "BI_WH", "JDBC_DRIVER", "3.13.30", {"ANALYTICS"}},
      {"SVC_SEGMENT", "SERVICE", "LOADER", "LOAD_WH", "GO_DRIVER", "1.7.0", {"RAW"}},
      {"SVC_REVERSE_ETL", "SERVICE", "REPORTER", "BI_WH", "JDBC_DRIVER", "3.14.4", {"ANALYTICS"}},
      {"LEGACY_ETL", "LEGACY_SERVICE", "SYSADMIN", "ETL_WH", "JDBC_DRIVER", "3.6.12", {"RAW", "ANALYTICS"}},
      {"TABLEAU_SVC", "LEGACY_SERVICE", "REPORTER", "BI_WH", "ODBC_DRIVER", "2.24.0", {"ANALYTICS"}},
      {"DATA_EXPORT", "LEGACY_SERVICE", "ACCOUNTADMIN", "ETL_WH", "PYTHON_DRIVER", "2.7.9", {"RAW", "ANALYTICS", "FINANCE"}},
  };
  for (const ServiceSpec& spec : services) {
    SnowflakeUser user;
    user.name = spec.name;
    user.login_name = spec.name;
    user.display_name = spec.name;
    user.type = spec.type;
    user.default_role = spec.role;
    user.default_warehouse = spec.warehouse;
    user.client_type = spec.client;
    user.client_version = spec.version;
    user.databases = spec.databases;
    // LEGACY_SERVICE users sign in with a password and cannot enroll in MFA.
    user.has_password = user.type == "LEGACY_SERVICE";
    user.has_rsa_key = user.type == "SERVICE";
    user.created = company.end_time - rng.uniform(90, 1500) * core::kSecondsPerDay;
    user.logins_per_day = static_cast<int>(rng.uniform(4, 24));
    if (user.type == "LEGACY_SERVICE") {
      output.planted.push_back(InjectedAttack{fmt::format("{} signs in with a password and no MFA", user.name),
                                              "nhi.auth.snowflake_service_password", user.name});
    }
    users.push_back(std::move(user));
    ++output.identities;
  }

  std::string users_csv =
      "name,created_on,login_name,display_name,first_name,last_name,email,mins_to_unlock,days_to_expiry,comment,disabled,"
      "must_change_password,snowflake_lock,default_warehouse,default_namespace,default_role,default_secondary_roles,"
      "ext_authn_duo,ext_authn_uid,has_mfa,has_password,has_rsa_public_key,type,owner,last_success_login,expires_at_time,"
      "locked_until_time,has_pat,has_workload_identity\n";

  // Sign-ins and queries for the last few days. Disabled users have none.
  const int days = std::min(company.days, kMaxHistoryDays);
  const core::UnixTime start = company.end_time - static_cast<core::UnixTime>(days) * core::kSecondsPerDay;
  std::string logins = "EVENT_ID,EVENT_TIMESTAMP,EVENT_TYPE,USER_NAME,CLIENT_IP,REPORTED_CLIENT_TYPE,REPORTED_CLIENT_VERSION,"
                       "FIRST_AUTHENTICATION_FACTOR,SECOND_AUTHENTICATION_FACTOR,IS_SUCCESS,ERROR_CODE,ERROR_MESSAGE,"
                       "RELATED_EVENT_ID,CONNECTION\n";
  std::string access = "QUERY_ID,QUERY_START_TIME,USER_NAME,DIRECT_OBJECTS_ACCESSED,BASE_OBJECTS_ACCESSED,OBJECTS_MODIFIED\n";
  long long event_id = 16592193114297000LL + rng.uniform(0, 1000000);
  for (SnowflakeUser& user : users) {
    std::optional<core::UnixTime> last_login;
    const std::string ip = user.type == "PERSON" ? fmt::format("198.51.100.{}", rng.uniform(1, 254))
                                                 : fmt::format("34.{}.{}.{}", rng.uniform(64, 127), rng.uniform(0, 255), rng.uniform(1, 254));
    const std::string factor = user.has_rsa_key ? "RSA_KEYPAIR" : "PASSWORD";
    const std::string second = user.type == "PERSON" && user.has_mfa ? "DUO_SECURITY" : "";
    for (int day = 0; day < days && !user.disabled; ++day) {
      for (int i = 0; i < user.logins_per_day; ++i) {
        const core::UnixTime time = start + day * core::kSecondsPerDay + rng.uniform(0, core::kSecondsPerDay - 1);
        const bool failed = rng.chance(0.03);
        logins += fmt::format("{},{},LOGIN,{},{},{},{},{},{},{},{},{},0,\n", ++event_id, snowflake_time(time, static_cast<int>(rng.uniform(0, 999))),
                              user.name, ip, user.client_type, user.client_version, factor, failed ? "" : second,
                              failed ? "NO" : "YES", failed ? "390100" : "", failed ? "INCORRECT_USERNAME_PASSWORD" : "");
        ++output.events;
        if (failed) continue;
        if (!last_login || *last_login < time) last_login = time;
        const std::string& database = user.databases[static_cast<size_t>(rng.uniform(0, static_cast<std::int64_t>(user.databases.size()) - 1))];
        const std::string table = fmt::format("{}.PUBLIC.{}", database, rng.pick(table_names()));
        const bool writes = user.type != "PERSON" && rng.chance(0.5);
        access += fmt::format("{}-0000-{}-0000-{},{},{},{},{},{}\n", rng.hex(8), rng.hex(4), rng.hex(12),
                              snowflake_time(time + rng.uniform(1, 600), 0), user.name, object_list({table}, "Table"),
                              object_list({table}, "Table"),
                              writes ? object_list({database + ".PUBLIC.DAILY_SUMMARY"}, "Table") : std::string("[]"));
        ++output.events;
      }
    }
    const Employee* person = user.person;
    std::string first_name = person != nullptr ? person->first_name : "";
    std::string last_name = person != nullptr ? person->last_name : "";
    users_csv += fmt::format("{},{},{},{},{},{},{},,,,{},false,false,{},,{},,false,,{},{},{},{},{},{},,,false,false\n", user.name,
                             snowflake_time(user.created, 0), user.login_name, user.display_name, first_name, last_name, user.email,
                             flag(user.disabled), user.default_warehouse, user.default_role, flag(user.has_mfa),
                             flag(user.has_password), flag(user.has_rsa_key), user.type,
                             user.type == "PERSON" ? "USERADMIN" : "SYSADMIN", last_login ? snowflake_time(*last_login, 0) : "");
  }

  // The injected attack (attacks_snowflake.cpp), after the ordinary rows like a later export page.
  std::vector<SnowflakeUserRef> refs;
  for (const SnowflakeUser& user : users) refs.push_back({user.name, user.type, user.has_password, !user.disabled && user.logins_per_day > 0});
  for (const SnowflakeLogin& login : snowflake_attacks(company, refs, start, output.planted)) {
    const bool failed = !login.error_code.empty();
    logins += fmt::format("{},{},LOGIN,{},{},{},{},PASSWORD,,{},{},{},0,\n", ++event_id, snowflake_time(login.time, 0), login.user,
                          login.ip, login.client_type, login.client_version, failed ? "NO" : "YES", login.error_code,
                          login.error_message);
    ++output.events;
  }

  if (auto status = write_file(output_dir, "snowflake/users.csv", users_csv); !status.ok()) return status.error();
  if (auto status = write_file(output_dir, "snowflake/login_history.csv", logins); !status.ok()) return status.error();
  if (auto status = write_file(output_dir, "snowflake/access_history.csv", access); !status.ok()) return status.error();
  output.files = {"snowflake/users.csv", "snowflake/login_history.csv", "snowflake/access_history.csv"};
  return output;
}

}  // namespace keyward::generator
