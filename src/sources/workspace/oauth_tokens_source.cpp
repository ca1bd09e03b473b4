// Reads the OAuth tokens that users of a Google Workspace domain granted to apps:
//   gam all users print tokens               CSV: user,clientId,displayText,anonymous,nativeApp,scopes,userKey
//   GET admin/directory/v1/users/{userKey}/tokens
//                                            JSON: {"kind": "admin#directory#tokenList", "items": [
//                                              {"clientId", "displayText", "anonymous", "nativeApp",
//                                               "scopes": [...], "userKey", "kind": "admin#directory#token"}]}
// Each client id becomes one app identity; each (user, scope) becomes one grant whose origin names
// the user, so a later export of one user replaces only that user's grants.

#include "sources/workspace/oauth_tokens_source.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <tuple>

#include "sources/common/csv.hpp"
#include "sources/common/json_records.hpp"
#include "sources/workspace/fields.hpp"
#include "sources/workspace/scope_levels.hpp"

namespace keyward::sources::workspace {
namespace {

constexpr size_t kMaxApps = 100000;
constexpr size_t kMaxUsersPerApp = 100000;

struct Token {
  std::string user;  // email when the export names it, else the Directory userKey
  std::string client_id;
  std::string display_text;
  std::optional<bool> anonymous;
  std::optional<bool> native_app;
  std::vector<std::string> scopes;
};

struct App {
  std::string display_text;
  std::optional<bool> anonymous;
  std::optional<bool> native_app;
  std::vector<std::string> users;
  std::vector<std::string> scopes;
};

// Collects tokens and writes apps and grants to the batch once the whole input is read.
class TokenCollector {
 public:
  explicit TokenCollector(ParseContext& ctx) : ctx_(ctx) {}

  void add(Token token, const std::string& file, long long offset, long long line) {
    if (token.client_id.empty()) {
      return report(file, offset, line, "token has no clientId; export it with the clientId column (gam prints it by default)");
    }
    if (token.user.empty()) {
      return report(file, offset, line,
                    fmt::format("token of client '{}' names no user (user, primaryEmail or userKey); run `gam all users "
                                "print tokens` so each row carries its user",
                                token.client_id.substr(0, 128)));
    }
    auto found = apps_.find(token.client_id);
    if (found == apps_.end()) {
      if (apps_.size() >= kMaxApps) return report(file, offset, line, fmt::format("more than {} apps; token skipped", kMaxApps));
      found = apps_.emplace(token.client_id, App{}).first;
    }
    App& app = found->second;
    if (app.display_text.empty()) app.display_text = token.display_text;
    if (!app.anonymous) app.anonymous = token.anonymous;
    if (!app.native_app) app.native_app = token.native_app;
    add_unique(app.users, token.user, kMaxUsersPerApp);

    const std::string origin = "workspace.tokens:" + token.user;
    if (replaced_.insert({token.client_id, origin}).second) {
      ctx_.batch.grant_replacements.push_back(store::GrantReplacement{token.client_id, origin});
    }
    for (const std::string& scope : token.scopes) {
      add_unique(app.scopes, scope);
      if (!granted_.insert({token.client_id, token.user, scope}).second) continue;
      const ScopeLevel level = level_of_scope(scope);
      core::Grant grant;
      grant.platform = std::string(kPlatform);
      grant.identity_id = token.client_id;
      grant.actions = {scope};
      grant.resources = {token.user};
      grant.source_policy = "oauth_token";
      grant.via = "user";
      grant.level = level.level;
      grant.resource_type = level.resource_type;
      grant.granted_by = token.user;
      grant.origin = origin;
      ctx_.batch.grants.push_back(std::move(grant));
    }
  }

  void finish() {
    for (auto& [client_id, app] : apps_) {
      core::Identity identity;
      identity.platform = std::string(kPlatform);
      identity.id = client_id;
      identity.kind = std::string(kAppKind);
      identity.name = app.display_text.empty() ? client_id : app.display_text;
      // The shared vendor catalog normalizes this name later.
      identity.vendor = app.display_text;
      identity.classification = core::Classification::machine;
      identity.classification_reason = "OAuth client that users granted tokens to";
      identity.attributes[std::string(core::attribute::kThirdParty)] = true;
      if (!app.display_text.empty()) identity.attributes[std::string(core::attribute::kPublisher)] = app.display_text;
      identity.attributes[std::string(core::attribute::kConnectedBy)] = app.users;
      identity.attributes[std::string(core::attribute::kScopes)] = app.scopes;
      if (app.anonymous) identity.attributes["anonymous"] = *app.anonymous;
      if (app.native_app) identity.attributes["native_app"] = *app.native_app;
      ctx_.batch.identities.push_back(std::move(identity));
    }
  }

 private:
  void report(const std::string& file, long long offset, long long line, std::string message) {
    ctx_.errors.push_back(RecordError{file, offset, line, std::move(message)});
  }

  ParseContext& ctx_;
  std::map<std::string, App> apps_;
  std::set<std::pair<std::string, std::string>> replaced_;
  std::set<std::tuple<std::string, std::string, std::string>> granted_;
};

std::vector<std::string> json_scopes(simdjson::dom::element token) {
  std::vector<std::string> scopes;
  simdjson::dom::array list;
  if (token["scopes"].get(list) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : list) {
      std::string_view scope;
      if (item.get(scope) == simdjson::SUCCESS && !scope.empty()) scopes.emplace_back(scope);
      if (scopes.size() >= 256) break;
    }
    return scopes;
  }
  return split_scopes(string_or_empty(token, "scopes"));
}

void parse_json(const Input& input, ParseContext& ctx, TokenCollector& collector, core::Status& status) {
  JsonRecordOptions options;
  options.envelope_keys = {"items"};
  options.record_name = "token";
  status = for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    // A tokens.list page of a user with no tokens has no items and arrives here as one record.
    if (string_or_empty(record, "kind") == "admin#directory#tokenList") return;
    Token token;
    token.client_id = json_text(record, "clientId");
    token.display_text = json_text(record, "displayText");
    token.anonymous = json_bool(record, "anonymous");
    token.native_app = json_bool(record, "nativeApp");
    token.scopes = json_scopes(record);
    std::string user = json_text(record, "user");
    if (user.empty()) user = json_text(record, "primaryEmail");
    token.user = user.empty() ? json_text(record, "userKey") : lower(user);
    collector.add(std::move(token), input.path, position.offset, position.line);
  });
}

core::Status parse_csv(const Input& input, ParseContext& ctx, TokenCollector& collector) {
  CsvReader reader(input.data);
  std::vector<std::string> fields;
  if (!reader.next(fields)) return core::make_error(core::ErrorCode::invalid_input, "the CSV input is empty; expected `gam print tokens` output");
  const CsvHeader header(fields);
  if (!header.has("clientId")) {
    return core::make_error(core::ErrorCode::invalid_input,
                            "the CSV header has no clientId column; expected `gam all users print tokens` output");
  }
  // Some GAM versions spread list fields over numbered columns (scopes.0, scopes.1, ...).
  std::vector<size_t> numbered_scope_columns;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (lower(fields[i]).rfind("scopes.", 0) == 0) numbered_scope_columns.push_back(i);
  }
  while (reader.next(fields)) {
    if (!reader.error().empty()) {
      ctx.errors.push_back(RecordError{input.path, reader.offset(), reader.line(), reader.error() + "; row skipped"});
      continue;
    }
    // for_each_json_record counts JSON records; CSV rows are counted here.
    ++ctx.records;
    Token token;
    token.client_id = std::string(header.get(fields, "clientId"));
    token.display_text = std::string(header.get(fields, "displayText"));
    token.anonymous = parse_bool_text(header.get(fields, "anonymous"));
    token.native_app = parse_bool_text(header.get(fields, "nativeApp"));
    token.scopes = split_scopes(header.get(fields, "scopes"));
    for (size_t column : numbered_scope_columns) {
      if (column < fields.size() && !fields[column].empty() && token.scopes.size() < 256) token.scopes.push_back(fields[column]);
    }
    std::string_view user = header.get(fields, "user");
    if (user.empty()) user = header.get(fields, "primaryEmail");
    token.user = user.empty() ? std::string(header.get(fields, "userKey")) : lower(user);
    collector.add(std::move(token), input.path, reader.offset(), reader.line());
  }
  return {};
}

bool starts_as_json(std::string_view data) {
  const size_t first = data.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string_view::npos && (data[first] == '{' || data[first] == '[');
}

}  // namespace

std::string_view OAuthTokensSource::name() const { return "workspace-oauth-tokens"; }

std::string_view OAuthTokensSource::description() const {
  return "Google Workspace OAuth tokens: `gam all users print tokens` CSV or Directory API tokens.list JSON";
}

int OAuthTokensSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (starts_as_json(head)) {
    if (head.find("\"admin#directory#token") != std::string_view::npos) return 95;
    const bool token_keys = has_json_key(head, "clientId") && has_json_key(head, "displayText") &&
                            (has_json_key(head, "nativeApp") || has_json_key(head, "userKey"));
    return token_keys ? 70 : 0;
  }
  const CsvHeader header(csv_header_of(head));
  if (header.has("clientId") && header.has("displayText") && (header.has("user") || header.has("userKey") || header.has("scopes"))) {
    return 85;
  }
  return 0;
}

core::Status OAuthTokensSource::parse(const Input& input, ParseContext& ctx) const {
  TokenCollector collector(ctx);
  core::Status status;
  if (starts_as_json(input.data)) {
    parse_json(input, ctx, collector, status);
  } else {
    status = parse_csv(input, ctx, collector);
  }
  if (!status.ok()) return status;
  collector.finish();
  return {};
}

}  // namespace keyward::sources::workspace
