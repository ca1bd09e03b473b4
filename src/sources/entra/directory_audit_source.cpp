// Reads Entra ID directory audit logs (Microsoft Graph directoryAudit resources) in three shapes:
//   Graph pages from GET /v1.0/auditLogs/directoryAudits: {"value": [directoryAudit, ...]};
//   PowerShell `Get-MgAuditLogDirectoryAudit | ConvertTo-Json -Depth 10`: the same records with
//     members spelled in PascalCase ("ActivityDisplayName"), so members are matched ignoring case;
//   diagnostic settings records of category AuditLogs: {"time", "category", "tenantId",
//     "properties": {directoryAudit fields}}, one per line or under "records".
// Every record becomes an event whose actor is the initiator (initiatedBy.user or .app) and whose
// request_parameters describe the target application or service principal (see
// docs/sources/entra.md). Credential additions and removals also update the inventory.
//
// modifiedProperties values are free text written by the service that logged the change. Only
// the values of a fixed list of properties are copied (key descriptions, permissions, app ids).
// Of any other property only the name is kept, and the raw record is not passed on.

#include "sources/entra/directory_audit_source.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "sources/entra/graph_common.hpp"

namespace keyward::sources::entra {
namespace {

constexpr std::string_view kSourceName = "entra-directory-audits";

constexpr std::string_view kAddServicePrincipal = "Add service principal";

// modifiedProperties whose values are copied into the event: identifiers and permission names,
// never secret material.
constexpr std::array<std::string_view, 13> kCopiedProperties = {
    "AppId",
    "AppPrincipalId",
    "AppRole.Value",
    "AppRole.DisplayName",
    "DelegatedPermissionGrant.Scope",
    "ConsentAction.Permissions",
    "ConsentContext.IsAdminConsent",
    "ConsentContext.OnBehalfOfAll",
    "ConsentContext.IsAppOnly",
    "ServicePrincipal.AppId",
    "Application.AppId",
    "TargetId.ServicePrincipalNames",
    "DisplayName",
};
constexpr size_t kMaxCopiedValueBytes = 512;
constexpr size_t kMaxIdBytes = 128;

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string lower(std::string_view text) {
  std::string out = clipped(text, 256);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Returns the member `key` of an object, matched exactly and else ignoring case, or nullopt.
std::optional<simdjson::dom::element> member(simdjson::dom::element object, std::string_view key) {
  simdjson::dom::object fields;
  if (object.get(fields) != simdjson::SUCCESS) return std::nullopt;
  simdjson::dom::element value;
  if (fields[key].get(value) == simdjson::SUCCESS) return value;
  for (auto field : fields) {
    if (equal_ignoring_case(field.key, key)) return field.value;
  }
  return std::nullopt;
}

std::string_view text(simdjson::dom::element object, std::string_view key) {
  auto value = member(object, key);
  std::string_view out;
  if (!value || value->get(out) != simdjson::SUCCESS) return {};
  return out;
}

std::optional<simdjson::dom::element> object_member(simdjson::dom::element object, std::string_view key) {
  auto value = member(object, key);
  if (!value || !value->is_object()) return std::nullopt;
  return value;
}

bool is_guid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// Reads activityDateTime as ISO 8601, or as "/Date(MILLISECONDS)/", which Windows PowerShell 5.1
// ConvertTo-Json writes for DateTime values.
std::optional<core::UnixTime> read_time(std::string_view value) {
  constexpr std::string_view kDatePrefix = "/Date(";
  if (value.substr(0, kDatePrefix.size()) == kDatePrefix) {
    long long milliseconds = 0;
    size_t i = kDatePrefix.size();
    bool digits = false;
    for (; i < value.size() && std::isdigit(static_cast<unsigned char>(value[i])); ++i) {
      milliseconds = milliseconds * 10 + (value[i] - '0');
      digits = true;
      if (milliseconds > 100000000000000LL) return std::nullopt;
    }
    if (!digits) return std::nullopt;
    return static_cast<core::UnixTime>(milliseconds / 1000);
  }
  return core::parse_time(value);
}

// One entry of a KeyDescription value: "[KeyIdentifier=ID,KeyType=Password,KeyUsage=Verify,DisplayName=NAME]".
struct KeyDescription {
  std::string key_id;
  std::string type;
  std::string usage;
  std::string display_name;
};

std::optional<KeyDescription> parse_key_description(std::string_view entry) {
  while (!entry.empty() && (entry.front() == '[' || entry.front() == ' ')) entry.remove_prefix(1);
  while (!entry.empty() && (entry.back() == ']' || entry.back() == ' ')) entry.remove_suffix(1);
  constexpr std::array<std::string_view, 4> kLabels = {"KeyIdentifier=", "KeyType=", "KeyUsage=", "DisplayName="};
  std::array<size_t, 4> starts{};
  for (size_t i = 0; i < kLabels.size(); ++i) starts[i] = entry.find(kLabels[i]);
  if (starts[0] == std::string_view::npos) return std::nullopt;
  // Each value runs to the next label that follows it; DisplayName comes last and may contain commas.
  auto value_of = [&](size_t index) -> std::string {
    if (starts[index] == std::string_view::npos) return {};
    const size_t begin = starts[index] + kLabels[index].size();
    size_t end = entry.size();
    for (size_t other = 0; other < kLabels.size(); ++other) {
      if (starts[other] != std::string_view::npos && starts[other] > begin && starts[other] < end) end = starts[other];
    }
    std::string_view value = entry.substr(begin, end - begin);
    while (!value.empty() && (value.back() == ',' || value.back() == ' ')) value.remove_suffix(1);
    return std::string(value);
  };
  KeyDescription key;
  key.key_id = clipped(value_of(0), kMaxIdBytes);
  key.type = clipped(value_of(1), 64);
  key.usage = clipped(value_of(2), 64);
  key.display_name = clipped(value_of(3), 256);
  if (key.key_id.empty()) return std::nullopt;
  return key;
}

std::string_view credential_kind(std::string_view key_type) {
  if (equal_ignoring_case(key_type, "Password")) return "entra_client_secret";
  if (key_type.find("X509") != std::string_view::npos || key_type.find("Asymmetric") != std::string_view::npos) {
    return "entra_certificate";
  }
  return "entra_key";
}

// The application or service principal a record is about.
struct Target {
  std::string type;          // "ServicePrincipal", "Application", "User", ...
  std::string object_id;     // targetResources[].id
  std::string display_name;
  std::string app_id;        // from modifiedProperties, when logged
  std::vector<KeyDescription> added_keys;
  std::vector<KeyDescription> removed_keys;
  nlohmann::json properties = nlohmann::json::object();  // values of kCopiedProperties
  std::vector<std::string> changed_properties;            // every modified property name
};

struct Initiator {
  std::string id;  // lower-case userPrincipalName, else user object id; appId, else servicePrincipalId
  std::string_view object_id;
  std::string_view name;
  std::string_view ip;
  std::string_view type;  // "User" or "ServicePrincipal"
  core::ActorKind kind = core::ActorKind::unknown;
};

class DirectoryAuditReader {
 public:
  DirectoryAuditReader(const Input& input, ParseContext& ctx) : input_(input), ctx_(ctx) {}

  void read(simdjson::dom::element record, const RecordPosition& position) {
    simdjson::dom::element body = record;
    const bool graph = member(record, "activityDisplayName").has_value();
    if (!graph) {
      auto properties = object_member(record, "properties");
      const std::string_view category = text(record, "category");
      if (equal_ignoring_case(category, "AuditLogs") && !properties) {
        report(ctx_, input_, position, "AuditLogs record has no properties object with the directoryAudit fields; record skipped");
        return;
      }
      if (!properties || !equal_ignoring_case(category, "AuditLogs")) {
        report(ctx_, input_, position,
               fmt::format("record is not a directory audit: a directoryAudit has activityDisplayName and "
                           "activityDateTime, a diagnostic record has category AuditLogs and properties{}; "
                           "record skipped",
                           category.empty() ? "" : fmt::format(" (category is '{}')", clipped(category, 64))));
        return;
      }
      body = *properties;
    }

    const std::string_view activity = text(body, "activityDisplayName");
    if (activity.empty()) {
      report(ctx_, input_, position, "directory audit record has no activityDisplayName; record skipped");
      return;
    }
    std::string_view time_text = text(body, "activityDateTime");
    if (time_text.empty() && !graph) time_text = text(record, "time");
    const std::optional<core::UnixTime> time = read_time(time_text);
    if (!time) {
      report(ctx_, input_, position,
             fmt::format("directory audit '{}' has no valid activityDateTime ('{}'); write times as ISO 8601, "
                         "for example 2024-06-12T09:00:00Z; record skipped",
                         clipped(activity, 80), clipped(time_text, 64)));
      return;
    }

    const bool succeeded = read_success(body);
    const Initiator initiator = read_initiator(body);
    const Target target = read_target(body);

    nlohmann::json parameters = {
        {"targetType", target.type},
        {"targetId", target.object_id},
        {"targetName", target.display_name},
        {"appId", target.app_id},
        {"addedKeys", keys_json(target.added_keys)},
        {"removedKeys", keys_json(target.removed_keys)},
        {"modifiedProperties", target.properties},
        {"changedProperties", target.changed_properties},
    };
    const std::string parameters_text = parameters.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string scopes;
    for (const char* key : {"DelegatedPermissionGrant.Scope", "AppRole.Value", "ConsentAction.Permissions"}) {
      auto found = target.properties.find(key);
      if (found != target.properties.end() && found->is_string() && scopes.empty()) scopes = found->get<std::string>();
    }

    core::Event event;
    event.platform = kPlatform;
    event.time = *time;
    event.event_id = text(body, "id");
    if (event.event_id.empty()) event.event_id = text(body, "correlationId");
    event.event_source = text(body, "loggedByService");
    event.event_name = activity;
    event.event_type = text(body, "category");
    const std::string result = result_text(body);
    if (!succeeded) {
      event.error_code = result.empty() ? std::string_view("failure") : std::string_view(result);
      event.error_message = text(body, "resultReason");
    }
    event.identity_type = initiator.type;
    event.identity_id = initiator.id;
    event.principal_id = initiator.object_id;
    event.user_name = initiator.name;
    event.actor_kind = initiator.kind;
    event.source_ip = initiator.ip;
    if (event.source_ip.empty() && !graph) event.source_ip = text(record, "callerIpAddress");
    if (event.source_ip == "<null>") event.source_ip = {};
    event.user_agent = user_agent(body);
    event.account_id = text(record, "tenantId");
    event.scopes = scopes;
    event.read_only = false;
    event.request_parameters = parameters_text;
    event.file = input_.path;
    event.offset = position.offset;

    if (succeeded) apply_lifecycle(activity, target, initiator, *time);
    ctx_.events.on_event(event);
  }

 private:
  static bool read_success(simdjson::dom::element body) {
    auto result = member(body, "result");
    if (!result) return true;  // records of some services carry no result
    int64_t number = 0;
    if (result->get(number) == simdjson::SUCCESS) return number == 0;
    std::string_view value;
    if (result->get(value) == simdjson::SUCCESS) return value.empty() || equal_ignoring_case(value, "success");
    return true;
  }

  static std::string result_text(simdjson::dom::element body) {
    auto result = member(body, "result");
    if (!result) return {};
    std::string_view value;
    if (result->get(value) == simdjson::SUCCESS) return clipped(value, 64);
    int64_t number = 0;
    if (result->get(number) == simdjson::SUCCESS) return std::to_string(number);
    return {};
  }

  static std::string_view user_agent(simdjson::dom::element body) {
    auto details = member(body, "additionalDetails");
    simdjson::dom::array items;
    if (!details || details->get(items) != simdjson::SUCCESS) return {};
    for (simdjson::dom::element item : items) {
      if (equal_ignoring_case(text(item, "key"), "User-Agent")) return text(item, "value");
    }
    return {};
  }

  Initiator read_initiator(simdjson::dom::element body) {
    Initiator initiator;
    auto initiated_by = object_member(body, "initiatedBy");
    if (!initiated_by) return initiator;
    if (auto user = object_member(*initiated_by, "user")) {
      const std::string_view principal_name = text(*user, "userPrincipalName");
      const std::string_view object_id = text(*user, "id");
      if (!principal_name.empty() || !object_id.empty()) {
        initiator.id = principal_name.empty() ? clipped(object_id, kMaxIdBytes) : lower(principal_name);
        initiator.object_id = object_id;
        initiator.name = principal_name;
        initiator.ip = text(*user, "ipAddress");
        initiator.type = "User";
        initiator.kind = core::ActorKind::human;
        return initiator;
      }
    }
    if (auto app = object_member(*initiated_by, "app")) {
      const std::string_view app_id = text(*app, "appId");
      const std::string_view principal_id = text(*app, "servicePrincipalId");
      if (!app_id.empty() || !principal_id.empty()) {
        initiator.id = clipped(app_id.empty() ? principal_id : app_id, kMaxIdBytes);
        initiator.object_id = principal_id;
        initiator.name = text(*app, "displayName");
        if (initiator.name.empty()) initiator.name = text(*app, "servicePrincipalName");
        initiator.ip = text(*app, "ipAddress");
        initiator.type = "ServicePrincipal";
        initiator.kind = core::ActorKind::machine;
      }
    }
    return initiator;
  }

  // Returns the strings a modifiedProperty value holds. Graph logs values as JSON text
  // ("[\"a\"]", "\"a\"", "[true]"); some exports have already decoded them into arrays.
  std::vector<std::string> value_strings(std::optional<simdjson::dom::element> value) {
    std::vector<std::string> out;
    if (!value) return out;
    simdjson::dom::element decoded = *value;
    std::string_view raw;
    if (value->get(raw) == simdjson::SUCCESS) {
      if (raw.empty()) return out;
      nested_text_.assign(raw);
      if (nested_parser_.parse(nested_text_).get(decoded) != simdjson::SUCCESS) {
        out.push_back(std::string(raw));
        return out;
      }
    }
    std::string_view single;
    if (decoded.get(single) == simdjson::SUCCESS) {
      out.push_back(std::string(single));
      return out;
    }
    simdjson::dom::array items;
    if (decoded.get(items) == simdjson::SUCCESS) {
      for (simdjson::dom::element item : items) {
        if (out.size() >= kMaxArrayItems) break;
        std::string_view item_text;
        if (item.get(item_text) == simdjson::SUCCESS) {
          out.push_back(std::string(item_text));
        } else if (item.is_bool() || item.is_number()) {
          out.push_back(simdjson::to_string(item));
        }
      }
      return out;
    }
    if (decoded.is_bool() || decoded.is_number()) out.push_back(simdjson::to_string(decoded));
    return out;
  }

  std::vector<KeyDescription> key_descriptions(std::optional<simdjson::dom::element> value) {
    std::vector<KeyDescription> keys;
    for (const std::string& entry : value_strings(value)) {
      if (auto key = parse_key_description(entry)) keys.push_back(std::move(*key));
    }
    return keys;
  }

  Target read_target(simdjson::dom::element body) {
    Target target;
    auto resources = member(body, "targetResources");
    simdjson::dom::array items;
    if (!resources || resources->get(items) != simdjson::SUCCESS) return target;
    // The application or service principal is the target that matters; "Add owner to ..." lists
    // the new owner first.
    std::optional<simdjson::dom::element> chosen;
    for (simdjson::dom::element item : items) {
      if (!item.is_object()) continue;
      const std::string_view type = text(item, "type");
      if (equal_ignoring_case(type, "ServicePrincipal") || equal_ignoring_case(type, "Application")) {
        chosen = item;
        break;
      }
      if (!chosen) chosen = item;
    }
    if (!chosen) return target;

    target.type = clipped(text(*chosen, "type"), 64);
    target.object_id = clipped(text(*chosen, "id"), kMaxIdBytes);
    target.display_name = clipped(text(*chosen, "displayName"));
    auto modified = member(*chosen, "modifiedProperties");
    simdjson::dom::array properties;
    if (!modified || modified->get(properties) != simdjson::SUCCESS) return target;

    std::vector<KeyDescription> old_keys;
    std::vector<KeyDescription> new_keys;
    for (simdjson::dom::element property : properties) {
      if (!property.is_object()) continue;
      const std::string_view name = text(property, "displayName");
      if (name.empty()) continue;
      if (target.changed_properties.size() < kMaxArrayItems) target.changed_properties.push_back(clipped(name, 128));
      if (equal_ignoring_case(name, "KeyDescription")) {
        old_keys = key_descriptions(member(property, "oldValue"));
        new_keys = key_descriptions(member(property, "newValue"));
        continue;
      }
      const auto copied = std::find_if(kCopiedProperties.begin(), kCopiedProperties.end(),
                                       [&](std::string_view known) { return equal_ignoring_case(known, name); });
      if (copied == kCopiedProperties.end()) continue;
      const std::vector<std::string> values = value_strings(member(property, "newValue"));
      if (values.empty()) continue;
      std::string joined;
      for (const std::string& value : values) {
        if (!joined.empty()) joined += ' ';
        joined += value;
      }
      target.properties[std::string(*copied)] = clipped(joined, kMaxCopiedValueBytes);
      if (target.app_id.empty()) target.app_id = app_id_in(*copied, values);
    }

    // Graph lists every key of the object before and after the change, so the difference is
    // what was added or removed.
    auto contains = [](const std::vector<KeyDescription>& keys, const std::string& key_id) {
      return std::any_of(keys.begin(), keys.end(), [&](const KeyDescription& key) { return key.key_id == key_id; });
    };
    for (const KeyDescription& key : new_keys) {
      if (!contains(old_keys, key.key_id)) target.added_keys.push_back(key);
    }
    for (const KeyDescription& key : old_keys) {
      if (!contains(new_keys, key.key_id)) target.removed_keys.push_back(key);
    }
    // NOTE: a credential activity without KeyDescription is kept as an event without keys and is
    // not reported, because ingest counts every reported record as skipped.
    return target;
  }

  // "TargetId.ServicePrincipalNames" is "APP_ID;https://..." (the names of the service
  // principal, its appId among them); AppId and AppPrincipalId hold the appId itself.
  static std::string app_id_in(std::string_view property, const std::vector<std::string>& values) {
    if (property != "TargetId.ServicePrincipalNames" && property != "AppId" && property != "AppPrincipalId") return {};
    for (const std::string& value : values) {
      std::string_view rest = value;
      while (!rest.empty()) {
        const size_t end = rest.find(';');
        const std::string_view token = rest.substr(0, end);
        if (is_guid(token)) return std::string(token);
        if (end == std::string_view::npos) break;
        rest.remove_prefix(end + 1);
      }
    }
    return {};
  }

  static nlohmann::json keys_json(const std::vector<KeyDescription>& keys) {
    nlohmann::json out = nlohmann::json::array();
    for (const KeyDescription& key : keys) {
      out.push_back({{"keyId", key.key_id}, {"keyType", key.type}, {"keyUsage", key.usage}, {"displayName", key.display_name}});
    }
    return out;
  }

  void apply_lifecycle(std::string_view activity, const Target& target, const Initiator& initiator, core::UnixTime time) {
    const std::string identity_id = target.app_id.empty() ? target.object_id : target.app_id;
    if (identity_id.empty()) return;
    const bool application = equal_ignoring_case(target.type, "Application");
    const std::string_view object = application ? "application" : "service_principal";

    if (activity == kAddServicePrincipal || !target.added_keys.empty()) observe_target(target, identity_id, application);
    for (const KeyDescription& key : target.added_keys) {
      core::Credential credential = key_credential(key, identity_id, object);
      credential.created = time;
      credential.last_rotated = time;
      if (!initiator.id.empty()) credential.attributes[std::string(attribute::kCreatedBy)] = initiator.id;
      ctx_.batch.credentials.push_back(std::move(credential));
    }
    for (const KeyDescription& key : target.removed_keys) {
      core::Credential credential = key_credential(key, identity_id, object);
      credential.status = "deleted";
      credential.attributes["deleted_by"] = initiator.id;
      credential.attributes["deleted_time"] = core::format_time(time);
      ctx_.batch.credentials.push_back(std::move(credential));
    }
  }

  static core::Credential key_credential(const KeyDescription& key, const std::string& identity_id, std::string_view object) {
    core::Credential credential;
    credential.platform = std::string(kPlatform);
    credential.id = key.key_id;
    credential.identity_id = identity_id;
    credential.kind = std::string(credential_kind(key.type));
    credential.attributes["source"] = std::string(kSourceName);
    credential.attributes["object"] = std::string(object);
    if (!key.display_name.empty()) credential.attributes["display_name"] = key.display_name;
    if (!key.type.empty()) credential.attributes["type"] = key.type;
    if (!key.usage.empty()) credential.attributes["usage"] = key.usage;
    return credential;
  }

  // Adds the target to observed identities once per input; an inventory export, when ingested,
  // supplies the rest. NOTE: who created a service principal is not stored, because an identity
  // upsert would overwrite the kind and status that the service principals export sets.
  void observe_target(const Target& target, const std::string& identity_id, bool application) {
    if (!observed_.insert(identity_id).second) return;
    core::Identity identity;
    identity.platform = std::string(kPlatform);
    identity.id = identity_id;
    identity.kind = application ? "entra_application" : "entra_service_principal";
    identity.name = target.display_name;
    identity.classification = core::Classification::machine;
    identity.classification_reason = "target of an application management audit record";
    ctx_.batch.observed_identities.push_back(std::move(identity));
  }

  const Input& input_;
  ParseContext& ctx_;
  simdjson::dom::parser nested_parser_;
  std::string nested_text_;
  std::set<std::string> observed_;
};

}  // namespace

std::string_view DirectoryAuditSource::name() const { return kSourceName; }

std::string_view DirectoryAuditSource::description() const {
  return "Entra directory audit logs: Microsoft Graph GET /v1.0/auditLogs/directoryAudits pages, "
         "Get-MgAuditLogDirectoryAudit | ConvertTo-Json -Depth 10, or diagnostic settings records of category AuditLogs";
}

int DirectoryAuditSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!starts_like_json(head)) return 0;
  if (head.find("$metadata#auditLogs/directoryAudits") != std::string_view::npos) return 95;
  const bool graph = (has_json_key(head, "activityDisplayName") || has_json_key(head, "ActivityDisplayName")) &&
                     (has_json_key(head, "activityDateTime") || has_json_key(head, "ActivityDateTime"));
  const bool diagnostic = has_json_key(head, "category") && has_json_key(head, "properties") &&
                          head.find("\"AuditLogs\"") != std::string_view::npos;
  // Sign-in records never carry activityDisplayName, so these keys outrank the sign-ins source.
  if (graph) return 92;
  return diagnostic ? 90 : 0;
}

core::Status DirectoryAuditSource::parse(const Input& input, ParseContext& ctx) const {
  DirectoryAuditReader reader(input, ctx);
  JsonRecordOptions options = graph_record_options("directory audit record");
  // Diagnostic settings archives in storage accounts wrap records in {"records": [...]}.
  options.envelope_keys.push_back("records");
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    reader.read(record, position);
  });
}

}  // namespace keyward::sources::entra
