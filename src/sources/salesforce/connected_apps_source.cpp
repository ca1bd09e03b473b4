// Reads the ConnectedApplication query: the settings of each connected app in the org.
//   sf data query --json --query "SELECT Id, Name, CreatedDate, CreatedById, LastModifiedDate,
//     OptionsAllowAdminApprovedUsersOnly, OptionsRefreshTokenValidityMetric,
//     RefreshTokenValidityPeriod FROM ConnectedApplication"
// Each row updates the connected app identity that salesforce-oauth-tokens keys by label.

#include "sources/salesforce/connected_apps_source.hpp"

#include <fmt/format.h>

#include <charconv>

#include "sources/salesforce/connected_app.hpp"
#include "sources/salesforce/soql_records.hpp"

namespace keyward::sources::salesforce {
namespace {

namespace attribute = core::attribute;

constexpr size_t kMaxNameBytes = 255;

void report(ParseContext& ctx, const std::string& file, const SoqlRecord& record, std::string message) {
  ctx.errors.push_back(RecordError{file, record.position().offset, record.position().line, std::move(message)});
}

void set_bool_attribute(core::Identity& identity, const SoqlRecord& record, std::string_view field, const char* key) {
  const auto value = parse_salesforce_bool(record.get(field));
  if (value) identity.attributes[key] = *value;
}

void read_app(const SoqlRecord& record, const std::string& file, ParseContext& ctx) {
  const std::string name = record.get("Name");
  if (name.empty()) return report(ctx, file, record, "missing Name; add Name to the SELECT list; app skipped");
  if (name.size() > kMaxNameBytes) return report(ctx, file, record, "Name is over 255 characters; app skipped");

  core::Identity identity = make_connected_app(name);
  const std::string id = record.get("Id");
  if (!id.empty()) {
    identity.attributes[std::string(attribute::kAliases)] = nlohmann::json::array({id});
    identity.attributes["connected_app_id"] = id;
  }
  const std::string created_text = record.get("CreatedDate");
  identity.created = parse_salesforce_time(created_text);
  if (!created_text.empty() && !identity.created) {
    report(ctx, file, record, fmt::format("CreatedDate '{}' is not a Salesforce dateTime; created left empty", created_text.substr(0, 40)));
  }
  const std::string created_by = record.get("CreatedById");
  const std::string created_by_name = record.get("CreatedBy.Username");
  if (!created_by_name.empty() || !created_by.empty()) {
    identity.attributes[std::string(attribute::kCreatedBy)] = created_by_name.empty() ? created_by : created_by_name;
  }
  const auto modified = parse_salesforce_time(record.get("LastModifiedDate"));
  if (modified) identity.attributes["last_modified"] = core::format_time(*modified);

  set_bool_attribute(identity, record, "OptionsAllowAdminApprovedUsersOnly", "admin_approved_users_only");
  set_bool_attribute(identity, record, "OptionsRefreshTokenValidityMetric", "refresh_token_expires_on_inactivity");
  set_bool_attribute(identity, record, "OptionsHasSessionLevelPolicy", "high_assurance_session_required");
  const std::string period = record.get("RefreshTokenValidityPeriod");
  long long period_value = 0;
  const auto [end, error] = std::from_chars(period.data(), period.data() + period.size(), period_value);
  if (!period.empty() && error == std::errc() && end == period.data() + period.size()) {
    identity.attributes["refresh_token_validity_period"] = period_value;
  }
  ctx.batch.identities.push_back(std::move(identity));
  ++ctx.records;
}

}  // namespace

std::string_view ConnectedAppsSource::name() const { return "salesforce-connected-apps"; }

std::string_view ConnectedAppsSource::description() const {
  return "Salesforce connected app settings: `sf data query --json` (or --result-format csv) of SELECT Id, Name, "
         "CreatedDate, CreatedById, OptionsAllowAdminApprovedUsersOnly, ... FROM ConnectedApplication";
}

int ConnectedAppsSource::detect(std::string_view head, std::string_view /*path*/) const {
  return detect_soql(head, "ConnectedApplication", {"Name", "OptionsAllowAdminApprovedUsersOnly"});
}

core::Status ConnectedAppsSource::parse(const Input& input, ParseContext& ctx) const {
  return for_each_soql_record(input, ctx, "ConnectedApplication",
                              [&](const SoqlRecord& record) { read_app(record, input.path, ctx); });
}

}  // namespace keyward::sources::salesforce
