#include "tools/generator/okta.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

#include "tools/generator/output_files.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {
namespace {

using nlohmann::json;

constexpr std::int64_t kDay = 86400;
// Okta writes a page of 100 System Log events by default.
constexpr size_t kEventsPerPage = 100;
// Days of System Log written, ending at company.end_time; kept short so 200 employees give a few MB.
constexpr int kLogDays = 5;
constexpr std::string_view kIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

std::string okta_time(core::UnixTime time) {
  // Okta writes milliseconds: "2026-11-29T08:12:44.000Z".
  std::string text = core::format_time(time);
  text.insert(text.size() - 1, ".000");
  return text;
}

// Okta ids are a three-character type prefix and 17 more characters.
std::string okta_id(Rng& rng, std::string_view prefix) { return std::string(prefix) + rng.text(17, kIdAlphabet); }

struct OktaUser {
  const Employee* employee = nullptr;  // null for service-account users
  std::string id;
  std::string login;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string status;  // Okta status: ACTIVE, SUSPENDED, DEPROVISIONED
  std::string user_type;
  core::UnixTime created = 0;
  std::optional<core::UnixTime> last_login;
  std::optional<core::UnixTime> status_changed;
};

struct ApiToken {
  std::string id;
  std::string name;
  const OktaUser* user = nullptr;
  core::UnixTime created = 0;
  std::optional<core::UnixTime> expires;
  bool anywhere = true;
  bool used = false;  // used during the log window
};

struct App {
  std::string id;
  std::string name;   // catalog key
  std::string label;
  std::string sign_on_mode;
  bool service = false;
  bool private_key_jwt = false;
  core::UnixTime created = 0;
  std::vector<std::string> scopes;
};

struct Org {
  std::string domain;  // example-corp.okta.com
  std::vector<OktaUser> users;
  std::vector<ApiToken> tokens;
  std::vector<App> apps;
  std::vector<const OktaUser*> admins;  // people who create tokens and grant scopes
};

std::string catalog_key(std::string_view vendor) {
  std::string key;
  for (char c : vendor) {
    if (std::isalnum(static_cast<unsigned char>(c))) key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return key;
}

void make_users(const Company& company, Rng& rng, Org& org) {
  org.users.reserve(company.employees.size() + 3);
  for (const auto& employee : company.employees) {
    OktaUser user;
    user.employee = &employee;
    user.id = okta_id(rng, "00u");
    user.login = employee.email;
    user.email = employee.email;
    user.first_name = employee.first_name;
    user.last_name = employee.last_name;
    user.status = "ACTIVE";
    if (employee.status == "deprovisioned") user.status = "DEPROVISIONED";
    if (employee.status == "suspended") user.status = "SUSPENDED";
    user.created = employee.hired;
    const core::UnixTime last_day = employee.left.value_or(company.end_time);
    user.last_login = last_day - rng.uniform(1, 3 * kDay);
    if (employee.left) user.status_changed = *employee.left;
    org.users.push_back(std::move(user));
  }
  for (std::string_view name : {"svc-scim", "svc-siem", "svc-okta-sync"}) {
    OktaUser user;
    user.id = okta_id(rng, "00u");
    user.login = fmt::format("{}@{}", name, company.domain);
    user.email = fmt::format("it-ops@{}", company.domain);
    user.first_name = std::string(name);
    user.last_name = "Service";
    user.status = "ACTIVE";
    user.user_type = "service";
    user.created = company.end_time - rng.uniform(200, 900) * kDay;
    user.last_login = user.created + rng.uniform(0, 2) * kDay;
    org.users.push_back(std::move(user));
  }
  for (const auto& user : org.users) {
    if (user.employee != nullptr && user.employee->department == "it" && user.status == "ACTIVE") org.admins.push_back(&user);
  }
  if (org.admins.empty()) org.admins.push_back(&org.users.front());
}

void make_tokens(const Company& company, Rng& rng, Org& org, PlatformOutput& output) {
  static const std::vector<std::string> kTokenNames = {"terraform", "ci-sync", "user-export", "okta-backup", "scim-test",
                                                       "audit-script", "jira-sync", "offboarding", "laptop-script"};
  // One token of a departed person is always planted, so small companies have the case too.
  const OktaUser* planted_owner = nullptr;
  for (const auto& user : org.users) {
    if (user.status == "DEPROVISIONED" && (planted_owner == nullptr || user.employee->engineer)) planted_owner = &user;
    if (planted_owner != nullptr && planted_owner->employee->engineer) break;
  }
  for (const auto& user : org.users) {
    const bool service_user = user.employee == nullptr;
    const bool planted = &user == planted_owner;
    if (!planted && !service_user && !user.employee->engineer) continue;
    if (!planted && !rng.chance(service_user ? 0.9 : 0.3)) continue;
    ApiToken token;
    token.id = okta_id(rng, "00T");
    token.name = service_user ? user.login.substr(0, user.login.find('@')) : rng.pick(kTokenNames);
    token.user = &user;
    const core::UnixTime earliest = std::max(user.created, company.end_time - 700 * kDay);
    const core::UnixTime latest = user.employee != nullptr && user.employee->left ? *user.employee->left : company.end_time - kDay;
    token.created = earliest + rng.uniform(0, std::max<std::int64_t>(0, latest - earliest));
    token.anywhere = rng.chance(0.6);
    token.used = user.status == "ACTIVE" && rng.chance(0.75);
    if (!rng.chance(0.15)) {
      // The expiry slides 30 days past the last use.
      const core::UnixTime last_use = token.used ? company.end_time - rng.uniform(0, kDay) : token.created + rng.uniform(0, 20) * kDay;
      token.expires = last_use + 30 * kDay;
    }
    if (user.status == "DEPROVISIONED") {
      output.planted.push_back(InjectedAttack{"Okta API token of a deprovisioned user", "nhi.owner.departed", token.id});
    }
    org.tokens.push_back(std::move(token));
  }
}

void make_apps(const Company& company, Rng& rng, Org& org, PlatformOutput& output) {
  static const std::vector<std::string> kServiceApps = {"SCIM provisioner", "HR sync", "SIEM export", "Offboarding bot",
                                                        "Terraform Okta", "Reporting job", "Access review", "MDM bridge"};
  static const std::vector<std::string> kReadScopes = {"okta.users.read", "okta.groups.read", "okta.apps.read", "okta.logs.read"};
  const size_t service_count = std::clamp<size_t>(company.employees.size() / 40, 3, kServiceApps.size());
  for (size_t i = 0; i < service_count; ++i) {
    App app;
    app.id = okta_id(rng, "0oa");
    app.name = "oidc_client";
    app.label = kServiceApps[i];
    app.sign_on_mode = "OPENID_CONNECT";
    app.service = true;
    app.private_key_jwt = rng.chance(0.6);
    app.created = company.end_time - rng.uniform(30, 900) * kDay;
    app.scopes.push_back(rng.pick(kReadScopes));
    if (rng.chance(0.5)) app.scopes.push_back("okta.groups.read");
    // The first app manages users, the second can mint API tokens: both are planted.
    if (i == 0 || rng.chance(0.25)) app.scopes.push_back("okta.users.manage");
    if (i == 1) {
      app.scopes.push_back("okta.apiTokens.manage");
      output.planted.push_back(InjectedAttack{"Okta service app granted okta.apiTokens.manage", "nhi.privilege.admin", app.id});
    }
    std::sort(app.scopes.begin(), app.scopes.end());
    app.scopes.erase(std::unique(app.scopes.begin(), app.scopes.end()), app.scopes.end());
    org.apps.push_back(std::move(app));
  }
  for (std::string_view label : {"Customer portal", "Internal dashboard"}) {
    App app;
    app.id = okta_id(rng, "0oa");
    app.name = "oidc_client";
    app.label = std::string(label);
    app.sign_on_mode = "OPENID_CONNECT";
    app.created = company.end_time - rng.uniform(100, 1500) * kDay;
    org.apps.push_back(std::move(app));
  }
  {
    App wiki;
    wiki.id = okta_id(rng, "0oa");
    wiki.name = fmt::format("{}_wiki_1", company.slug);
    wiki.name.erase(std::remove(wiki.name.begin(), wiki.name.end(), '-'), wiki.name.end());
    wiki.label = "Wiki";
    wiki.sign_on_mode = "SAML_2_0";
    wiki.created = company.end_time - rng.uniform(300, 2000) * kDay;
    org.apps.push_back(std::move(wiki));
  }
  for (const auto& vendor : company.vendors) {
    if (!rng.chance(0.6)) continue;
    App app;
    app.id = okta_id(rng, "0oa");
    app.name = catalog_key(vendor.name);
    app.label = vendor.name;
    app.sign_on_mode = rng.chance(0.5) ? "SAML_2_0" : rng.chance(0.5) ? "OPENID_CONNECT" : "AUTO_LOGIN";
    app.created = company.end_time - rng.uniform(10, 1500) * kDay;
    org.apps.push_back(std::move(app));
  }
}

json user_json(const OktaUser& user) {
  json profile = {{"firstName", user.first_name}, {"lastName", user.last_name}, {"mobilePhone", nullptr},
                  {"secondEmail", nullptr},       {"login", user.login},          {"email", user.email}};
  if (!user.user_type.empty()) profile["userType"] = user.user_type;
  return {
      {"id", user.id},
      {"status", user.status},
      {"created", okta_time(user.created)},
      {"activated", okta_time(user.created)},
      {"statusChanged", user.status_changed ? json(okta_time(*user.status_changed)) : json(nullptr)},
      {"lastLogin", user.last_login ? json(okta_time(*user.last_login)) : json(nullptr)},
      {"lastUpdated", okta_time(user.status_changed.value_or(user.created))},
      {"passwordChanged", okta_time(user.created)},
      {"type", {{"id", "oty1defaultusertype0"}}},
      {"profile", profile},
      {"credentials", {{"password", json::object()}, {"provider", {{"type", "OKTA"}, {"name", "OKTA"}}}}},
  };
}

json token_json(const ApiToken& token, const std::string& domain, Rng& rng) {
  json network = {{"connection", token.anywhere ? "ANYWHERE" : "ZONE"}};
  if (!token.anywhere) {
    network["include"] = json::array({okta_id(rng, "nzo")});
    network["exclude"] = json::array();
  }
  return {
      {"id", token.id},
      {"name", token.name},
      {"userId", token.user->id},
      {"clientName", "Okta API"},
      {"tokenWindow", "P30D"},
      {"created", okta_time(token.created)},
      {"lastUpdated", okta_time(token.expires ? *token.expires - 30 * kDay : token.created)},
      {"expiresAt", token.expires ? json(okta_time(*token.expires)) : json(nullptr)},
      {"network", network},
      {"_links", {{"user", {{"href", fmt::format("https://{}/api/v1/users/{}", domain, token.user->id)}}}}},
  };
}

json app_json(const App& app, const std::string& domain, Rng& rng) {
  json out = {
      {"id", app.id},
      {"name", app.name},
      {"label", app.label},
      {"status", "ACTIVE"},
      {"created", okta_time(app.created)},
      {"lastUpdated", okta_time(app.created)},
      {"signOnMode", app.sign_on_mode},
      {"features", json::array()},
      {"_links", {{"self", {{"href", fmt::format("https://{}/api/v1/apps/{}", domain, app.id)}}}}},
  };
  json credentials = {{"userNameTemplate", {{"template", "${source.login}"}, {"type", "BUILT_IN"}}}};
  json settings = {{"app", json::object()}};
  if (app.sign_on_mode == "OPENID_CONNECT") {
    std::string method = app.private_key_jwt ? "private_key_jwt" : "client_secret_basic";
    if (!app.service && app.label == "Customer portal") method = "none";
    credentials["oauthClient"] = {{"autoKeyRotation", true}, {"client_id", app.id}, {"token_endpoint_auth_method", method}};
    json oauth = {{"application_type", app.service ? "service" : "web"},
                  {"grant_types", app.service ? json::array({"client_credentials"}) : json::array({"authorization_code"})},
                  {"response_types", app.service ? json::array({"token"}) : json::array({"code"})},
                  {"consent_method", "TRUSTED"},
                  {"issuer_mode", "DYNAMIC"}};
    if (app.private_key_jwt) {
      json keys = json::array();
      const int key_count = rng.chance(0.3) ? 2 : 1;
      for (int k = 0; k < key_count; ++k) {
        // Public key material only, because a JWKS contains no secret.
        keys.push_back({{"kid", fmt::format("{}-{}", catalog_key(app.label), k + 1)}, {"kty", "RSA"}, {"alg", "RS256"},
                        {"use", "sig"}, {"e", "AQAB"}, {"n", rng.text(86, kIdAlphabet)}});
      }
      oauth["jwks"] = {{"keys", keys}};
    }
    settings["oauthClient"] = oauth;
  } else if (app.sign_on_mode == "SAML_2_0") {
    credentials["signing"] = {{"kid", rng.text(43, kIdAlphabet)}};
  }
  out["credentials"] = credentials;
  out["settings"] = settings;
  return out;
}

json grants_json(const App& app, const Org& org, const std::string& domain, Rng& rng) {
  json grants = json::array();
  for (const auto& scope : app.scopes) {
    const OktaUser* admin = rng.pick(org.admins);
    const core::UnixTime created = app.created + rng.uniform(0, 3) * kDay;
    const std::string id = okta_id(rng, "oag");
    grants.push_back({
        {"id", id},
        {"status", "ACTIVE"},
        {"created", okta_time(created)},
        {"createdBy", {{"id", admin->id}, {"type", "User"}}},
        {"lastUpdated", okta_time(created)},
        {"issuer", fmt::format("https://{}", domain)},
        {"clientId", app.id},
        {"scopeId", scope},
        {"source", "ADMIN"},
        {"_links",
         {{"app", {{"href", fmt::format("https://{}/api/v1/apps/{}", domain, app.id)}, {"title", app.label}}},
          {"self", {{"href", fmt::format("https://{}/api/v1/apps/{}/grants/{}", domain, app.id, id)}}}}},
    });
  }
  return grants;
}

// Builds System Log events; each call appends one LogEvent.
class LogWriter {
 public:
  LogWriter(Rng& rng) : rng_(rng) {}

  void add(core::UnixTime time, std::string_view event_type, std::string_view message, const json& actor, std::string_view ip,
           std::string_view user_agent, const json& targets, std::string_view token_id = {}, std::string_view failure = {}) {
    json transaction_detail = json::object();
    if (!token_id.empty()) transaction_detail["requestApiTokenId"] = std::string(token_id);
    json outcome = {{"result", failure.empty() ? "SUCCESS" : "FAILURE"}, {"reason", failure.empty() ? json(nullptr) : json(failure)}};
    events_.push_back({
        {"uuid", rng_.uuid()},
        {"published", okta_time(time)},
        {"eventType", event_type},
        {"version", "0"},
        {"severity", failure.empty() ? "INFO" : "WARN"},
        {"displayMessage", message},
        {"actor", actor},
        {"client",
         {{"userAgent", {{"rawUserAgent", user_agent}, {"os", "Unknown"}, {"browser", "UNKNOWN"}}},
          {"zone", "null"},
          {"device", "Unknown"},
          {"id", nullptr},
          {"ipAddress", ip},
          {"geographicalContext", nullptr}}},
        {"outcome", outcome},
        {"target", targets},
        {"authenticationContext", {{"authenticationProvider", nullptr}, {"credentialType", nullptr}, {"externalSessionId", nullptr}}},
        // Okta leaves securityContext empty for most API calls.
        {"securityContext", {{"asNumber", nullptr}, {"asOrg", nullptr}, {"isp", nullptr}, {"domain", nullptr}, {"isProxy", nullptr}}},
        {"transaction", {{"type", "WEB"}, {"id", rng_.text(27, kIdAlphabet)}, {"detail", transaction_detail}}},
        {"debugContext", {{"debugData", json::object()}}},
    });
    times_.push_back(time);
  }

  // Returns the events as pages of kEventsPerPage, one JSON array per line, oldest first.
  std::string pages() {
    std::vector<size_t> order(events_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return times_[a] < times_[b]; });
    std::string out;
    for (size_t begin = 0; begin < order.size(); begin += kEventsPerPage) {
      json page = json::array();
      for (size_t i = begin; i < std::min(order.size(), begin + kEventsPerPage); ++i) page.push_back(events_[order[i]]);
      out += page.dump();
      out += '\n';
    }
    return out;
  }

  size_t size() const { return events_.size(); }

 private:
  Rng& rng_;
  std::vector<json> events_;
  std::vector<core::UnixTime> times_;
};

json user_actor(const OktaUser& user) {
  return {{"id", user.id}, {"type", "User"}, {"alternateId", user.login}, {"displayName", user.first_name + " " + user.last_name}};
}

json app_actor(const App& app) {
  return {{"id", app.id}, {"type", "PublicClientApp"}, {"alternateId", app.id}, {"displayName", app.label}};
}

std::string ip_of(Rng& rng, int network) {
  // Documentation ranges (RFC 5737), one per kind of network so enrichment finds nothing real.
  static const char* kPrefixes[] = {"192.0.2.", "198.51.100.", "203.0.113."};
  return fmt::format("{}{}", kPrefixes[network % 3], rng.uniform(1, 254));
}

void write_log(const Company& company, Rng& rng, const Org& org, LogWriter& log) {
  static const std::vector<std::string> kTokenCalls = {"user.lifecycle.create", "user.account.update_profile",
                                                       "group.user_membership.add", "application.user_membership.add",
                                                       "user.lifecycle.deactivate"};
  const core::UnixTime start = company.end_time - kLogDays * kDay;
  for (const auto& token : org.tokens) {
    if (token.created >= start && token.created < company.end_time) {
      log.add(token.created, "system.api_token.create", "Create API token", user_actor(*token.user), ip_of(rng, 2),
              "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
              json::array({{{"id", token.id}, {"type", "Token"}, {"alternateId", "unknown"}, {"displayName", token.name}}}));
    }
    if (!token.used) continue;
    const std::string ip = ip_of(rng, token.anywhere ? 1 : 0);
    for (int day = 0; day < kLogDays; ++day) {
      const int calls = static_cast<int>(rng.uniform(1, 6));
      for (int c = 0; c < calls; ++c) {
        const core::UnixTime time = start + day * kDay + rng.uniform(0, kDay - 1);
        const OktaUser& target = org.users[static_cast<size_t>(rng.uniform(0, static_cast<std::int64_t>(org.users.size()) - 1))];
        log.add(time, rng.pick(kTokenCalls), "API call with token", user_actor(*token.user), ip, "okta-sdk-python/2.9.2 python/3.11.4",
                json::array({{{"id", target.id}, {"type", "User"}, {"alternateId", target.login}, {"displayName", target.first_name}}}),
                token.id);
      }
    }
  }
  for (const auto& app : org.apps) {
    if (!app.service) continue;
    const std::string ip = ip_of(rng, 0);
    for (int day = 0; day < kLogDays; ++day) {
      for (int hour = 0; hour < 24; hour += 6) {
        const core::UnixTime time = start + day * kDay + hour * 3600 + rng.uniform(0, 3599);
        const bool failed = rng.chance(0.03);
        log.add(time, "app.oauth2.as.token.grant.access_token", "OAuth2 access token is granted", app_actor(app), ip,
                "Go-http-client/2.0", json::array(), {}, failed ? "invalid_client" : "");
      }
    }
  }
  // Sign-ins of a sample of active people, so tokens are seen among ordinary activity.
  for (const auto& user : org.users) {
    if (user.employee == nullptr || user.status != "ACTIVE" || !rng.chance(0.3)) continue;
    const core::UnixTime time = start + rng.uniform(0, kLogDays * kDay - 1);
    log.add(time, "user.session.start", "User login to Okta", user_actor(user), ip_of(rng, 2),
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
            json::array(), {}, rng.chance(0.05) ? "INVALID_CREDENTIALS" : "");
  }
}

std::string json_array_text(const json& array) { return array.dump(2) + "\n"; }

}  // namespace

core::Result<PlatformOutput> generate_okta(const Company& company, const std::string& output_dir) {
  Rng rng = company.rng("okta");
  PlatformOutput output;
  Org org;
  org.domain = company.slug + ".okta.com";
  make_users(company, rng, org);
  make_tokens(company, rng, org, output);
  make_apps(company, rng, org, output);

  json users = json::array();
  for (const auto& user : org.users) users.push_back(user_json(user));
  json tokens = json::array();
  for (const auto& token : org.tokens) tokens.push_back(token_json(token, org.domain, rng));
  json apps = json::array();
  for (const auto& app : org.apps) apps.push_back(app_json(app, org.domain, rng));
  std::string grants;
  for (const auto& app : org.apps) {
    if (app.service) grants += grants_json(app, org, org.domain, rng).dump() + "\n";
  }
  LogWriter log(rng);
  write_log(company, rng, org, log);
  // The injected attack (attacks_okta.cpp): a token that works from any network, and people it acts on.
  std::vector<OktaTokenRef> token_refs;
  for (const auto& token : org.tokens) {
    if (token.anywhere && token.user->status == "ACTIVE") token_refs.push_back({token.id, token.name, user_actor(*token.user), token.used});
  }
  std::vector<json> targets;
  for (const auto& user : org.users) {
    if (user.employee != nullptr && user.status == "ACTIVE" && targets.size() < 50) {
      targets.push_back({{"id", user.id}, {"type", "User"}, {"alternateId", user.login}, {"displayName", user.first_name}});
    }
  }
  for (const OktaLogEvent& event : okta_attacks(company, token_refs, targets, company.end_time - kLogDays * kDay, output.planted)) {
    log.add(event.time, event.event_type, event.message, event.actor, event.ip, event.user_agent, event.targets, event.token_id);
  }

  const std::vector<std::pair<std::string, std::string>> files = {
      {"okta/users.json", json_array_text(users)},
      {"okta/api-tokens.json", json_array_text(tokens)},
      {"okta/apps.json", json_array_text(apps)},
      {"okta/app-grants.json", grants},
      {"okta/system-log.json", log.pages()},
  };
  for (const auto& [path, content] : files) {
    if (auto status = write_file(output_dir, path, content); !status) return status.error();
    output.files.push_back(path);
  }
  for (const auto& user : org.users) {
    if (user.employee == nullptr) ++output.identities;
  }
  output.identities += static_cast<int>(org.tokens.size() + org.apps.size());
  output.events = static_cast<long long>(log.size());
  return output;
}

}  // namespace keyward::generator
