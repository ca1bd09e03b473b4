#include "tools/generator/github.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "tools/generator/output_files.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {
namespace {

using nlohmann::json;

constexpr core::UnixTime kDay = core::kSecondsPerDay;
constexpr int kAuditDays = 3;
constexpr size_t kAuditPageSize = 100;

// An app a vendor publishes on the GitHub Marketplace, with the permissions it requests.
struct AppTemplate {
  std::string_view vendor;
  std::string slug;
  std::vector<std::pair<std::string, std::string>> permissions;
};

const std::vector<AppTemplate>& app_templates() {
  static const std::vector<AppTemplate> kApps = {
      {"CircleCI", "circleci-checks", {{"checks", "write"}, {"contents", "read"}, {"metadata", "read"}, {"statuses", "write"}}},
      {"Vercel", "vercel", {{"contents", "write"}, {"deployments", "write"}, {"metadata", "read"}, {"pull_requests", "write"}}},
      {"Snyk", "snyk-io", {{"contents", "read"}, {"metadata", "read"}, {"pull_requests", "write"}, {"administration", "write"}}},
      {"Datadog", "datadog", {{"actions", "read"}, {"checks", "read"}, {"metadata", "read"}, {"members", "read"}}},
      {"PagerDuty", "pagerduty", {{"deployments", "read"}, {"metadata", "read"}}},
      {"Atlassian", "jira", {{"contents", "read"}, {"issues", "write"}, {"metadata", "read"}, {"pull_requests", "read"}}},
      {"Zapier", "zapier", {{"contents", "read"}, {"issues", "write"}, {"members", "write"}, {"metadata", "read"}}},
      {"Anthropic", "claude", {{"contents", "write"}, {"issues", "write"}, {"metadata", "read"}, {"pull_requests", "write"}}},
      {"OpenAI", "chatgpt-codex-connector", {{"contents", "read"}, {"metadata", "read"}, {"pull_requests", "write"}}},
      {"Notion", "notion", {{"contents", "read"}, {"issues", "read"}, {"metadata", "read"}}},
  };
  return kApps;
}

constexpr std::array<std::string_view, 16> kRepositoryWords{
    "api", "web", "infra", "billing", "auth", "mobile", "data-pipeline", "terraform",
    "docs", "search", "payments", "notifications", "etl", "ml-models", "admin", "gateway"};

constexpr std::array<std::string_view, 8> kTokenNames{
    "ci deploy", "release script", "terraform", "local dev", "backup", "data sync", "metrics exporter", "bot"};

constexpr std::array<std::string_view, 6> kClassicScopeSets{
    "repo", "repo,workflow", "repo,admin:org", "read:org", "repo,read:org,write:packages", "repo,delete_repo,admin:repo_hook"};

constexpr std::array<std::string_view, 5> kGitActions{"git.clone", "git.fetch", "git.push", "repo.download_zip", "git.clone"};

// One personal access token or SSH key of an engineer, as the exports and the audit log see it.
struct Token {
  const Employee* owner = nullptr;
  std::string id;
  std::string kind;  // "classic", "fine_grained", "ssh"
  std::string name;
  std::string scopes;  // classic scopes, comma-separated
  core::UnixTime created = 0;
  std::optional<core::UnixTime> expires;
  std::optional<core::UnixTime> last_used;
  bool active_in_window = false;  // used during the audit log's days
};

struct Org {
  std::string login;
  core::UnixTime end = 0;
  std::vector<std::string> repositories;
  std::vector<Token> tokens;
  json audit = json::array();
};

std::string api_time(core::UnixTime time) { return core::format_time(time); }

json optional_time(const std::optional<core::UnixTime>& time) { return time ? json(api_time(*time)) : json(nullptr); }

std::string ip_address(Rng& rng) {
  return fmt::format("{}.{}.{}.{}", rng.pick(std::vector<int>{34, 52, 81, 92, 104, 146, 185, 203}), rng.uniform(1, 254),
                     rng.uniform(1, 254), rng.uniform(1, 254));
}

// The last time an owner could have used a token: never after they left.
core::UnixTime usable_until(const Employee& owner, core::UnixTime end) { return owner.left ? std::min(*owner.left, end) : end; }

void make_tokens(const Company& company, Org& org, Rng& rng) {
  int next_id = 1;
  for (const Employee* engineer : company.engineers()) {
    const core::UnixTime until = usable_until(*engineer, org.end);
    auto add = [&](std::string kind, double probability) {
      if (!rng.chance(probability)) return;
      Token token;
      token.owner = engineer;
      token.kind = std::move(kind);
      // Each kind gets its own id range, so ids never collide across exports.
      int id_base = 10000000;
      if (token.kind == "fine_grained") id_base = 20000000;
      if (token.kind == "ssh") id_base = 30000000;
      token.id = std::to_string(id_base + next_id++);
      token.name = std::string(rng.pick(std::vector<std::string_view>(kTokenNames.begin(), kTokenNames.end())));
      token.created = std::max(engineer->hired, until - rng.uniform(5, 700) * kDay);
      if (token.kind == "classic") token.scopes = std::string(kClassicScopeSets[static_cast<size_t>(rng.uniform(0, 5))]);
      // About a third of tokens never expire; fine-grained tokens may be set to never expire too.
      if (token.kind != "ssh" && !rng.chance(0.35)) token.expires = token.created + rng.uniform(30, 366) * kDay;
      const double unused = rng.unit();
      if (unused < 0.15) {
        token.last_used = std::nullopt;
      } else if (unused < 0.35) {
        token.last_used = std::max(token.created, until - rng.uniform(91, 400) * kDay);  // unused for 90+ days
      } else {
        token.last_used = std::max(token.created, until - rng.uniform(0, 20) * kDay);
        token.active_in_window = engineer->status == "active" && rng.chance(0.7);
      }
      org.tokens.push_back(std::move(token));
    };
    add("classic", 0.5);
    add("fine_grained", 0.3);
    add("ssh", 0.6);
  }
}

json installation_record(const Org& org, const AppTemplate& app, int id, core::UnixTime created, bool suspended) {
  json permissions = json::object();
  for (const auto& [name, access] : app.permissions) permissions[name] = access;
  return json{
      {"id", id},
      {"account", {{"login", org.login}, {"id", 9000001}, {"type", "Organization"}}},
      {"app_id", 100000 + id},
      {"app_slug", std::string(app.slug)},
      {"client_id", fmt::format("Iv1.{:016x}", static_cast<unsigned>(id) * 2654435761u)},
      {"target_id", 9000001},
      {"target_type", "Organization"},
      {"permissions", permissions},
      {"events", json::array({"push", "pull_request"})},
      {"repository_selection", id % 3 == 0 ? "selected" : "all"},
      {"created_at", api_time(created)},
      {"updated_at", api_time(created)},
      {"suspended_at", suspended ? json(api_time(created + 30 * kDay)) : json(nullptr)},
      {"suspended_by", suspended ? json{{"login", "org-admin"}, {"id", 1}} : json(nullptr)},
  };
}

json make_installations(const Company& company, Org& org, Rng& rng, int& identities) {
  json list = json::array();
  int id = 41000000;
  for (const AppTemplate& app : app_templates()) {
    const bool company_uses = std::any_of(company.vendors.begin(), company.vendors.end(),
                                          [&](const ThirdPartyVendor& vendor) { return vendor.name == app.vendor; });
    if (!company_uses || !rng.chance(0.8)) continue;
    const core::UnixTime created = org.end - rng.uniform(20, 900) * kDay;
    list.push_back(installation_record(org, app, ++id, created, rng.chance(0.1)));
    const Employee& installer = rng.pick(company.employees);
    org.audit.push_back(json{{"action", "integration_installation.create"}, {"actor", installer.login},
                             {"integration", std::string(app.slug)}, {"installation_id", id},
                             {"@timestamp", (org.end - rng.uniform(1, kAuditDays * kDay - 1)) * 1000}});
  }
  const AppTemplate own{"", org.login + "-release-bot", {{"contents", "write"}, {"metadata", "read"}, {"administration", "write"}}};
  list.push_back(installation_record(org, own, ++id, org.end - 400 * kDay, false));
  identities += static_cast<int>(list.size());
  return json{{"total_count", list.size()}, {"installations", list}};
}

json make_credential_authorizations(const Org& org, int& identities) {
  json list = json::array();
  int sso_id = 500000;
  for (const Token& token : org.tokens) {
    if (token.kind == "fine_grained") continue;
    json scopes = json::array();
    if (token.kind == "classic") {
      std::string_view rest = token.scopes;
      while (!rest.empty()) {
        const size_t comma = rest.find(',');
        scopes.push_back(std::string(rest.substr(0, comma)));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
    }
    json record = {
        {"login", token.owner->login},
        {"credential_id", ++sso_id},
        {"credential_type", token.kind == "ssh" ? "SSH key" : "personal access token"},
        {"credential_authorized_at", api_time(token.created + 60)},
        {"credential_accessed_at", optional_time(token.last_used)},
        {"authorized_credential_id", std::stoll(token.id)},
        {"authorized_credential_expires_at", optional_time(token.expires)},
    };
    if (token.kind == "ssh") {
      record["fingerprint"] = fmt::format("SHA256:{:043d}", sso_id);
      record["authorized_credential_title"] = token.owner->login + " laptop";
    } else {
      record["token_last_eight"] = fmt::format("{:08x}", static_cast<unsigned>(sso_id) * 2246822519u);
      record["scopes"] = scopes;
      record["authorized_credential_note"] = token.name;
    }
    list.push_back(std::move(record));
  }
  identities += static_cast<int>(list.size());
  return list;
}

json fine_grained_record(const Org& org, const Token& token, int grant_id, Rng& rng, bool request) {
  json repository = {{"metadata", "read"}, {"contents", rng.chance(0.6) ? "write" : "read"}};
  if (rng.chance(0.15)) repository["administration"] = "write";
  json organization = json::object();
  if (rng.chance(0.2)) organization["members"] = rng.chance(0.3) ? "write" : "read";
  const bool all = rng.chance(0.4);
  const std::string kind = request ? "personal-access-token-requests" : "personal-access-tokens";
  json record = {
      {"id", grant_id},
      {"owner", {{"login", token.owner->login}, {"id", 7000 + grant_id % 1000}, {"type", "User"}}},
      {"repository_selection", all ? "all" : "subset"},
      {"repositories_url", fmt::format("https://api.github.com/orgs/{}/{}/{}/repositories", org.login, kind, grant_id)},
      {"permissions", {{"organization", organization}, {"repository", repository}, {"other", json::object()}}},
      {"token_id", std::stoll(token.id)},
      {"token_name", token.name},
      {"token_expired", token.expires && *token.expires < org.end},
      {"token_expires_at", optional_time(token.expires)},
      {"token_last_used_at", optional_time(token.last_used)},
  };
  if (request) {
    record["reason"] = "Needed for " + token.name;
    record["created_at"] = api_time(org.end - rng.uniform(1, 5) * kDay);
  } else {
    record["access_granted_at"] = api_time(token.created + 300);
  }
  return record;
}

std::pair<json, json> make_fine_grained(Org& org, Rng& rng, int& identities) {
  json granted = json::array(), requests = json::array();
  int grant_id = 60000;
  for (const Token& token : org.tokens) {
    if (token.kind != "fine_grained") continue;
    // A few tokens of active people are still waiting for approval.
    const bool request = token.owner->status == "active" && !token.last_used && rng.chance(0.4);
    (request ? requests : granted).push_back(fine_grained_record(org, token, ++grant_id, rng, request));
    if (request) {
      org.audit.push_back(json{{"action", "personal_access_token.request_created"}, {"actor", token.owner->login},
                               {"token_id", std::stoll(token.id)}, {"programmatic_access_type", "Fine-grained personal access token"},
                               {"@timestamp", (org.end - rng.uniform(1, kAuditDays * kDay - 1)) * 1000}});
    }
  }
  identities += static_cast<int>(granted.size() + requests.size());
  return {granted, requests};
}

std::string public_key(Rng& rng) {
  // 32 random bytes after the "ssh-ed25519" header, base64-encoded as OpenSSH writes them.
  return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rng.text(43, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
}

std::string make_deploy_keys(const Company& company, const Org& org, Rng& rng, int& identities) {
  std::string out;
  int key_id = 88000000;
  const auto engineers = company.engineers();
  for (const std::string& repository : org.repositories) {
    if (!rng.chance(0.3) || engineers.empty()) continue;
    json keys = json::array();
    const int count = static_cast<int>(rng.uniform(1, 2));
    for (int i = 0; i < count; ++i) {
      const Employee& adder = *rng.pick(engineers);
      const core::UnixTime created = std::max(adder.hired, usable_until(adder, org.end) - rng.uniform(10, 900) * kDay);
      const bool used = rng.chance(0.7);
      ++key_id;
      keys.push_back(json{
          {"id", key_id},
          {"key", public_key(rng)},
          {"url", fmt::format("https://api.github.com/repos/{}/{}/keys/{}", org.login, repository, key_id)},
          {"title", rng.chance(0.5) ? "deploy" : adder.login + "-ci"},
          {"verified", true},
          {"created_at", api_time(created)},
          {"read_only", rng.chance(0.6)},
          {"added_by", adder.login},
          {"last_used", used ? json(api_time(std::max(created, org.end - rng.uniform(0, 200) * kDay))) : json(nullptr)},
          {"enabled", true},
      });
      ++identities;
    }
    out += keys.dump() + "\n";
  }
  return out;
}

json hook_record(const Org& org, const std::string& repository, int id, Rng& rng) {
  const bool insecure = rng.chance(0.08);
  const bool no_secret = rng.chance(0.12);
  json config = {{"content_type", "json"},
                 {"insecure_ssl", insecure ? "1" : "0"},
                 {"url", fmt::format("https://{}/github/{}", rng.pick(std::vector<std::string>{
                                                                "ci.internal.example.net", "hooks.slack.com", "api.vercel.com",
                                                                "events.pagerduty.com", "webhook.site"}),
                                     rng.hex(12))}};
  if (!no_secret) config["secret"] = "********";
  const core::UnixTime created = org.end - rng.uniform(10, 1000) * kDay;
  const std::string api_base = repository.empty() ? fmt::format("https://api.github.com/orgs/{}/hooks/{}", org.login, id)
                                                  : fmt::format("https://api.github.com/repos/{}/{}/hooks/{}", org.login, repository, id);
  return json{{"type", repository.empty() ? "Organization" : "Repository"},
              {"id", id},
              {"name", "web"},
              {"active", !rng.chance(0.1)},
              {"events", json::array({"push", "pull_request"})},
              {"config", config},
              {"created_at", api_time(created)},
              {"updated_at", api_time(created + rng.uniform(0, 5) * kDay)},
              {"url", api_base},
              {"last_response", {{"code", 200}, {"status", "active"}, {"message", "OK"}}}};
}

std::string make_hooks(Org& org, Rng& rng, int& identities) {
  int hook_id = 470000000;
  json org_hooks = json::array();
  for (int i = 0; i < 3; ++i) org_hooks.push_back(hook_record(org, "", ++hook_id, rng));
  identities += 3;
  std::string out = org_hooks.dump() + "\n";
  for (const std::string& repository : org.repositories) {
    if (!rng.chance(0.35)) continue;
    json hooks = json::array({hook_record(org, repository, ++hook_id, rng)});
    ++identities;
    out += hooks.dump() + "\n";
  }
  return out;
}

// Token activity, OAuth app approvals and key additions during the last kAuditDays days.
void make_audit_activity(const Company& company, Org& org, Rng& rng) {
  const core::UnixTime start = org.end - kAuditDays * kDay;
  for (const Token& token : org.tokens) {
    if (!token.active_in_window || token.kind == "ssh") continue;
    const std::string ip = ip_address(rng);
    const int count = static_cast<int>(rng.uniform(3, 25));
    for (int i = 0; i < count; ++i) {
      json record = {
          {"@timestamp", (start + rng.uniform(0, kAuditDays * kDay - 1)) * 1000 + rng.uniform(0, 999)},
          {"action", std::string(kGitActions[static_cast<size_t>(rng.uniform(0, 4))])},
          {"actor", token.owner->login},
          {"actor_ip", ip},
          {"user_agent", rng.chance(0.7) ? "git/2.43.0" : "GitHub CLI 2.62.0"},
          {"repo", org.login + "/" + rng.pick(org.repositories)},
          {"programmatic_access_type", token.kind == "classic" ? "Personal access token (classic)" : "Fine-grained personal access token"},
          {"token_id", std::stoll(token.id)},
          {"hashed_token", rng.text(43, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") + "="},
          {"operation_type", "access"},
      };
      if (token.kind == "classic") record["token_scopes"] = token.scopes;
      org.audit.push_back(std::move(record));
    }
  }
  int oauth_id = 3300;
  for (const ThirdPartyVendor& vendor : company.vendors) {
    if (!rng.chance(0.25)) continue;
    org.audit.push_back(json{{"@timestamp", (start + rng.uniform(0, kAuditDays * kDay - 1)) * 1000},
                             {"action", "org.oauth_app_access_approved"},
                             {"actor", rng.pick(company.employees).login},
                             {"actor_ip", ip_address(rng)},
                             {"oauth_application", vendor.name},
                             {"oauth_application_id", ++oauth_id},
                             {"operation_type", "modify"}});
  }
  for (const Token& token : org.tokens) {
    if (token.kind != "ssh" || token.created < start) continue;
    org.audit.push_back(json{{"@timestamp", token.created * 1000}, {"action", "public_key.create"},
                             {"actor", token.owner->login}, {"operation_type", "create"}});
  }
}

std::string make_audit_log(Org& org, Rng& rng) {
  // Every record gets the common fields, then the log is sorted newest first as the API returns it.
  for (json& record : org.audit) {
    record["org"] = org.login;
    record["created_at"] = record["@timestamp"];
    record["_document_id"] = rng.text(22, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
  }
  std::stable_sort(org.audit.begin(), org.audit.end(),
                   [](const json& a, const json& b) { return a["@timestamp"].get<long long>() > b["@timestamp"].get<long long>(); });
  std::string out;
  for (size_t start = 0; start < org.audit.size(); start += kAuditPageSize) {
    json page = json::array();
    for (size_t i = start; i < std::min(org.audit.size(), start + kAuditPageSize); ++i) page.push_back(org.audit[i]);
    out += page.dump() + "\n";
  }
  return out;
}

}  // namespace

core::Result<PlatformOutput> generate_github(const Company& company, const std::string& output_dir) {
  Rng rng = company.rng("github");
  Org org;
  org.login = company.slug;
  org.end = company.end_time;
  const size_t repository_count = std::max<size_t>(10, company.engineers().size() / 2);
  for (size_t i = 0; i < repository_count; ++i) {
    const std::string_view word = kRepositoryWords[i % kRepositoryWords.size()];
    org.repositories.push_back(i < kRepositoryWords.size() ? std::string(word) : fmt::format("{}-{}", word, i / kRepositoryWords.size() + 1));
  }

  PlatformOutput output;
  make_tokens(company, org, rng);
  const json installations = make_installations(company, org, rng, output.identities);
  const json authorizations = make_credential_authorizations(org, output.identities);
  const auto [granted, requests] = make_fine_grained(org, rng, output.identities);
  const std::string deploy_keys = make_deploy_keys(company, org, rng, output.identities);
  const std::string hooks = make_hooks(org, rng, output.identities);
  make_audit_activity(company, org, rng);
  // The injected attacks (attacks_github.cpp) on tokens active in the window.
  std::vector<GithubTokenRef> token_refs;
  for (const Token& token : org.tokens) {
    if (token.active_in_window && token.kind != "ssh") token_refs.push_back({token.id, token.owner->login, token.kind == "classic", token.scopes});
  }
  for (json& record : github_attacks(company, org.login, org.repositories, token_refs, org.end - kAuditDays * kDay, output.planted)) {
    org.audit.push_back(std::move(record));
  }
  output.events = static_cast<long long>(org.audit.size());
  const std::string audit_log = make_audit_log(org, rng);

  const std::vector<std::pair<std::string, std::string>> files = {
      {"github/installations.json", installations.dump(1) + "\n"},
      {"github/credential-authorizations.json", authorizations.dump(1) + "\n"},
      {"github/fine-grained-pats.json", granted.dump(1) + "\n"},
      {"github/fine-grained-pat-requests.json", requests.dump(1) + "\n"},
      {"github/deploy-keys.json", deploy_keys},
      {"github/hooks.json", hooks},
      {"github/audit-log.json", audit_log},
  };
  for (const auto& [relative, content] : files) {
    if (content.empty() || content == "[]\n") continue;
    auto status = write_file(output_dir, relative, content);
    if (!status.ok()) return status.error();
    output.files.push_back(relative);
  }
  return output;
}

}  // namespace keyward::generator
