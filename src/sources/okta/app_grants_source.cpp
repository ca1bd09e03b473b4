// Reads GET /api/v1/apps/{appId}/grants output: an array of OAuth 2.0 scope consent grants
//   {"id", "status", "scopeId", "issuer", "clientId", "userId", "source", "created",
//    "createdBy": {"id", "type"}, "_links": {"app": {"href": ".../api/v1/apps/{appId}"}}}
// Each ACTIVE grant becomes a Grant of the app with the scope in actions. Several apps' outputs
// may be concatenated. Every app whose grants the input lists gets a GrantReplacement, so a newer
// export replaces the older grants of that app.

#include <fmt/format.h>

#include <set>

#include "sources/common/json_records.hpp"
#include "sources/okta/okta_json.hpp"
#include "sources/okta/scope_levels.hpp"
#include "sources/okta/sources.hpp"

namespace keyward::sources::okta {
namespace {

constexpr std::string_view kOrigin = "okta.app_grants";
constexpr size_t kMaxIdBytes = 128;

// Returns the app id from an ".../api/v1/apps/{appId}" link, or "".
std::string_view app_id_from_href(std::string_view href) {
  constexpr std::string_view kMarker = "/apps/";
  const size_t marker = href.rfind(kMarker);
  if (marker == std::string_view::npos) return {};
  std::string_view rest = href.substr(marker + kMarker.size());
  rest = rest.substr(0, rest.find_first_of("/?#"));
  return rest.size() > kMaxIdBytes ? std::string_view{} : rest;
}

// Converts one grant. Returns an error message, or "" on success. `active` is false for a revoked
// grant, which names its app but grants nothing.
std::string convert_grant(simdjson::dom::element record, core::Grant& grant, bool& active) {
  const std::string_view scope = text(record, "scopeId");
  if (scope.empty()) return "missing string scopeId (the granted scope, e.g. okta.users.read)";
  std::string_view app_id = app_id_from_href(text_at(record, {"_links", "app", "href"}));
  // For apps created in Okta the OAuth client id is the app id, and okta-apps lists it as an alias.
  if (app_id.empty()) app_id = text(record, "clientId");
  if (app_id.empty()) return "missing _links.app.href and clientId: the grant names no app";
  if (app_id.size() > kMaxIdBytes) return fmt::format("clientId is over {} bytes", kMaxIdBytes);
  const std::string_view status = text(record, "status");
  active = status.empty() || status == "ACTIVE";

  grant.platform = std::string(kPlatform);
  grant.identity_id = std::string(app_id);
  grant.actions = {std::string(scope.substr(0, 256))};
  const std::string_view issuer = text(record, "issuer");
  grant.resources = {issuer.empty() ? std::string("okta") : std::string(issuer.substr(0, 512))};
  grant.resource_type = "organization";
  grant.level = std::string(okta_scope_level(scope));
  grant.granted_by = std::string(text_at(record, {"createdBy", "id"}).substr(0, kMaxIdBytes));
  grant.via = "app";
  grant.source_policy = std::string(text(record, "id").substr(0, kMaxIdBytes));
  grant.origin = std::string(kOrigin);
  return {};
}

}  // namespace

std::string_view AppGrantsSource::description() const {
  return "Okta app grants: GET /api/v1/apps/{appId}/grants output, one or many apps (JSON arrays, "
         "concatenated or one per line)";
}

int AppGrantsSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!looks_like_json(head)) return 0;
  if (!has_json_key(head, "scopeId") || !has_json_key(head, "issuer")) return 0;
  if (has_json_key(head, "clientId") || has_json_key(head, "createdBy")) return 90;
  return 0;
}

core::Status AppGrantsSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.record_name = "app grant";
  std::set<std::string> apps;
  auto status = for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    core::Grant grant;
    bool active = true;
    const std::string error = convert_grant(record, grant, active);
    if (!error.empty()) {
      report(ctx, input, position.offset, position.line, fmt::format("app grant: {}; grant skipped", error));
      return;
    }
    if (apps.insert(grant.identity_id).second) {
      ctx.batch.grant_replacements.push_back(store::GrantReplacement{grant.identity_id, std::string(kOrigin)});
    }
    if (active) ctx.batch.grants.push_back(std::move(grant));
  });
  return status;
}

}  // namespace keyward::sources::okta
