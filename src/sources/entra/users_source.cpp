// Reads Microsoft Graph GET /users pages: the people in the directory, keyed by their lower-case
// userPrincipalName (the name sign-in logs and app owners use), with the object id as an alias.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "sources/entra/entra_sources.hpp"
#include "sources/entra/graph_common.hpp"

namespace keyward::sources::entra {
namespace {

constexpr std::string_view kSourceName = "entra-users";

std::string lower(std::string_view text) {
  std::string out = clipped(text, 256);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void read_user(simdjson::dom::element record, const RecordPosition& position, const Input& input, ParseContext& ctx) {
  const std::string_view principal_name = string_or_empty(record, "userPrincipalName");
  const std::string_view object_id = string_or_empty(record, "id");
  if (principal_name.empty() && object_id.empty()) {
    report(ctx, input, position, "user has neither userPrincipalName nor id; include both in $select; record skipped");
    return;
  }
  core::Identity identity;
  identity.platform = std::string(kPlatform);
  identity.id = principal_name.empty() ? clipped(object_id, 128) : lower(principal_name);
  identity.kind = "entra_user";
  identity.name = clipped(string_or_empty(record, "displayName"));
  if (identity.name.empty()) identity.name = clipped(principal_name, 256);
  identity.created = optional_time(record, "createdDateTime");
  identity.classification = core::Classification::human;
  identity.classification_reason = "Entra directory user";
  // Graph omits accountEnabled unless $select names it; a listed user is then taken as enabled.
  identity.status = optional_bool(record, "accountEnabled").value_or(true) ? "active" : "disabled";

  auto& attributes = identity.attributes;
  attributes[std::string(attribute::kAliases)] = nlohmann::json::array();
  if (!object_id.empty() && !principal_name.empty()) {
    attributes[std::string(attribute::kAliases)].push_back(clipped(object_id, 128));
  }
  const std::string_view mail = string_or_empty(record, "mail");
  attributes[std::string(attribute::kEmail)] = mail.empty() ? lower(principal_name) : lower(mail);
  if (!principal_name.empty()) attributes[std::string(attribute::kLogin)] = clipped(principal_name, 256);
  attributes["source"] = std::string(kSourceName);
  const std::string_view user_type = string_or_empty(record, "userType");
  if (!user_type.empty()) attributes["user_type"] = clipped(user_type, 32);
  ctx.batch.identities.push_back(std::move(identity));
}

}  // namespace

std::string_view UsersSource::name() const { return kSourceName; }

std::string_view UsersSource::description() const {
  return "Entra users: Microsoft Graph GET /users?$select=id,userPrincipalName,mail,accountEnabled,displayName,"
         "createdDateTime pages";
}

int UsersSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!starts_like_json(head)) return 0;
  if (head.find("$metadata#users") != std::string_view::npos) return 95;
  if (!has_json_key(head, "userPrincipalName")) return 0;
  // Sign-in records also name the user, together with the app and the caller's address.
  if (has_json_key(head, "appId") || has_json_key(head, "ipAddress") || has_json_key(head, "properties")) return 0;
  return has_json_key(head, "accountEnabled") || has_json_key(head, "mail") ? 80 : 0;
}

core::Status UsersSource::parse(const Input& input, ParseContext& ctx) const {
  return for_each_json_record(input, ctx, graph_record_options("user"),
                              [&](simdjson::dom::element record, const RecordPosition& position) {
                                read_user(record, position, input, ctx);
                              });
}

}  // namespace keyward::sources::entra
