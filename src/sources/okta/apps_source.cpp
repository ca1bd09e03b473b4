// Reads GET /api/v1/apps output: an array of Application objects
//   {"id", "name", "label", "status", "signOnMode", "created", "lastUpdated",
//    "credentials": {"oauthClient": {"client_id", "token_endpoint_auth_method", "client_secret"}},
//    "settings": {"oauthClient": {"application_type", "grant_types", "jwks": {"keys"}, "jwks_uri"}},
//    "_links", "_embedded"}
// API service apps (application_type "service") become okta_service_app identities, every other
// app okta_app. Client secrets and JWKS keys become credential records; a secret's value is never
// read, even when the export contains it.

#include <fmt/format.h>

#include "sources/common/json_records.hpp"
#include "sources/okta/app_catalog.hpp"
#include "sources/okta/okta_json.hpp"
#include "sources/okta/sources.hpp"

namespace keyward::sources::okta {
namespace {

constexpr size_t kMaxIdBytes = 128;
constexpr size_t kMaxKeysPerApp = 64;

std::string normalized_app_status(std::string_view status) {
  if (status == "INACTIVE") return "disabled";
  if (status == "DELETED") return "deleted";
  return "active";
}

// The token endpoint authentication method: Okta writes it under credentials.oauthClient, and
// Dynamic Client Registration output under settings.oauthClient.
std::string_view auth_method_of(simdjson::dom::element app) {
  std::string_view method = text_at(app, {"credentials", "oauthClient", "token_endpoint_auth_method"});
  if (method.empty()) method = text_at(app, {"settings", "oauthClient", "token_endpoint_auth_method"});
  return method;
}

void add_secret_credential(const core::Identity& identity, std::string_view method, bool secret_in_export,
                           std::vector<core::Credential>& out) {
  core::Credential credential;
  credential.platform = identity.platform;
  credential.id = identity.id + "#client_secret";
  credential.identity_id = identity.id;
  credential.kind = "okta_client_secret";
  credential.status = identity.status == "active" ? "active" : "inactive";
  credential.attributes["source"] = "okta-apps";
  credential.attributes["token_endpoint_auth_method"] = std::string(method);
  // Only the fact is kept: the value itself is a secret.
  if (secret_in_export) credential.attributes["secret_in_export"] = true;
  out.push_back(std::move(credential));
}

void add_key_credentials(simdjson::dom::element app, const core::Identity& identity, std::string_view method,
                         std::vector<core::Credential>& out) {
  const std::string_view jwks_uri = text_at(app, {"settings", "oauthClient", "jwks_uri"});
  if (!jwks_uri.empty()) {
    core::Credential credential;
    credential.platform = identity.platform;
    credential.id = identity.id + "#jwks_uri";
    credential.identity_id = identity.id;
    credential.kind = "okta_client_jwk";
    credential.attributes["source"] = "okta-apps";
    credential.attributes["jwks_uri"] = std::string(jwks_uri.substr(0, 2048));
    credential.attributes["token_endpoint_auth_method"] = std::string(method);
    out.push_back(std::move(credential));
  }
  auto keys = member_at(app, {"settings", "oauthClient", "jwks", "keys"});
  simdjson::dom::array key_array;
  if (!keys || keys->get(key_array) != simdjson::SUCCESS) return;
  size_t index = 0;
  for (simdjson::dom::element key : key_array) {
    if (index >= kMaxKeysPerApp) break;
    const std::string_view kid = text(key, "kid");
    const std::string_view key_id = text(key, "id");
    core::Credential credential;
    credential.platform = identity.platform;
    // A kid is unique within its app only. A key without id or kid is named by its position.
    credential.id = identity.id + "#jwk:" +
                    std::string(!key_id.empty() ? key_id.substr(0, kMaxIdBytes)
                                                : !kid.empty() ? kid.substr(0, kMaxIdBytes) : std::to_string(index));
    credential.identity_id = identity.id;
    credential.kind = "okta_client_jwk";
    const std::string_view key_status = text(key, "status");
    credential.status = key_status == "INACTIVE" ? "inactive" : "active";
    credential.created = time_field(key, "created").time;
    credential.attributes["source"] = "okta-apps";
    credential.attributes["token_endpoint_auth_method"] = std::string(method);
    if (!kid.empty()) credential.attributes["kid"] = std::string(kid.substr(0, kMaxIdBytes));
    for (std::string_view field : {"kty", "alg", "use"}) {
      const std::string_view value = text(key, field);
      if (!value.empty()) credential.attributes[std::string(field)] = std::string(value.substr(0, 64));
    }
    out.push_back(std::move(credential));
    ++index;
  }
}

// Converts one app. Returns an error message, or "" on success.
std::string convert_app(simdjson::dom::element app, core::Identity& identity, std::vector<core::Credential>& credentials) {
  const std::string_view id = text(app, "id");
  if (id.empty()) return "missing string id (the app id, e.g. 0oafxqCAJWWGELFTYASJ)";
  if (id.size() > kMaxIdBytes) return fmt::format("id is over {} bytes", kMaxIdBytes);
  const TimeField created = time_field(app, "created");
  if (created.invalid) return fmt::format("created '{}' is not an ISO 8601 time", created.raw);

  const std::string_view name = text(app, "name");
  const std::string_view label = text(app, "label");
  const std::string_view sign_on_mode = text(app, "signOnMode");
  const std::string_view application_type = text_at(app, {"settings", "oauthClient", "application_type"});
  const std::string_view client_id = text_at(app, {"credentials", "oauthClient", "client_id"});
  const std::string_view method = auth_method_of(app);
  const auto grant_types = [&] {
    auto oauth = member_at(app, {"settings", "oauthClient"});
    return oauth ? strings(*oauth, "grant_types") : std::vector<std::string>{};
  }();
  const bool service = application_type == "service";
  const bool okta_own = is_okta_app_name(name);
  const bool third_party = !okta_own && !is_custom_app_name(name);

  identity.platform = std::string(kPlatform);
  identity.id = std::string(id);
  identity.kind = service ? "okta_service_app" : "okta_app";
  identity.name = std::string(label);
  if (identity.name.empty()) identity.name = std::string(name);
  if (identity.name.empty()) identity.name = identity.id;
  identity.created = created.time;
  identity.status = normalized_app_status(text(app, "status"));
  identity.classification = core::Classification::machine;
  identity.classification_reason = service ? "Okta API service app: signs in with client credentials, no user"
                                           : "Okta app integration";
  auto& attributes = identity.attributes;
  if (!name.empty()) attributes["app_name"] = std::string(name);
  if (!sign_on_mode.empty()) attributes["sign_on_mode"] = std::string(sign_on_mode);
  if (!application_type.empty()) attributes["application_type"] = std::string(application_type);
  if (!grant_types.empty()) attributes["grant_types"] = grant_types;
  if (!method.empty()) attributes["token_endpoint_auth_method"] = std::string(method);
  if (!client_id.empty()) attributes[std::string(core::attribute::kAliases)] = std::vector<std::string>{std::string(client_id)};
  if (third_party) {
    identity.vendor = vendor_of_catalog_app(name, label);
    attributes[std::string(core::attribute::kPublisher)] = std::string(name);
    // OIN integrations are reviewed by Okta before they are listed.
    attributes[std::string(core::attribute::kPublisherVerified)] = true;
    attributes[std::string(core::attribute::kThirdParty)] = true;
  } else if (okta_own) {
    identity.vendor = "Okta";
    attributes[std::string(core::attribute::kThirdParty)] = false;
  } else {
    attributes[std::string(core::attribute::kThirdParty)] = false;
  }

  if (method == "client_secret_basic" || method == "client_secret_post" || method == "client_secret_jwt") {
    const bool secret_in_export = !text_at(app, {"credentials", "oauthClient", "client_secret"}).empty();
    add_secret_credential(identity, method, secret_in_export, credentials);
  } else if (method == "private_key_jwt") {
    add_key_credentials(app, identity, method, credentials);
  }
  return {};
}

}  // namespace

std::string_view AppsSource::description() const {
  return "Okta apps: GET /api/v1/apps output (JSON array, pages concatenated or one per line)";
}

int AppsSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!looks_like_json(head)) return 0;
  if (has_json_key(head, "signOnMode") && has_json_key(head, "label")) return 90;
  return 0;
}

core::Status AppsSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.record_name = "app";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element app, const RecordPosition& position) {
    core::Identity identity;
    std::vector<core::Credential> credentials;
    const std::string error = convert_app(app, identity, credentials);
    if (!error.empty()) {
      report(ctx, input, position.offset, position.line, fmt::format("app: {}; app skipped", error));
      return;
    }
    ctx.batch.identities.push_back(std::move(identity));
    for (auto& credential : credentials) ctx.batch.credentials.push_back(std::move(credential));
  });
}

}  // namespace keyward::sources::okta
