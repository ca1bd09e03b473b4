#include "sources/gcp/audit_log_lifecycle.hpp"

#include <array>

#include "sources/common/json_records.hpp"
#include "sources/gcp/gcp_names.hpp"

namespace keyward::sources::gcp {
namespace {

constexpr std::string_view kAdminPrefix = "google.iam.admin.v1.";

// Enum values of google.iam.admin.v1 as audit logs print them when they print numbers.
constexpr std::array<std::string_view, 3> kKeyTypes = {"KEY_TYPE_UNSPECIFIED", "USER_MANAGED", "SYSTEM_MANAGED"};
constexpr std::array<std::string_view, 3> kKeyOrigins = {"ORIGIN_UNSPECIFIED", "USER_PROVIDED", "GOOGLE_PROVIDED"};
constexpr std::array<std::string_view, 3> kKeyAlgorithms = {"KEY_ALG_UNSPECIFIED", "KEY_ALG_RSA_1024", "KEY_ALG_RSA_2048"};

// Reads a member spelled in snake_case (the audit log's proto field names) or camelCase.
simdjson::simdjson_result<simdjson::dom::element> member(simdjson::dom::element object, std::string_view snake,
                                                        std::string_view camel) {
  auto value = object[snake];
  if (value.error() == simdjson::SUCCESS) return value;
  return object[camel];
}

std::string_view string_member(simdjson::dom::element object, std::string_view snake, std::string_view camel) {
  std::string_view value;
  if (member(object, snake, camel).get(value) != simdjson::SUCCESS) return {};
  return value;
}

// An enum printed as its name or as its number.
std::string enum_member(simdjson::dom::element object, std::string_view snake, std::string_view camel,
                        const std::array<std::string_view, 3>& names) {
  std::string_view text;
  if (member(object, snake, camel).get(text) == simdjson::SUCCESS) return std::string(text.substr(0, 64));
  int64_t number = 0;
  if (member(object, snake, camel).get(number) == simdjson::SUCCESS && number >= 0 && number < 3) {
    return std::string(names[static_cast<size_t>(number)]);
  }
  return {};
}

// A google.protobuf.Timestamp printed as {"seconds": N} or as an RFC 3339 string.
std::optional<core::UnixTime> time_member(simdjson::dom::element object, std::string_view snake, std::string_view camel) {
  simdjson::dom::element value;
  if (member(object, snake, camel).get(value) != simdjson::SUCCESS) return std::nullopt;
  std::string_view text;
  if (value.get(text) == simdjson::SUCCESS) return core::parse_time(text);
  int64_t seconds = 0;
  if (value["seconds"].get(seconds) == simdjson::SUCCESS) return seconds;
  return std::nullopt;
}

// The service account email a request names, falling back to the resource labels when the
// request uses the numeric unique id ("projects/-/serviceAccounts/1234...").
std::string account_email(std::string_view account, simdjson::dom::element entry) {
  if (account.find('@') != std::string_view::npos) return std::string(account);
  simdjson::dom::element labels;
  if (entry["resource"]["labels"].get(labels) != simdjson::SUCCESS) return {};
  const std::string_view email = string_or_empty(labels, "email_id");
  return email.find('@') == std::string_view::npos ? std::string() : std::string(email);
}

core::Identity service_account_identity(const std::string& email) {
  core::Identity identity = observed_service_account(email);
  identity.attributes["source"] = "gcp-audit-log";
  return identity;
}

void created_account(simdjson::dom::element payload, const LifecycleFacts& facts, store::Batch& batch) {
  simdjson::dom::element response;
  if (payload["response"].get(response) != simdjson::SUCCESS || !response.is_object()) return;
  const std::string_view email = string_member(response, "email", "email");
  if (email.find('@') == std::string_view::npos) return;
  core::Identity identity = service_account_identity(std::string(email));
  const std::string_view display_name = string_member(response, "display_name", "displayName");
  if (!display_name.empty()) identity.name = std::string(display_name);
  const std::string_view project = string_member(response, "project_id", "projectId");
  if (!project.empty()) identity.account = std::string(project);
  const std::string_view description = string_member(response, "description", "description");
  if (!description.empty()) {
    identity.attributes["description"] = std::string(description);
    identity.owner = owner_from_description(description);
  }
  nlohmann::json aliases = nlohmann::json::array();
  for (std::string_view alias : {string_member(response, "unique_id", "uniqueId"), string_member(response, "oauth2_client_id", "oauth2ClientId")}) {
    if (!alias.empty() && alias.size() <= 256 && (aliases.empty() || aliases.front() != alias)) aliases.push_back(std::string(alias));
  }
  if (!aliases.empty()) identity.attributes[std::string(core::attribute::kAliases)] = std::move(aliases);
  identity.created = facts.time;
  if (!facts.actor.empty()) identity.attributes[std::string(core::attribute::kCreatedBy)] = facts.actor;
  batch.identities.push_back(std::move(identity));
}

void created_key(simdjson::dom::element entry, simdjson::dom::element payload, const LifecycleFacts& facts, store::Batch& batch) {
  simdjson::dom::element response;
  if (payload["response"].get(response) != simdjson::SUCCESS || !response.is_object()) return;
  const auto name = parse_key_name(string_member(response, "name", "name"));
  if (!name) return;
  const std::string email = account_email(name->service_account, entry);
  if (email.empty()) return;
  core::Credential credential;
  credential.platform = std::string(kPlatform);
  credential.id = name->key_id;
  credential.identity_id = email;
  credential.kind = std::string(kKeyKind);
  credential.created = time_member(response, "valid_after_time", "validAfterTime");
  if (!credential.created) credential.created = facts.time;
  credential.last_rotated = credential.created;
  if (const auto valid_before = time_member(response, "valid_before_time", "validBeforeTime")) {
    credential.expires = key_expiry(*valid_before);
  }
  const std::string key_type = enum_member(response, "key_type", "keyType", kKeyTypes);
  if (!key_type.empty()) credential.attributes["key_type"] = key_type;
  const std::string key_origin = enum_member(response, "key_origin", "keyOrigin", kKeyOrigins);
  if (!key_origin.empty()) credential.attributes["key_origin"] = key_origin;
  const std::string algorithm = enum_member(response, "key_algorithm", "keyAlgorithm", kKeyAlgorithms);
  if (!algorithm.empty()) credential.attributes["algorithm"] = algorithm;
  credential.attributes["project"] = name->project;
  credential.attributes["source"] = "gcp-audit-log";
  if (!facts.actor.empty()) credential.attributes[std::string(core::attribute::kCreatedBy)] = facts.actor;
  batch.credentials.push_back(std::move(credential));
  batch.observed_identities.push_back(observed_service_account(email));
}

// DeleteServiceAccountKey, DisableServiceAccountKey, EnableServiceAccountKey: request.name is the key.
void changed_key(simdjson::dom::element entry, simdjson::dom::element payload, std::string_view status,
                 const LifecycleFacts& facts, store::Batch& batch) {
  simdjson::dom::element request;
  if (payload["request"].get(request) != simdjson::SUCCESS || !request.is_object()) return;
  const auto name = parse_key_name(string_member(request, "name", "name"));
  if (!name) return;
  const std::string email = account_email(name->service_account, entry);
  if (email.empty()) return;
  core::Credential credential;
  credential.platform = std::string(kPlatform);
  credential.id = name->key_id;
  credential.identity_id = email;
  credential.kind = std::string(kKeyKind);
  credential.status = std::string(status);
  credential.attributes["source"] = "gcp-audit-log";
  credential.attributes[status == "deleted" ? "deleted_by" : "status_changed_by"] = facts.actor;
  credential.attributes[status == "deleted" ? "deleted_time" : "status_changed_time"] = core::format_time(facts.time);
  batch.credentials.push_back(std::move(credential));
}

// DeleteServiceAccount, DisableServiceAccount, EnableServiceAccount: request.name is the account.
void changed_account(simdjson::dom::element entry, simdjson::dom::element payload, std::string_view status,
                     const LifecycleFacts& facts, store::Batch& batch) {
  simdjson::dom::element request;
  if (payload["request"].get(request) != simdjson::SUCCESS || !request.is_object()) return;
  const std::string email = account_email(service_account_of_resource(string_member(request, "name", "name")), entry);
  if (email.empty()) return;
  core::Identity identity = service_account_identity(email);
  identity.status = std::string(status);
  identity.attributes[status == "deleted" ? "deleted_by" : "status_changed_by"] = facts.actor;
  identity.attributes[status == "deleted" ? "deleted_time" : "status_changed_time"] = core::format_time(facts.time);
  batch.identities.push_back(std::move(identity));
}

}  // namespace

void apply_lifecycle(std::string_view method, simdjson::dom::element entry, simdjson::dom::element payload,
                     const LifecycleFacts& facts, store::Batch& batch) {
  if (!facts.succeeded || method.substr(0, kAdminPrefix.size()) != kAdminPrefix) return;
  method.remove_prefix(kAdminPrefix.size());
  // NOTE: these facts are applied in input order. Ingesting an old log after a newer inventory
  // export can set a status the export already superseded.
  if (method == "CreateServiceAccount") return created_account(payload, facts, batch);
  if (method == "CreateServiceAccountKey" || method == "UploadServiceAccountKey") return created_key(entry, payload, facts, batch);
  if (method == "DeleteServiceAccountKey") return changed_key(entry, payload, "deleted", facts, batch);
  if (method == "DisableServiceAccountKey") return changed_key(entry, payload, "inactive", facts, batch);
  if (method == "EnableServiceAccountKey") return changed_key(entry, payload, "active", facts, batch);
  if (method == "DeleteServiceAccount") return changed_account(entry, payload, "deleted", facts, batch);
  if (method == "DisableServiceAccount") return changed_account(entry, payload, "disabled", facts, batch);
  if (method == "EnableServiceAccount") return changed_account(entry, payload, "active", facts, batch);
}

}  // namespace keyward::sources::gcp
