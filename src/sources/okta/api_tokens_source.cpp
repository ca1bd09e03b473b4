// Reads GET /api/v1/api-tokens output: an array of
//   {"id", "name", "userId", "clientName", "tokenWindow", "created", "lastUpdated", "expiresAt",
//    "network": {"connection", "include", "exclude"}, "_links"}
// An SSWS API token acts as the user who created it, with that user's admin roles, so each token
// is an identity of its own (kind okta_api_token) with one credential (kind okta_ssws_token).

#include <fmt/format.h>

#include "sources/common/json_records.hpp"
#include "sources/okta/okta_json.hpp"
#include "sources/okta/sources.hpp"

namespace keyward::sources::okta {
namespace {

// Okta token ids in exports are 20 characters ("00T94e3cn9kSEO3c51s5"), so a far longer value is not an id.
constexpr size_t kMaxIdBytes = 128;

// Copies the network restriction into `attributes`: "ANYWHERE" accepts calls from any IP, "ZONE"
// only from the included network zones (minus the excluded ones).
void read_network(simdjson::dom::element token, nlohmann::json& attributes) {
  auto network = member(token, "network");
  if (!network || network->is_null()) return;
  const std::string_view connection = text(*network, "connection");
  if (!connection.empty()) attributes["network_connection"] = std::string(connection);
  const auto include = strings(*network, "include");
  if (!include.empty()) attributes["network_include"] = include;
  const auto exclude = strings(*network, "exclude");
  if (!exclude.empty()) attributes["network_exclude"] = exclude;
}

// Converts one token. Returns an error message, or "" on success.
std::string convert_token(simdjson::dom::element token, core::Identity& identity, core::Credential& credential) {
  const std::string_view id = text(token, "id");
  if (id.empty()) return "missing string id (the API token id, e.g. 00T94e3cn9kSEO3c51s5)";
  if (id.size() > kMaxIdBytes) return fmt::format("id is over {} bytes", kMaxIdBytes);
  const std::string_view user_id = text(token, "userId");
  const TimeField created = time_field(token, "created");
  if (created.invalid) return fmt::format("created '{}' is not an ISO 8601 time", created.raw);
  const TimeField expires = time_field(token, "expiresAt");
  if (expires.invalid) return fmt::format("expiresAt '{}' is not an ISO 8601 time", expires.raw);
  const TimeField updated = time_field(token, "lastUpdated");

  identity.platform = std::string(kPlatform);
  identity.id = std::string(id);
  identity.kind = "okta_api_token";
  identity.name = std::string(text(token, "name"));
  if (identity.name.empty()) identity.name = identity.id;
  // The API names the creator only by user id, which okta-users lists in the user's aliases.
  identity.owner = std::string(user_id);
  identity.created = created.time;
  identity.classification = core::Classification::machine;
  identity.classification_reason = "Okta SSWS API token: a secret used by scripts and integrations";
  auto& attributes = identity.attributes;
  attributes[std::string(core::attribute::kShadow)] = true;
  attributes[std::string(core::attribute::kPrivilege)] = "admin";
  if (!user_id.empty()) {
    attributes[std::string(core::attribute::kCreatedBy)] = std::string(user_id);
    attributes["user_id"] = std::string(user_id);
  }
  const std::string_view client_name = text(token, "clientName");
  if (!client_name.empty()) attributes["client_name"] = std::string(client_name);
  const std::string_view window = text(token, "tokenWindow");
  if (!window.empty()) attributes["token_window"] = std::string(window);
  read_network(token, attributes);

  credential.platform = identity.platform;
  credential.id = identity.id;
  credential.identity_id = identity.id;
  credential.kind = "okta_ssws_token";
  credential.created = created.time;
  credential.last_rotated = created.time;
  // expiresAt moves forward by tokenWindow each time the token is used, so it is an idle
  // expiry. NOTE: last use is roughly expiresAt minus tokenWindow, but Okta does not state it,
  // so last_used stays unknown.
  credential.expires = expires.time;
  credential.attributes["source"] = "okta-api-tokens";
  if (updated.time) credential.attributes["last_updated"] = core::format_time(*updated.time);
  if (attributes.contains("network_connection")) credential.attributes["network_connection"] = attributes["network_connection"];
  if (attributes.contains("token_window")) credential.attributes["token_window"] = attributes["token_window"];
  return {};
}

}  // namespace

std::string_view ApiTokensSource::description() const {
  return "Okta API tokens: GET /api/v1/api-tokens output (JSON array, pages concatenated or one per line)";
}

int ApiTokensSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!looks_like_json(head)) return 0;
  if (!has_json_key(head, "userId")) return 0;
  if (has_json_key(head, "tokenWindow")) return 90;
  if (has_json_key(head, "clientName") && has_json_key(head, "expiresAt") && has_json_key(head, "network")) return 80;
  return 0;
}

core::Status ApiTokensSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.record_name = "API token";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element token, const RecordPosition& position) {
    core::Identity identity;
    core::Credential credential;
    const std::string error = convert_token(token, identity, credential);
    if (!error.empty()) {
      report(ctx, input, position.offset, position.line, fmt::format("API token: {}; token skipped", error));
      return;
    }
    ctx.batch.identities.push_back(std::move(identity));
    ctx.batch.credentials.push_back(std::move(credential));
  });
}

}  // namespace keyward::sources::okta
