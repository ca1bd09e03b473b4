// Reads GET /orgs/{org}/installations:
//   {"total_count": 2, "installations": [{"id", "app_id", "app_slug", "client_id",
//    "account": {"login", "type"}, "repository_selection", "permissions": {"contents": "read"},
//    "events", "created_at", "updated_at", "suspended_at", "suspended_by", "target_type"}]}
// `gh api --paginate` prints one such object per page; a bare array of installations
// (`--jq .installations`) is read too.

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <utility>

#include "sources/github/github_json.hpp"
#include "sources/github/github_sources.hpp"
#include "sources/github/permission_levels.hpp"

namespace keyward::sources::github {
namespace {

constexpr std::string_view kOrigin = "github.installations";

// Vendors of well-known apps whose slug does not spell the vendor's name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kKnownSlugs{{
    {"dependabot", "GitHub"},
    {"github-actions", "GitHub"},
    {"renovate", "Mend"},
    {"circleci-checks", "CircleCI"},
    {"codecov", "Codecov"},
    {"jira", "Atlassian"},
    {"jira-software-github", "Atlassian"},
    {"sonarcloud", "SonarSource"},
    {"snyk-io", "Snyk"},
    {"vercel", "Vercel"},
    {"netlify", "Netlify"},
    {"slack", "Slack"},
    {"azure-boards", "Microsoft"},
    {"google-cloud-build", "Google"},
    {"pagerduty", "PagerDuty"},
    {"hubspot", "HubSpot"},
    {"claude", "Anthropic"},
    {"chatgpt-codex-connector", "OpenAI"},
    {"datadog", "Datadog"},
}};

// Returns the vendor for an app slug: a known slug's vendor, else the slug's words capitalized
// ("hugging-face" -> "Hugging Face").
std::string vendor_from_slug(std::string_view slug) {
  for (const auto& [known, vendor] : kKnownSlugs) {
    if (known == slug) return std::string(vendor);
  }
  std::string vendor;
  bool word_start = true;
  for (char c : slug.substr(0, 128)) {
    if (c == '-' || c == '_') {
      vendor.push_back(' ');
      word_start = true;
      continue;
    }
    vendor.push_back(word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    word_start = false;
  }
  return vendor;
}

// Adds one grant per permission of the installation or token. Returns the number added.
size_t add_permission_grants(simdjson::dom::object permissions, const std::string& identity_id, const std::string& org,
                             std::string_view repository_selection, std::string_view origin, ParseContext& ctx) {
  size_t added = 0;
  for (auto [name, value] : permissions) {
    if (added >= kMaxPermissionsPerRecord) break;
    std::string_view access;
    if (value.get(access) != simdjson::SUCCESS) continue;
    core::Grant grant;
    grant.platform = "github";
    grant.identity_id = identity_id;
    grant.actions = {fmt::format("{}:{}", name, access)};
    grant.level = std::string(permission_level(name, access));
    grant.resource_type = std::string(permission_resource_type(name));
    // Without the organization's login (a token export may not name it), "*" stands for it.
    const std::string owner = org.empty() ? std::string("*") : org;
    if (grant.resource_type == "repository") {
      grant.resources = {repository_selection == "all" ? owner + "/*" : owner + "/(selected repositories)"};
    } else {
      grant.resources = {owner};
    }
    grant.origin = std::string(origin);
    ctx.batch.grants.push_back(std::move(grant));
    ++added;
  }
  return added;
}

void read_installation(simdjson::dom::element record, const Input& input, const RecordPosition& position,
                       ParseContext& ctx) {
  const std::string id = read_id(record, "id");
  const std::string_view slug = string_or_empty(record, "app_slug");
  if (id.empty()) return report(ctx, input, position, "installation has no id; add the id field or re-export it with `gh api`; skipped");
  if (slug.empty()) return report(ctx, input, position, fmt::format("installation {} has no app_slug; skipped", id));

  simdjson::dom::element account;
  std::string org;
  if (record["account"].get(account) == simdjson::SUCCESS && account.is_object()) {
    org = std::string(string_or_empty(account, "login"));
  }

  core::Identity identity;
  identity.platform = "github";
  identity.id = "installation:" + id;
  identity.kind = "github_app_installation";
  identity.name = std::string(slug);
  identity.account = org;
  identity.vendor = vendor_from_slug(slug);
  identity.created = read_time(record, "created_at");
  identity.classification = core::Classification::machine;
  identity.classification_reason = "GitHub App installation";
  const auto suspended_at = read_time(record, "suspended_at");
  if (suspended_at) identity.status = "disabled";

  // The endpoint does not name the app's owner. An app whose slug starts with the organization's
  // login is taken as the organization's own app.
  // NOTE: an org-owned app with another slug is reported as third party.
  const bool own_app = !org.empty() && (slug == org || slug.rfind(org + "-", 0) == 0);
  auto& attributes = identity.attributes;
  attributes[std::string(core::attribute::kThirdParty)] = !own_app;
  attributes[std::string(core::attribute::kAliases)] = nlohmann::json::array({"app:" + std::string(slug)});
  attributes["app_id"] = read_id(record, "app_id");
  if (auto client_id = string_or_empty(record, "client_id"); !client_id.empty()) {
    attributes["client_id"] = std::string(client_id);
    attributes[std::string(core::attribute::kAliases)].push_back("oauth-app:" + std::string(client_id));
  }
  const std::string_view repository_selection = string_or_empty(record, "repository_selection");
  attributes["repository_selection"] = std::string(repository_selection);
  attributes["target_type"] = std::string(string_or_empty(record, "target_type"));
  if (auto updated = read_time(record, "updated_at")) attributes["updated_at"] = core::format_time(*updated);
  if (suspended_at) {
    attributes["suspended_at"] = core::format_time(*suspended_at);
    simdjson::dom::element suspended_by;
    if (record["suspended_by"].get(suspended_by) == simdjson::SUCCESS && suspended_by.is_object()) {
      attributes["suspended_by"] = std::string(string_or_empty(suspended_by, "login"));
    }
  }
  simdjson::dom::array events;
  if (record["events"].get(events) == simdjson::SUCCESS) {
    nlohmann::json list = nlohmann::json::array();
    for (simdjson::dom::element event : events) {
      std::string_view name;
      if (event.get(name) == simdjson::SUCCESS && list.size() < kMaxPermissionsPerRecord) list.push_back(std::string(name));
    }
    attributes["events"] = std::move(list);
  }

  simdjson::dom::object permissions;
  nlohmann::json scopes = nlohmann::json::array();
  if (record["permissions"].get(permissions) == simdjson::SUCCESS) {
    add_permission_grants(permissions, identity.id, org, repository_selection, kOrigin, ctx);
    for (auto [name, value] : permissions) {
      std::string_view access;
      if (value.get(access) == simdjson::SUCCESS && scopes.size() < kMaxPermissionsPerRecord) {
        scopes.push_back(fmt::format("{}:{}", name, access));
      }
    }
  }
  attributes[std::string(core::attribute::kScopes)] = std::move(scopes);

  ctx.batch.grant_replacements.push_back(store::GrantReplacement{identity.id, std::string(kOrigin)});
  ctx.batch.identities.push_back(std::move(identity));
}

}  // namespace

// Shared with the fine-grained token source, which grants per permission the same way.
size_t add_github_permission_grants(simdjson::dom::object permissions, const std::string& identity_id,
                                    const std::string& org, std::string_view repository_selection,
                                    std::string_view origin, ParseContext& ctx) {
  return add_permission_grants(permissions, identity_id, org, repository_selection, origin, ctx);
}

std::string_view InstallationsSource::name() const { return "github-installations"; }

std::string_view InstallationsSource::description() const {
  return "GitHub App installations: `gh api --paginate /orgs/ORG/installations`";
}

int InstallationsSource::detect(std::string_view head, std::string_view /*path*/) const {
  const char first = first_significant_byte(head);
  if (first != '{' && first != '[') return 0;
  if (!has_json_key(head, "app_slug") || !has_json_key(head, "repository_selection")) return 0;
  if (has_json_key(head, "installations")) return 90;
  return has_json_key(head, "target_type") || has_json_key(head, "app_id") ? 80 : 0;
}

core::Status InstallationsSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.envelope_keys = {"installations"};
  options.record_name = "installation";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    if (record["installations"].error() == simdjson::SUCCESS) return;  // an empty page envelope
    read_installation(record, input, position, ctx);
  });
}

}  // namespace keyward::sources::github
