// Reads GET /api/v1/users output: an array of User objects
//   {"id", "status", "created", "activated", "statusChanged", "lastLogin", "lastUpdated",
//    "profile": {"login", "email", "firstName", "lastName", "userType", ...}, "_links"}
// Users are directory identities (kind okta_user). People are classification human; a user whose
// profile.userType marks a service account is a machine (see is_service_user_type).

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "sources/common/json_records.hpp"
#include "sources/okta/okta_json.hpp"
#include "sources/okta/sources.hpp"

namespace keyward::sources::okta {
namespace {

constexpr size_t kMaxIdBytes = 128;
constexpr size_t kMaxNameBytes = 512;

// Maps Okta's user status onto the shared statuses. People who can still sign in after a reset
// (PASSWORD_EXPIRED, RECOVERY) are active. LOCKED_OUT is suspended until an admin or the timer
// unlocks it. STAGED and PROVISIONED users were created but never activated.
std::string normalized_user_status(std::string_view status) {
  if (status == "SUSPENDED" || status == "LOCKED_OUT") return "suspended";
  if (status == "DEPROVISIONED") return "deprovisioned";
  if (status == "STAGED") return "staged";
  if (status == "PROVISIONED") return "provisioned";
  return "active";
}

std::string lower(std::string_view text) {
  std::string result(text.substr(0, 64));
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

// Returns true for the profile.userType values that mark an account run by software. The field
// is free text that each org sets, so this list is a convention (see docs/sources/okta.md).
bool is_service_user_type(std::string_view user_type) {
  static constexpr std::array<std::string_view, 8> kServiceTypes = {
      "service", "service account", "service_account", "serviceaccount", "svc", "system", "bot", "machine"};
  const std::string value = lower(user_type);
  return std::find(kServiceTypes.begin(), kServiceTypes.end(), value) != kServiceTypes.end();
}

void add_alias(nlohmann::json& aliases, std::string_view alias) {
  if (alias.empty()) return;
  const std::string value(alias.substr(0, kMaxNameBytes));
  for (const auto& existing : aliases) {
    if (existing == value) return;
  }
  aliases.push_back(value);
}

// Converts one user. Returns an error message, or "" on success.
std::string convert_user(simdjson::dom::element user, core::Identity& identity) {
  const std::string_view id = text(user, "id");
  if (id.empty()) return "missing string id (the user id, e.g. 00ub0oNGTSWTBKOLGLNR)";
  if (id.size() > kMaxIdBytes) return fmt::format("id is over {} bytes", kMaxIdBytes);
  auto profile = member(user, "profile");
  if (!profile || !profile->is_object()) return "missing object profile";
  const TimeField created = time_field(user, "created");
  if (created.invalid) return fmt::format("created '{}' is not an ISO 8601 time", created.raw);
  const TimeField last_login = time_field(user, "lastLogin");
  if (last_login.invalid) return fmt::format("lastLogin '{}' is not an ISO 8601 time", last_login.raw);

  const std::string_view login = text(*profile, "login");
  const std::string_view email = text(*profile, "email");
  const std::string_view first_name = text(*profile, "firstName");
  const std::string_view last_name = text(*profile, "lastName");
  const std::string_view user_type = text(*profile, "userType");
  const std::string_view status = text(user, "status");

  identity.platform = std::string(kPlatform);
  identity.id = std::string(id);
  identity.kind = "okta_user";
  std::string full_name = std::string(first_name.substr(0, kMaxNameBytes));
  if (!last_name.empty()) full_name += (full_name.empty() ? "" : " ") + std::string(last_name.substr(0, kMaxNameBytes));
  identity.name = !login.empty() ? std::string(login.substr(0, kMaxNameBytes)) : full_name.empty() ? identity.id : full_name;
  identity.created = created.time;
  identity.last_used = last_login.time;
  identity.status = normalized_user_status(status);
  if (is_service_user_type(user_type)) {
    identity.classification = core::Classification::machine;
    identity.classification_reason = fmt::format("Okta profile.userType is '{}'", user_type.substr(0, 64));
  } else {
    identity.classification = core::Classification::human;
    identity.classification_reason = "Okta directory user";
  }
  auto& attributes = identity.attributes;
  if (!email.empty()) attributes[std::string(core::attribute::kEmail)] = std::string(email.substr(0, kMaxNameBytes));
  if (!login.empty()) attributes[std::string(core::attribute::kLogin)] = std::string(login.substr(0, kMaxNameBytes));
  if (!full_name.empty()) attributes["display_name"] = full_name;
  if (!user_type.empty()) attributes["user_type"] = std::string(user_type.substr(0, 64));
  if (!status.empty()) attributes["okta_status"] = std::string(status.substr(0, 32));
  // API tokens and System Log events name users by id, other platforms by email or login.
  nlohmann::json aliases = nlohmann::json::array();
  add_alias(aliases, id);
  add_alias(aliases, login);
  add_alias(aliases, email);
  attributes[std::string(core::attribute::kAliases)] = std::move(aliases);
  return {};
}

}  // namespace

std::string_view UsersSource::description() const {
  return "Okta users: GET /api/v1/users output (JSON array, pages concatenated or one per line)";
}

int UsersSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!looks_like_json(head)) return 0;
  if (!has_json_key(head, "profile") || !has_json_key(head, "login")) return 0;
  if (has_json_key(head, "statusChanged") || has_json_key(head, "lastLogin") || has_json_key(head, "passwordChanged")) {
    return 85;
  }
  return 0;
}

core::Status UsersSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.record_name = "user";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element user, const RecordPosition& position) {
    core::Identity identity;
    const std::string error = convert_user(user, identity);
    if (!error.empty()) {
      report(ctx, input, position.offset, position.line, fmt::format("user: {}; user skipped", error));
      return;
    }
    ctx.batch.identities.push_back(std::move(identity));
  });
}

}  // namespace keyward::sources::okta
