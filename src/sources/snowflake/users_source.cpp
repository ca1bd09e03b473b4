// Reads Snowflake users from SHOW USERS (columns name, created_on, login_name, display_name,
// email, disabled, default_role, has_mfa, has_password, has_rsa_public_key, type, owner,
// last_success_login, ...) or from SNOWFLAKE.ACCOUNT_USAGE.USERS (the same facts in upper-case
// columns, plus DELETED_ON). Users of TYPE SERVICE or LEGACY_SERVICE become service identities;
// the others are people. A password or RSA public key becomes a credential; neither value is
// read, only the has_* flags.

#include "sources/snowflake/users_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "sources/snowflake/role_levels.hpp"
#include "sources/snowflake/rows.hpp"
#include "sources/snowflake/user_ids.hpp"

namespace keyward::sources::snowflake {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

void set_time(const Row& row, std::string_view column, std::optional<core::UnixTime>& target, const std::string& file,
              const RowPosition& position, const std::string& user, ParseContext& ctx) {
  const std::string_view text = row.get(column);
  if (text.empty()) return;
  target = parse_snowflake_time(text);
  if (!target) {
    ctx.errors.push_back(RecordError{file, position.offset, position.line,
                                     fmt::format("user {}: {} '{}' is not a timestamp; left empty", user, column,
                                                 text.substr(0, 64))});
  }
}

core::Credential make_credential(const core::Identity& identity, std::string_view kind, std::string id) {
  core::Credential credential;
  credential.platform = std::string(kPlatform);
  credential.id = std::move(id);
  credential.identity_id = identity.id;
  credential.kind = std::string(kind);
  credential.status = identity.status == "active" ? "active" : "inactive";
  return credential;
}

void read_user(const Row& row, const RowPosition& position, const std::string& file, ParseContext& ctx) {
  const std::string name(row.get("name"));
  if (name.empty()) {
    ctx.errors.push_back(RecordError{file, position.offset, position.line, "user row has no name; export the NAME column; row skipped"});
    return;
  }
  core::Identity identity;
  identity.platform = std::string(kPlatform);
  identity.id = name;
  identity.name = row.get("display_name").empty() ? name : std::string(row.get("display_name"));

  const std::string type = upper(row.get("type"));
  if (type == "SERVICE" || type == "LEGACY_SERVICE") {
    identity.kind = std::string(kServiceUserKind);
    identity.classification = core::Classification::machine;
    identity.classification_reason = fmt::format("TYPE = {}", type);
  } else {
    identity.kind = std::string(kUserKind);
    if (type == "PERSON") {
      identity.classification = core::Classification::human;
      identity.classification_reason = "TYPE = PERSON";
    } else {
      // NOTE: users created before TYPE existed have TYPE NULL and may be service accounts;
      // Snowflake treats them like PERSON, so only evidence from other sources can tell.
      identity.classification = core::Classification::unknown;
      identity.classification_reason = "TYPE is NULL";
    }
  }

  if (!row.get("deleted_on").empty()) {
    identity.status = "deleted";
  } else if (row.flag("disabled").value_or(false)) {
    identity.status = "disabled";
  }
  set_time(row, "created_on", identity.created, file, position, name, ctx);
  set_time(row, "last_success_login", identity.last_used, file, position, name, ctx);

  auto& attributes = identity.attributes;
  const std::string_view email = row.get("email");
  const std::string_view login_name = row.get("login_name");
  if (!email.empty()) attributes[std::string(core::attribute::kEmail)] = std::string(email);
  if (!login_name.empty() && login_name != email) attributes[std::string(core::attribute::kLogin)] = std::string(login_name);
  // LOGIN_HISTORY names users by their name, but other tools may log the login name.
  if (!login_name.empty() && upper(login_name) != upper(name)) {
    attributes[std::string(core::attribute::kAliases)] = nlohmann::json::array({std::string(login_name)});
  }
  attributes["type"] = type.empty() ? nlohmann::json() : nlohmann::json(type);
  const std::string_view default_role = row.get("default_role");
  if (!default_role.empty()) {
    attributes["default_role"] = std::string(default_role);
    const std::string level = level_of_role(default_role);
    if (level == "admin") attributes[std::string(core::attribute::kPrivilege)] = level;
  }
  const std::string_view owner_role = row.get("owner");
  if (!owner_role.empty()) attributes["owner_role"] = std::string(owner_role);
  if (!row.get("default_warehouse").empty()) attributes["default_warehouse"] = std::string(row.get("default_warehouse"));
  const bool duo = row.flag("ext_authn_duo").value_or(false);
  if (auto mfa = row.flag("has_mfa")) attributes["has_mfa"] = *mfa || duo;
  const std::optional<bool> has_password = row.flag("has_password");
  const std::optional<bool> has_rsa_key = row.flag("has_rsa_public_key");
  if (has_password) attributes["has_password"] = *has_password;
  if (has_rsa_key) attributes["has_rsa_public_key"] = *has_rsa_key;
  if (auto has_pat = row.flag("has_pat")) attributes["has_pat"] = *has_pat;
  if (auto must_change = row.flag("must_change_password")) attributes["must_change_password"] = *must_change;
  if (row.flag("snowflake_lock").value_or(false) || !row.get("locked_until_time").empty()) attributes["locked"] = true;
  std::optional<core::UnixTime> expires;
  set_time(row, "expires_at_time", expires, file, position, name, ctx);
  if (expires) attributes["expires_at"] = core::format_time(*expires);

  if (has_password.value_or(false)) {
    ctx.batch.credentials.push_back(make_credential(identity, kPasswordKind, password_credential_id(name)));
  }
  if (has_rsa_key.value_or(false)) {
    ctx.batch.credentials.push_back(make_credential(identity, kRsaKeyKind, rsa_key_credential_id(name)));
  }
  ctx.batch.identities.push_back(std::move(identity));
}

}  // namespace

std::string_view UsersSource::name() const { return "snowflake-users"; }

std::string_view UsersSource::description() const {
  return "Snowflake users: SHOW USERS (Snowsight CSV, snowsql CSV/JSON) or ACCOUNT_USAGE.USERS export";
}

int UsersSource::detect(std::string_view head, std::string_view /*path*/) const {
  const std::vector<std::string> columns = column_names_of(head);
  auto has = [&](std::string_view name) { return std::find(columns.begin(), columns.end(), name) != columns.end(); };
  if (!has("name") || !has("login_name")) return 0;
  const int snowflake_columns = static_cast<int>(has("has_rsa_public_key")) + static_cast<int>(has("default_role")) +
                                static_cast<int>(has("snowflake_lock")) + static_cast<int>(has("default_warehouse")) +
                                static_cast<int>(has("ext_authn_duo"));
  return snowflake_columns >= 2 ? 90 : 0;
}

core::Status UsersSource::parse(const Input& input, ParseContext& ctx) const {
  return for_each_row(input, ctx, "user", [&](const Row& row, const RowPosition& position) { read_user(row, position, input.path, ctx); });
}

}  // namespace keyward::sources::snowflake
