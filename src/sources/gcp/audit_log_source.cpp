// Reads Cloud Audit Logs entries (google.cloud.audit.AuditLog in protoPayload):
//   `gcloud logging read FILTER --format=json` (a JSON array of LogEntry objects), a log sink's
//   export to Cloud Storage (one LogEntry per line), and single entries.
// Every entry with a principal becomes a core::Event. Service account and workload identity
// callers that no inventory export listed are added as observed identities, and the IAM admin
// methods that create, delete, disable or enable service accounts and keys update them.

#include "sources/gcp/audit_log_source.hpp"

#include <fmt/format.h>

#include <array>
#include <set>

#include "sources/common/json_records.hpp"
#include "sources/gcp/audit_log_lifecycle.hpp"
#include "sources/gcp/gcp_names.hpp"

namespace keyward::sources::gcp {
namespace {

constexpr size_t kMaxDelegationChain = 16;
constexpr size_t kMaxRawJsonBytes = 64 * 1024;

// google.rpc.Code names, indexed by code.
constexpr std::array<std::string_view, 17> kRpcCodes = {
    "OK",        "CANCELLED",         "UNKNOWN",  "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
    "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

bool starts_json(std::string_view head) {
  const size_t first = head.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (head[first] == '[' || head[first] == '{');
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Reads parent.object_key.key as a string, or "" when any part is missing or of another type.
std::string_view nested_string(simdjson::dom::element parent, std::string_view object_key, std::string_view key) {
  simdjson::dom::element child;
  if (parent[object_key].get(child) != simdjson::SUCCESS || !child.is_object()) return {};
  return string_or_empty(child, key);
}

// "projects/P/logs/cloudaudit.googleapis.com%2Factivity" -> "activity".
std::string_view log_type_of(std::string_view log_name) {
  for (std::string_view marker : {std::string_view("cloudaudit.googleapis.com%2F"), std::string_view("cloudaudit.googleapis.com/")}) {
    const size_t found = log_name.find(marker);
    if (found != std::string_view::npos) return log_name.substr(found + marker.size());
  }
  return {};
}

std::string raw_json(simdjson::dom::element parent, std::string_view key) {
  simdjson::dom::element value;
  if (parent[key].get(value) != simdjson::SUCCESS || value.is_null()) return {};
  std::string text = simdjson::to_string(value);
  if (text.size() > kMaxRawJsonBytes) return {};
  return text;
}

// True when the entry lists authorization checks and every one says "granted": false. status is
// the outcome of the whole call, but an empty status ({}, code 0 = OK) beside checks that all
// failed cannot describe a call that ran: the method was refused every permission it asked for.
// NOTE: one failed check among granted ones is not read as a denial, because the status still
// reports success and a service may log checks whose failure does not stop the call.
bool every_check_denied(simdjson::dom::element payload) {
  simdjson::dom::array checks;
  if (payload["authorizationInfo"].get(checks) != simdjson::SUCCESS || checks.size() == 0) return false;
  for (simdjson::dom::element check : checks) {
    bool granted = true;
    if (!check.is_object() || check["granted"].get(granted) != simdjson::SUCCESS || granted) return false;
  }
  return true;
}

// Error code for status.code: "" when the call succeeded, else the google.rpc.Code name.
std::string error_code_of(simdjson::dom::element payload) {
  int64_t code = 0;
  if (payload["status"]["code"].get(code) != simdjson::SUCCESS || code == 0) {
    return every_check_denied(payload) ? std::string(kRpcCodes[7]) : std::string();
  }
  if (code > 0 && static_cast<size_t>(code) < kRpcCodes.size()) return std::string(kRpcCodes[static_cast<size_t>(code)]);
  return std::to_string(code);
}

// The acting principal's id as the inventory keys it: the email for service accounts and
// people, the principal:// identifier for workload identity federation callers.
std::string principal_of(simdjson::dom::element authentication) {
  const std::string_view email = string_or_empty(authentication, "principalEmail");
  if (!email.empty()) return std::string(email);
  std::string_view subject = string_or_empty(authentication, "principalSubject");
  for (std::string_view prefix : {std::string_view("serviceAccount:"), std::string_view("user:")}) {
    if (starts_with(subject, prefix)) return std::string(subject.substr(prefix.size()));
  }
  return std::string(subject);
}

// Principals that delegated to the caller, in log order: serviceAccountDelegationInfo lists the
// original caller first and each intermediate service account after it.
std::vector<std::string> delegation_chain_of(simdjson::dom::element authentication) {
  std::vector<std::string> chain;
  simdjson::dom::array delegations;
  if (authentication["serviceAccountDelegationInfo"].get(delegations) != simdjson::SUCCESS) return chain;
  for (simdjson::dom::element delegation : delegations) {
    if (chain.size() >= kMaxDelegationChain) break;
    if (!delegation.is_object()) continue;
    std::string_view principal = nested_string(delegation, "firstPartyPrincipal", "principalEmail");
    if (principal.empty()) principal = string_or_empty(delegation, "principalSubject");
    if (principal.empty() && delegation["thirdPartyPrincipal"].error() == simdjson::SUCCESS) principal = "third-party principal";
    if (!principal.empty()) chain.emplace_back(principal);
  }
  return chain;
}

class EntryReader {
 public:
  EntryReader(const Input& input, ParseContext& ctx) : input_(input), ctx_(ctx) {}

  void read(simdjson::dom::element entry, const RecordPosition& position) {
    simdjson::dom::element payload;
    if (entry["protoPayload"].get(payload) != simdjson::SUCCESS || !payload.is_object()) {
      return report(position, "entry has no protoPayload object, so it is not a Cloud Audit Logs entry; skipped");
    }
    std::string_view timestamp = string_or_empty(entry, "timestamp");
    if (timestamp.empty()) timestamp = string_or_empty(entry, "receiveTimestamp");
    if (timestamp.empty()) return report(position, "missing timestamp (and receiveTimestamp); entry skipped");
    const auto time = core::parse_time(timestamp);
    if (!time) return report(position, fmt::format("timestamp '{}' is not an RFC 3339 time; entry skipped", timestamp.substr(0, 64)));

    simdjson::dom::element authentication;
    const bool has_authentication =
        payload["authenticationInfo"].get(authentication) == simdjson::SUCCESS && authentication.is_object();
    const std::string principal = has_authentication ? principal_of(authentication) : std::string();
    const std::string error_code = error_code_of(payload);
    const std::string_view method = string_or_empty(payload, "methodName");
    const std::string actor_kind = observe(principal);

    const LifecycleFacts facts{principal, *time, error_code.empty()};
    apply_lifecycle(method, entry, payload, facts, ctx_.batch);

    // Google's own actions (service agents creating default accounts) carry no principal.
    // NOTE: such entries count as records but send no event, because activity is per identity.
    // Deployment Manager entries are the exception: the Google APIs service agent creates a
    // deployment's resources, and detectors read what the deployment was granted (keys it creates).
    if (principal.empty() && string_or_empty(payload, "serviceName") != "deploymentmanager.googleapis.com") return;

    const std::string_view key_name = has_authentication ? string_or_empty(authentication, "serviceAccountKeyName") : "";
    const auto key = parse_key_name(key_name);
    const std::vector<std::string> chain = has_authentication ? delegation_chain_of(authentication) : std::vector<std::string>();
    std::string additional;
    if (!chain.empty()) additional = nlohmann::json{{"delegation_chain", chain}}.dump();

    simdjson::dom::element metadata;
    std::string_view source_ip, user_agent;
    if (payload["requestMetadata"].get(metadata) == simdjson::SUCCESS && metadata.is_object()) {
      source_ip = string_or_empty(metadata, "callerIp");
      if (source_ip.empty()) source_ip = string_or_empty(metadata, "callerIP");  // as some log pipelines spell it
      user_agent = string_or_empty(metadata, "callerSuppliedUserAgent");
    }
    std::string_view region, project;
    simdjson::dom::element labels;
    if (entry["resource"]["labels"].get(labels) == simdjson::SUCCESS && labels.is_object()) {
      project = string_or_empty(labels, "project_id");
      for (std::string_view key_label : {"location", "region", "zone"}) {
        region = string_or_empty(labels, key_label);
        if (!region.empty()) break;
      }
    }
    const std::string request = raw_json(payload, "request");
    const std::string response = raw_json(payload, "response");
    const std::string_view status_message = nested_string(payload, "status", "message");
    std::string record = simdjson::to_string(entry);
    if (record.size() > kMaxRawJsonBytes) record.clear();

    core::Event event;
    event.platform = kPlatform;
    event.time = *time;
    event.event_id = string_or_empty(entry, "insertId");
    event.event_source = string_or_empty(payload, "serviceName");
    event.event_name = method;
    event.event_type = log_type_of(string_or_empty(entry, "logName"));
    event.region = region;
    event.source_ip = source_ip;
    event.user_agent = user_agent;
    event.error_code = error_code;
    event.error_message = error_code.empty() ? std::string_view() : status_message;
    event.identity_type = actor_kind;
    if (actor_kind == "serviceAccount" || actor_kind == "principal") event.actor_kind = core::ActorKind::machine;
    if (actor_kind == "user") event.actor_kind = core::ActorKind::human;
    event.principal_arn = has_authentication ? string_or_empty(authentication, "principalSubject") : "";
    event.identity_id = principal;
    event.credential_id = key ? std::string_view(key->key_id) : std::string_view();
    event.account_id = project;
    // The original caller of an impersonation chain; the event's identity is the account whose
    // token made the call.
    event.invoked_by = chain.empty() ? std::string_view() : std::string_view(chain.front());
    event.request_parameters = request;
    event.response_elements = response;
    event.additional_event_data = additional;
    event.raw_record = record;
    event.file = input_.path;
    event.offset = position.offset;
    ctx_.events.on_event(event);
  }

 private:
  void report(const RecordPosition& position, std::string message) {
    ctx_.errors.push_back(RecordError{input_.path, position.offset, position.line, std::move(message)});
  }

  // Adds a service account or workload identity caller to observed_identities once per input.
  // Returns the caller's type: "serviceAccount", "principal", "user", or "" when unknown.
  std::string observe(const std::string& principal) {
    if (principal.empty()) return {};
    if (is_service_account_email(principal)) {
      if (observed_.insert(principal).second) ctx_.batch.observed_identities.push_back(observed_service_account(principal));
      return "serviceAccount";
    }
    if (starts_with(principal, "principal://") || starts_with(principal, "principalSet://")) {
      if (observed_.insert(principal).second) ctx_.batch.observed_identities.push_back(observed_workload_principal(principal));
      return "principal";
    }
    return principal.find('@') != std::string::npos ? "user" : "";
  }

  const Input& input_;
  ParseContext& ctx_;
  std::set<std::string> observed_;
};

}  // namespace

std::string_view AuditLogSource::name() const { return "gcp-audit-log"; }

std::string_view AuditLogSource::description() const {
  return "GCP Cloud Audit Logs: `gcloud logging read FILTER --format=json`, or a log sink's JSON lines export";
}

int AuditLogSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!starts_json(head) || !has_json_key(head, "protoPayload")) return 0;
  if (head.find("google.cloud.audit.AuditLog") != std::string_view::npos) return 95;
  if (has_json_key(head, "methodName") || has_json_key(head, "serviceName") || has_json_key(head, "logName")) return 90;
  return 0;
}

core::Status AuditLogSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.record_name = "Cloud Audit Logs entry";
  EntryReader reader(input, ctx);
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element entry, const RecordPosition& position) {
    reader.read(entry, position);
  });
}

}  // namespace keyward::sources::gcp
