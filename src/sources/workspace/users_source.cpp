// Reads the people of a Google Workspace domain:
//   GET admin/directory/v1/users?customer=my_customer
//       {"kind": "admin#directory#users", "users": [{"id", "primaryEmail", "name": {"fullName"},
//        "suspended", "archived", "isAdmin", "creationTime", "lastLoginTime", "aliases": [...]}]}
//   gam print users fields primaryEmail,id,name,suspended,archived,isAdmin,creationTime,lastLoginTime,aliases
//       CSV with GAM's flattened column names (name.fullName, aliases.0, ...)
// Each user becomes a human identity keyed by the lower-cased primary email, with the Directory
// id among its aliases so tokens.list grants (which name the user by id) resolve to the person.

#include "sources/workspace/users_source.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include "sources/common/csv.hpp"
#include "sources/common/json_records.hpp"
#include "sources/workspace/fields.hpp"

namespace keyward::sources::workspace {
namespace {

constexpr size_t kMaxAliases = 100;

struct User {
  std::string id;
  std::string primary_email;
  std::string full_name;
  std::optional<bool> suspended;
  std::optional<bool> archived;
  std::optional<bool> is_admin;
  std::string creation_time;
  std::string last_login_time;
  std::vector<std::string> aliases;
};

std::optional<core::UnixTime> parse_directory_time(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  auto time = core::parse_time(text);
  // The Directory API reports users who never signed in with lastLoginTime at the epoch.
  if (time && *time <= 0) return std::nullopt;
  return time;
}

void add_user(User user, const std::string& file, long long offset, long long line, ParseContext& ctx) {
  if (user.primary_email.empty()) {
    ctx.errors.push_back(RecordError{file, offset, line, "user has no primaryEmail; request it in fields= (or gam fields primaryEmail); user skipped"});
    return;
  }
  core::Identity identity;
  identity.platform = std::string(kPlatform);
  identity.id = lower(user.primary_email);
  identity.kind = std::string(kUserKind);
  identity.name = user.full_name.empty() ? identity.id : user.full_name;
  identity.classification = core::Classification::human;
  identity.classification_reason = "Workspace directory user";
  // An archived user has left: the account is kept only to preserve its data.
  if (user.archived.value_or(false)) {
    identity.status = "deprovisioned";
  } else if (user.suspended.value_or(false)) {
    identity.status = "suspended";
  }
  identity.created = parse_directory_time(user.creation_time);
  identity.last_used = parse_directory_time(user.last_login_time);
  if (!user.creation_time.empty() && !identity.created) {
    ctx.errors.push_back(RecordError{file, offset, line,
                                     fmt::format("user {}: creationTime '{}' is not RFC 3339; created left empty", identity.id,
                                                 user.creation_time.substr(0, 64))});
  }
  identity.attributes[std::string(core::attribute::kEmail)] = identity.id;
  std::vector<std::string> aliases;
  add_unique(aliases, user.id);
  for (const std::string& alias : user.aliases) add_unique(aliases, lower(alias), kMaxAliases);
  if (!aliases.empty()) identity.attributes[std::string(core::attribute::kAliases)] = aliases;
  if (user.is_admin) {
    identity.attributes["is_admin"] = *user.is_admin;
    if (*user.is_admin) identity.attributes[std::string(core::attribute::kPrivilege)] = "admin";
  }
  ctx.batch.identities.push_back(std::move(identity));
}

core::Status parse_json(const Input& input, ParseContext& ctx) {
  JsonRecordOptions options;
  options.envelope_keys = {"users"};
  options.record_name = "user";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    // A page with no users has no users key and arrives here as one record.
    if (string_or_empty(record, "kind") == "admin#directory#users") return;
    User user;
    user.id = json_text(record, "id");
    user.primary_email = json_text(record, "primaryEmail");
    simdjson::dom::element name;
    if (record["name"].get(name) == simdjson::SUCCESS && name.is_object()) user.full_name = json_text(name, "fullName");
    user.suspended = json_bool(record, "suspended");
    user.archived = json_bool(record, "archived");
    user.is_admin = json_bool(record, "isAdmin");
    user.creation_time = json_text(record, "creationTime");
    user.last_login_time = json_text(record, "lastLoginTime");
    simdjson::dom::array aliases;
    if (record["aliases"].get(aliases) == simdjson::SUCCESS) {
      for (simdjson::dom::element alias : aliases) {
        std::string_view text;
        if (alias.get(text) == simdjson::SUCCESS && user.aliases.size() < kMaxAliases) user.aliases.emplace_back(text);
      }
    }
    add_user(std::move(user), input.path, position.offset, position.line, ctx);
  });
}

core::Status parse_csv(const Input& input, ParseContext& ctx) {
  CsvReader reader(input.data);
  std::vector<std::string> fields;
  if (!reader.next(fields)) return core::make_error(core::ErrorCode::invalid_input, "the CSV input is empty; expected `gam print users` output");
  const CsvHeader header(fields);
  if (!header.has("primaryEmail")) {
    return core::make_error(core::ErrorCode::invalid_input, "the CSV header has no primaryEmail column; expected `gam print users` output");
  }
  std::vector<size_t> alias_columns;
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string column = lower(fields[i]);
    if (column.rfind("aliases.", 0) == 0) alias_columns.push_back(i);
  }
  while (reader.next(fields)) {
    if (!reader.error().empty()) {
      ctx.errors.push_back(RecordError{input.path, reader.offset(), reader.line(), reader.error() + "; row skipped"});
      continue;
    }
    // for_each_json_record counts JSON records; CSV rows are counted here.
    ++ctx.records;
    User user;
    user.id = std::string(header.get(fields, "id"));
    user.primary_email = std::string(header.get(fields, "primaryEmail"));
    user.full_name = std::string(header.get(fields, "name.fullName"));
    user.suspended = parse_bool_text(header.get(fields, "suspended"));
    user.archived = parse_bool_text(header.get(fields, "archived"));
    user.is_admin = parse_bool_text(header.get(fields, "isAdmin"));
    user.creation_time = std::string(header.get(fields, "creationTime"));
    user.last_login_time = std::string(header.get(fields, "lastLoginTime"));
    // GAM writes "Never" for users who never signed in.
    if (lower(user.last_login_time) == "never") user.last_login_time.clear();
    for (const std::string& alias : split_list(header.get(fields, "aliases"))) user.aliases.push_back(alias);
    for (size_t column : alias_columns) {
      if (column < fields.size() && !fields[column].empty() && user.aliases.size() < kMaxAliases) user.aliases.push_back(fields[column]);
    }
    add_user(std::move(user), input.path, reader.offset(), reader.line(), ctx);
  }
  return {};
}

bool starts_as_json(std::string_view data) {
  const size_t first = data.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string_view::npos && (data[first] == '{' || data[first] == '[');
}

}  // namespace

std::string_view UsersSource::name() const { return "workspace-users"; }

std::string_view UsersSource::description() const {
  return "Google Workspace users: Directory API users.list JSON or `gam print users` CSV";
}

int UsersSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (starts_as_json(head)) {
    if (head.find("\"admin#directory#user") != std::string_view::npos) return 95;
    const bool user_keys = has_json_key(head, "primaryEmail") &&
                           (has_json_key(head, "isAdmin") || has_json_key(head, "suspended") || has_json_key(head, "orgUnitPath"));
    return user_keys && !has_json_key(head, "clientId") ? 70 : 0;
  }
  const CsvHeader header(csv_header_of(head));
  if (header.has("primaryEmail") && !header.has("clientId") &&
      (header.has("id") || header.has("name.fullName") || header.has("suspended") || header.has("isAdmin"))) {
    return 80;
  }
  return 0;
}

core::Status UsersSource::parse(const Input& input, ParseContext& ctx) const {
  if (starts_as_json(input.data)) return parse_json(input, ctx);
  return parse_csv(input, ctx);
}

}  // namespace keyward::sources::workspace
