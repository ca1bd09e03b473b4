// Reads the OauthToken query: one row per user's authorization of a connected app.
//   sf data query --json --query "SELECT Id, AppName, AppMenuItemId, UserId, User.Username,
//     CreatedDate, LastUsedDate, UseCount FROM OauthToken"
// Each row becomes a Credential of the app identity; the app identity collects the usernames
// that authorized it. The token columns AccessToken, RequestToken and DeleteToken are never read.

#include "sources/salesforce/oauth_tokens_source.hpp"

#include <fmt/format.h>

#include <charconv>
#include <unordered_map>

#include "sources/salesforce/connected_app.hpp"
#include "sources/salesforce/soql_records.hpp"

namespace keyward::sources::salesforce {
namespace {

namespace attribute = core::attribute;

constexpr size_t kMaxNameBytes = 255;  // AppName is a string(255) field

struct TokenReader {
  ParseContext& ctx;
  const std::string& file;
  std::unordered_map<std::string, size_t> app_index;  // identity id -> position in ctx.batch.identities

  void report(const SoqlRecord& record, std::string message) {
    ctx.errors.push_back(RecordError{file, record.position().offset, record.position().line, std::move(message)});
  }

  core::Identity& app(const std::string& name) {
    const std::string id = connected_app_id(name);
    auto found = app_index.find(id);
    if (found != app_index.end()) return ctx.batch.identities[found->second];
    app_index.emplace(id, ctx.batch.identities.size());
    core::Identity identity = make_connected_app(name);
    identity.attributes[std::string(attribute::kConnectedBy)] = nlohmann::json::array();
    ctx.batch.identities.push_back(std::move(identity));
    return ctx.batch.identities.back();
  }

  void read(const SoqlRecord& record) {
    const std::string app_name = record.get("AppName");
    if (app_name.empty()) return report(record, "missing AppName; add AppName to the SELECT list; token skipped");
    if (app_name.size() > kMaxNameBytes) return report(record, "AppName is over 255 characters; token skipped");

    const std::string user_id = record.get("UserId");
    const std::string username = record.get("User.Username");
    const std::string created_text = record.get("CreatedDate");
    const std::string last_used_text = record.get("LastUsedDate");
    const auto created = parse_salesforce_time(created_text);
    const auto last_used = parse_salesforce_time(last_used_text);
    if (!created_text.empty() && !created) {
      return report(record, fmt::format("CreatedDate '{}' is not a Salesforce dateTime; token skipped", created_text.substr(0, 40)));
    }
    if (!last_used_text.empty() && !last_used) {
      return report(record, fmt::format("LastUsedDate '{}' is not a Salesforce dateTime; token skipped", last_used_text.substr(0, 40)));
    }

    core::Identity& identity = app(app_name);
    const std::string menu_item = record.get("AppMenuItemId");
    if (!menu_item.empty()) add_unique(identity.attributes[std::string(attribute::kAliases)], menu_item, 16);
    add_unique(identity.attributes[std::string(attribute::kConnectedBy)], username.empty() ? user_id : username);
    if (last_used && (!identity.last_used || *last_used > *identity.last_used)) identity.last_used = last_used;
    if (created && (!identity.created || *created < *identity.created)) identity.created = created;

    core::Credential credential;
    credential.platform = std::string(kPlatform);
    credential.identity_id = identity.id;
    credential.kind = "salesforce_oauth_token";
    credential.id = record.get("Id");
    if (credential.id.empty()) {
      // Some API versions document OauthToken.Id as always null, so the token is keyed by what
      // identifies one authorization: the app, the user and the time it was granted.
      credential.id = fmt::format("{}#{}#{}", identity.id, user_id.empty() ? username : user_id, created_text);
    }
    credential.created = created;
    credential.last_used = last_used;
    credential.attributes["user_id"] = user_id;
    credential.attributes["user"] = username.empty() ? user_id : username;
    const std::string use_count_text = record.get("UseCount");
    long long use_count = 0;
    const auto [end, error] = std::from_chars(use_count_text.data(), use_count_text.data() + use_count_text.size(), use_count);
    if (!use_count_text.empty() && error == std::errc() && end == use_count_text.data() + use_count_text.size()) {
      credential.attributes["use_count"] = use_count;
    } else if (!use_count_text.empty()) {
      report(record, fmt::format("UseCount '{}' is not an integer; use_count left out", use_count_text.substr(0, 20)));
    }
    if (!menu_item.empty()) credential.attributes["app_menu_item_id"] = menu_item;
    ctx.batch.credentials.push_back(std::move(credential));
    ++ctx.records;
  }
};

}  // namespace

std::string_view OauthTokensSource::name() const { return "salesforce-oauth-tokens"; }

std::string_view OauthTokensSource::description() const {
  return "Salesforce OAuth tokens of connected apps: `sf data query --json` (or --result-format csv) of SELECT Id, "
         "AppName, AppMenuItemId, UserId, User.Username, CreatedDate, LastUsedDate, UseCount FROM OauthToken";
}

int OauthTokensSource::detect(std::string_view head, std::string_view /*path*/) const {
  return detect_soql(head, "OauthToken", {"AppName", "UseCount"});
}

core::Status OauthTokensSource::parse(const Input& input, ParseContext& ctx) const {
  TokenReader reader{ctx, input.path, {}};
  return for_each_soql_record(input, ctx, "OauthToken", [&](const SoqlRecord& record) { reader.read(record); });
}

}  // namespace keyward::sources::salesforce
