// Reads the User query: people and the integration users that integrations sign in as.
//   sf data query --json --query "SELECT Id, Username, Email, IsActive, UserType, Profile.Name,
//     LastLoginDate, CreatedDate FROM User"
// Integration users (the API-only integration profiles, the Automated Process user) become
// machine identities; everyone else is a person keyed by Username, which is unique across all
// Salesforce orgs, with the record Id as an alias so token rows (UserId) resolve to them.

#include "sources/salesforce/users_source.hpp"

#include <fmt/format.h>

#include <array>

#include "sources/salesforce/connected_app.hpp"
#include "sources/salesforce/soql_records.hpp"

namespace keyward::sources::salesforce {
namespace {

namespace attribute = core::attribute;

constexpr size_t kMaxUsernameBytes = 80;  // User.Username is a string(80) field

// Profiles of the Salesforce Integration user license, which allows API access only.
constexpr std::array<std::string_view, 2> kIntegrationProfiles = {
    "Minimum Access - API Only Integrations",
    "Salesforce API Only System Integrations",
};
// NOTE: AutomatedProcess is the only UserType value known to be a machine; other license types
// used for integrations are recognized by profile only.
constexpr std::array<std::string_view, 1> kMachineUserTypes = {"AutomatedProcess"};

bool contains(const auto& list, std::string_view value) {
  for (std::string_view item : list) {
    if (item == value) return true;
  }
  return false;
}

void report(ParseContext& ctx, const std::string& file, const SoqlRecord& record, std::string message) {
  ctx.errors.push_back(RecordError{file, record.position().offset, record.position().line, std::move(message)});
}

void read_user(const SoqlRecord& record, const std::string& file, ParseContext& ctx) {
  const std::string username = record.get("Username");
  const std::string id = record.get("Id");
  if (username.empty()) return report(ctx, file, record, "missing Username; add Username to the SELECT list; user skipped");
  if (username.size() > kMaxUsernameBytes) return report(ctx, file, record, "Username is over 80 characters; user skipped");
  const std::string active_text = record.get("IsActive");
  const auto active = parse_salesforce_bool(active_text);
  if (!active_text.empty() && !active) {
    return report(ctx, file, record, fmt::format("IsActive '{}' is not true or false; user skipped", active_text.substr(0, 20)));
  }

  const std::string profile = record.get("Profile.Name");
  const std::string user_type = record.get("UserType");
  const std::string email = record.get("Email");
  const bool integration = contains(kIntegrationProfiles, profile) || contains(kMachineUserTypes, user_type);

  core::Identity identity;
  identity.platform = std::string(kPlatform);
  identity.id = username;
  identity.name = record.get("Name");
  if (identity.name.empty()) identity.name = username;
  identity.created = parse_salesforce_time(record.get("CreatedDate"));
  identity.last_used = parse_salesforce_time(record.get("LastLoginDate"));
  if (!id.empty()) identity.attributes[std::string(attribute::kAliases)] = nlohmann::json::array({id});
  identity.attributes[std::string(attribute::kLogin)] = username;
  if (!email.empty()) identity.attributes[std::string(attribute::kEmail)] = email;
  if (!profile.empty()) identity.attributes["profile"] = profile;
  if (!user_type.empty()) identity.attributes["user_type"] = user_type;
  if (profile == "System Administrator") identity.attributes[std::string(attribute::kPrivilege)] = "admin";

  if (integration) {
    identity.kind = "salesforce_integration_user";
    identity.classification = core::Classification::machine;
    identity.classification_reason = profile.empty() || !contains(kIntegrationProfiles, profile)
                                          ? fmt::format("Salesforce user type {}", user_type)
                                          : fmt::format("API-only integration profile \"{}\"", profile);
    identity.status = active.value_or(true) ? "active" : "disabled";
  } else {
    identity.kind = "salesforce_user";
    identity.classification = core::Classification::human;
    identity.classification_reason = "Salesforce user";
    identity.status = active.value_or(true) ? "active" : "deprovisioned";
  }
  ctx.batch.identities.push_back(std::move(identity));
  ++ctx.records;
}

}  // namespace

std::string_view UsersSource::name() const { return "salesforce-users"; }

std::string_view UsersSource::description() const {
  return "Salesforce users: `sf data query --json` (or --result-format csv) of SELECT Id, Username, Email, IsActive, "
         "UserType, Profile.Name, LastLoginDate, CreatedDate FROM User";
}

int UsersSource::detect(std::string_view head, std::string_view /*path*/) const {
  return detect_soql(head, "User", {"Username", "IsActive"}, {"AppName", "UseCount"});
}

core::Status UsersSource::parse(const Input& input, ParseContext& ctx) const {
  return for_each_soql_record(input, ctx, "User", [&](const SoqlRecord& record) { read_user(record, input.path, ctx); });
}

}  // namespace keyward::sources::salesforce
