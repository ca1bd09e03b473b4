// nhi.auth.snowflake_service_password: a Snowflake user that a workload signs in as, and that
// has a password: TYPE = LEGACY_SERVICE or SERVICE, or a user without a type (created before
// types existed) whose name marks it as a service account (SVC_..., ..._ETL, LOADER, ...). A
// password is a single factor that is typed into connection strings and config files, and it
// can be replayed from anywhere; Snowflake recommends key-pair or OAuth authentication for
// services (OWASP NHI4, Insecure Authentication). A user that also has an RSA key is reported at
// a lower severity, because the password is a fallback left in place.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

// Name parts that mark a user as a service account, as teams commonly name them.
const std::set<std::string> kServiceNameParts = {"SVC",      "SERVICE", "ETL",        "ELT",    "BOT",  "INTEGRATION",
                                                 "LOADER",   "LOAD",    "PIPELINE",   "SYNC",   "API",  "AUTOMATION",
                                                 "SYSTEM",   "BATCH",   "CONNECTOR",  "INGEST", "JOB",  "SCHEDULER"};

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

std::vector<std::string> name_parts(const std::string& name) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : upper(name)) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      current.push_back(c);
    } else if (!current.empty()) {
      parts.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) parts.push_back(std::move(current));
  return parts;
}

bool flag(const core::Identity& identity, const char* key) {
  const auto it = identity.attributes.find(key);
  return it != identity.attributes.end() && it->is_boolean() && it->get<bool>();
}

std::string user_type(const core::Identity& identity) {
  const auto it = identity.attributes.find("type");
  return it != identity.attributes.end() && it->is_string() ? upper(it->get<std::string>()) : std::string();
}

// Returns why the user is taken as a service user, or "" when it is not one.
std::string service_reason(const core::Identity& identity) {
  const std::string type = user_type(identity);
  if (type == "SERVICE" || type == "LEGACY_SERVICE") return fmt::format("TYPE = {}", type);
  if (!type.empty()) return "";  // PERSON, or a type Snowflake adds later
  for (const auto& part : name_parts(identity.id)) {
    if (kServiceNameParts.count(part)) return fmt::format("no TYPE set, and the name contains {}", part);
  }
  if (identity.classification == core::Classification::machine) {
    return fmt::format("no TYPE set, classified as a machine: {}", identity.classification_reason);
  }
  return "";
}

class SnowflakeServicePasswordCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.auth.snowflake_service_password"; }
  std::string_view title() const override { return "Snowflake service user authenticates with a password"; }
  core::Severity severity() const override { return core::Severity::high; }
  std::string_view owasp() const override { return "NHI4"; }
  std::string_view description() const override {
    return "A service user's password sits in connection strings and config files, works from any address and has no "
           "second factor, so one leaked file gives an attacker the service's data. Key-pair or OAuth authentication "
           "leaves nothing replayable in the client's configuration.";
  }
  std::vector<std::string_view> platforms() const override { return {"snowflake"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.platform != "snowflake" || identity.status != "active") continue;
      if (!flag(identity, "has_password")) continue;
      const std::string reason = service_reason(identity);
      if (reason.empty()) continue;
      findings.push_back(make_finding(identity, reason, inventory));
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const std::string& reason,
                             const Inventory& inventory) const {
    const core::Credential* password = nullptr;
    if (auto credentials = inventory.credentials.find(identity.id); credentials != inventory.credentials.end()) {
      for (const auto& credential : credentials->second) {
        if (credential.kind == "snowflake_password") password = &credential;
      }
    }
    core::Finding finding = start_finding(*this, identity, password);
    const bool has_key = flag(identity, "has_rsa_public_key");
    finding.severity = has_key ? core::Severity::medium : core::Severity::high;
    finding.title = has_key ? fmt::format("Snowflake service user {} keeps a password beside its RSA key", identity.id)
                            : fmt::format("Snowflake service user {} signs in with a password only", identity.id);
    finding.evidence.push_back(make_evidence(fmt::format("{} is a service user: {}", identity.id, reason)));
    finding.evidence.push_back(make_evidence(
        fmt::format("SHOW USERS: has_password = true, has_rsa_public_key = {}, has_mfa = {}", has_key ? "true" : "false",
                    flag(identity, "has_mfa") ? "true" : "false")));
    if (identity.last_used) {
      finding.evidence.push_back(
          make_evidence(fmt::format("last successful login {}", core::format_time(*identity.last_used)), identity.last_used));
    }

    const std::string& user = identity.id;
    finding.remediation = has_key ? fmt::format("Remove the password of {} once its clients all use the key pair.", user)
                                  : fmt::format("Give {} an RSA key pair, move its clients to key-pair authentication, "
                                                "then remove the password and mark the user TYPE = SERVICE.",
                                                user);
    if (!has_key) {
      finding.remediation_steps.push_back(fmt::format(
          "openssl genrsa 2048 | openssl pkcs8 -topk8 -v2 des3 -inform PEM -out {0}_key.p8 && openssl rsa -in "
          "{0}_key.p8 -pubout -out {0}_key.pub",
          upper(user)));
      finding.remediation_steps.push_back(
          fmt::format("ALTER USER {} SET RSA_PUBLIC_KEY = '<contents of {}_key.pub without the BEGIN/END lines>';", user,
                      upper(user)));
    }
    finding.remediation_steps.push_back(fmt::format("ALTER USER {} UNSET PASSWORD;", user));
    finding.remediation_steps.push_back(fmt::format("ALTER USER {} SET TYPE = SERVICE;", user));
    finding.check_first = {
        fmt::format("Which clients still sign in with the password: SELECT REPORTED_CLIENT_TYPE, CLIENT_IP, COUNT(*) "
                    "FROM SNOWFLAKE.ACCOUNT_USAGE.LOGIN_HISTORY WHERE USER_NAME = '{}' AND FIRST_AUTHENTICATION_FACTOR "
                    "= 'PASSWORD' AND EVENT_TIMESTAMP > DATEADD(day, -30, CURRENT_TIMESTAMP()) GROUP BY 1, 2;",
                    user),
        "That every one of those clients (drivers, BI tools, ETL connectors) is configured with the private key"};
    finding.safe_now = false;
    finding.safe_reason = "Unsetting the password breaks every client that still signs in with it.";
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(SnowflakeServicePasswordCheck);

}  // namespace keyward::posture
