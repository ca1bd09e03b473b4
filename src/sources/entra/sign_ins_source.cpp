// Reads Entra sign-in logs in the two shapes they are exported in:
//   Microsoft Graph GET /beta/auditLogs/signIns (signIn resources, filtered by signInEventTypes), and
//   Azure diagnostic settings / Log Analytics records: {"time", "category", "callerIpAddress",
//   "properties": {signIn fields}} with category SignInLogs, NonInteractiveUserSignInLogs,
//   ServicePrincipalSignInLogs or ManagedIdentitySignInLogs.
// Service principal and managed identity sign-ins are keyed by appId, as the inventory sources
// key apps. User sign-ins are keyed by the lower-case userPrincipalName, as entra-users keys people.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "sources/entra/entra_sources.hpp"
#include "sources/entra/graph_common.hpp"

namespace keyward::sources::entra {
namespace {

constexpr std::string_view kSourceName = "entra-sign-ins";

enum class SignInType { user, non_interactive_user, service_principal, managed_identity };

struct Category {
  std::string_view name;
  SignInType type;
};

constexpr std::array<Category, 4> kCategories = {{
    {"SignInLogs", SignInType::user},
    {"NonInteractiveUserSignInLogs", SignInType::non_interactive_user},
    {"ServicePrincipalSignInLogs", SignInType::service_principal},
    {"ManagedIdentitySignInLogs", SignInType::managed_identity},
}};

std::string_view event_name(SignInType type) {
  switch (type) {
    case SignInType::user: return "UserSignIn";
    case SignInType::non_interactive_user: return "NonInteractiveUserSignIn";
    case SignInType::service_principal: return "ServicePrincipalSignIn";
    case SignInType::managed_identity: return "ManagedIdentitySignIn";
  }
  return "SignIn";
}

std::string_view event_type(SignInType type) {
  switch (type) {
    case SignInType::user: return "interactiveUser";
    case SignInType::non_interactive_user: return "nonInteractiveUser";
    case SignInType::service_principal: return "servicePrincipal";
    case SignInType::managed_identity: return "managedIdentity";
  }
  return "";
}

// Decides the kind of a Graph signIn from signInEventTypes, else from which actor it names.
SignInType graph_sign_in_type(simdjson::dom::element body) {
  for (const std::string& type : string_array(body, "signInEventTypes")) {
    if (type == "servicePrincipal") return SignInType::service_principal;
    if (type == "managedIdentity") return SignInType::managed_identity;
    if (type == "nonInteractiveUser") return SignInType::non_interactive_user;
    if (type == "interactiveUser") return SignInType::user;
  }
  const bool names_user = !string_or_empty(body, "userPrincipalName").empty() || !string_or_empty(body, "userId").empty();
  if (!names_user && !string_or_empty(body, "servicePrincipalId").empty()) {
    // Beta signIn resources describe a managed identity in managedServiceIdentity.msiType.
    simdjson::dom::element identity;
    std::string_view msi_type;
    if (body["managedServiceIdentity"].get(identity) == simdjson::SUCCESS && identity.is_object()) {
      msi_type = string_or_empty(identity, "msiType");
    }
    const bool managed = !msi_type.empty() && msi_type != "none";
    return managed ? SignInType::managed_identity : SignInType::service_principal;
  }
  return optional_bool(body, "isInteractive").value_or(true) ? SignInType::user : SignInType::non_interactive_user;
}

std::string lower(std::string_view text) {
  std::string out = clipped(text, 256);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Returns the sign-in's error code, or "" on success. Graph puts it in status.errorCode (0 is
// success); diagnostic records also carry it as resultType ("0", or "Success" in some pipelines).
std::string error_code(simdjson::dom::element record, simdjson::dom::element body, bool diagnostic) {
  simdjson::dom::element status;
  if (body["status"].get(status) == simdjson::SUCCESS && status.is_object()) {
    int64_t code = 0;
    if (status["errorCode"].get(code) == simdjson::SUCCESS) return code == 0 ? std::string() : std::to_string(code);
  }
  if (diagnostic) {
    const std::string_view result = string_or_empty(record, "resultType");
    if (!result.empty() && result != "0" && result != "Success" && result != "Succeeded") return clipped(result, 64);
  }
  return {};
}

class SignInReader {
 public:
  SignInReader(const Input& input, ParseContext& ctx) : input_(input), ctx_(ctx) {}

  void read(simdjson::dom::element record, const RecordPosition& position) {
    simdjson::dom::element body = record;
    SignInType type = SignInType::user;
    const std::string_view category = string_or_empty(record, "category");
    const bool diagnostic = !category.empty();
    if (diagnostic) {
      const auto found = std::find_if(kCategories.begin(), kCategories.end(),
                                      [&](const Category& known) { return known.name == category; });
      if (found == kCategories.end()) {
        report(ctx_, input_, position,
               fmt::format("record category '{}' is not a sign-in log (expected SignInLogs, NonInteractiveUserSignInLogs, "
                           "ServicePrincipalSignInLogs or ManagedIdentitySignInLogs); record skipped",
                           clipped(category, 64)));
        return;
      }
      if (record["properties"].get(body) != simdjson::SUCCESS || !body.is_object()) {
        report(ctx_, input_, position,
               fmt::format("{} record has no properties object with the sign-in fields; record skipped", found->name));
        return;
      }
      type = found->type;
    } else {
      if (string_or_empty(record, "appId").empty() || record["createdDateTime"].error() != simdjson::SUCCESS) {
        report(ctx_, input_, position,
               "record is not a sign-in: a Graph signIn has appId and createdDateTime, a diagnostic record has "
               "category and properties; record skipped");
        return;
      }
      type = graph_sign_in_type(record);
    }

    std::optional<core::UnixTime> time = optional_time(body, "createdDateTime");
    if (!time && diagnostic) time = optional_time(record, "time");
    if (!time) {
      report(ctx_, input_, position, "sign-in has no valid createdDateTime (or time); record skipped");
      return;
    }

    const bool app_actor = type == SignInType::service_principal || type == SignInType::managed_identity;
    const std::string_view app_id = string_or_empty(body, "appId");
    std::string identity_id;
    if (app_actor) {
      identity_id = clipped(app_id, 128);
    } else {
      const std::string_view principal_name = string_or_empty(body, "userPrincipalName");
      identity_id = principal_name.empty() ? clipped(string_or_empty(body, "userId"), 128) : lower(principal_name);
    }
    if (identity_id.empty()) {
      report(ctx_, input_, position,
             app_actor ? "service principal sign-in has no appId; record skipped"
                       : "user sign-in has neither userPrincipalName nor userId; record skipped");
      return;
    }

    std::string record_text = simdjson::to_string(record);
    if (record_text.size() > 64 * 1024) record_text.clear();

    core::Event event;
    event.platform = kPlatform;
    event.time = *time;
    event.raw_record = record_text;
    // Interactive and non-interactive user sign-ins both carry a person's session or refresh token.
    event.actor_kind = app_actor ? core::ActorKind::machine : core::ActorKind::human;
    event.event_id = string_or_empty(body, "id");
    if (event.event_id.empty()) event.event_id = string_or_empty(record, "correlationId");
    event.event_source = string_or_empty(body, "resourceDisplayName");
    if (event.event_source.empty()) event.event_source = string_or_empty(body, "resourceId");
    event.event_name = event_name(type);
    event.event_type = event_type(type);
    event.source_ip = string_or_empty(body, "ipAddress");
    if (event.source_ip.empty()) event.source_ip = string_or_empty(record, "callerIpAddress");
    event.user_agent = string_or_empty(body, "userAgent");
    const std::string code = error_code(record, body, diagnostic);
    event.error_code = code;
    simdjson::dom::element status;
    if (body["status"].get(status) == simdjson::SUCCESS && status.is_object() && !code.empty()) {
      event.error_message = string_or_empty(status, "failureReason");
    }
    event.identity_type = event.event_type;
    event.identity_id = identity_id;
    event.principal_id = app_actor ? string_or_empty(body, "servicePrincipalId") : string_or_empty(body, "userId");
    event.user_name = string_or_empty(body, "userPrincipalName");
    event.credential_id = string_or_empty(body, "servicePrincipalCredentialKeyId");
    if (event.credential_id.empty()) event.credential_id = string_or_empty(body, "federatedCredentialId");
    if (event.credential_id.empty()) event.credential_id = string_or_empty(body, "servicePrincipalCredentialThumbprint");
    event.account_id = string_or_empty(record, "tenantId");
    if (event.account_id.empty()) event.account_id = string_or_empty(body, "resourceTenantId");
    event.file = input_.path;
    event.offset = position.offset;

    if (app_actor) observe_app(body, identity_id, type, event.account_id);
    ctx_.events.on_event(event);
  }

 private:
  // Adds the acting app to observed identities once per input, so an app seen only in sign-ins
  // still appears in the inventory.
  void observe_app(simdjson::dom::element body, const std::string& app_id, SignInType type, std::string_view tenant) {
    if (!observed_.insert(app_id).second) return;
    core::Identity identity;
    identity.platform = std::string(kPlatform);
    identity.id = app_id;
    identity.kind = type == SignInType::managed_identity ? "entra_managed_identity" : "entra_service_principal";
    identity.name = clipped(string_or_empty(body, "servicePrincipalName"));
    if (identity.name.empty()) identity.name = clipped(string_or_empty(body, "appDisplayName"));
    identity.account = clipped(tenant, 64);
    identity.classification = core::Classification::machine;
    identity.classification_reason = "signed in as a service principal";
    ctx_.batch.observed_identities.push_back(std::move(identity));
  }

  const Input& input_;
  ParseContext& ctx_;
  std::set<std::string> observed_;
};

}  // namespace

std::string_view SignInsSource::name() const { return kSourceName; }

std::string_view SignInsSource::description() const {
  return "Entra sign-in logs: Microsoft Graph GET /beta/auditLogs/signIns pages, or diagnostic settings / Log "
         "Analytics records of the SignInLogs categories";
}

int SignInsSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!starts_like_json(head)) return 0;
  if (head.find("$metadata#auditLogs/signIns") != std::string_view::npos) return 95;
  const bool diagnostic = has_json_key(head, "category") && has_json_key(head, "properties") &&
                          head.find("SignInLogs\"") != std::string_view::npos;
  if (diagnostic) return 90;
  const bool graph = has_json_key(head, "appId") && has_json_key(head, "createdDateTime") &&
                     (has_json_key(head, "servicePrincipalId") || has_json_key(head, "signInEventTypes") ||
                      (has_json_key(head, "ipAddress") && has_json_key(head, "status")));
  return graph ? 88 : 0;
}

core::Status SignInsSource::parse(const Input& input, ParseContext& ctx) const {
  SignInReader reader(input, ctx);
  JsonRecordOptions options = graph_record_options("sign-in");
  // Diagnostic settings archives in storage accounts wrap records in {"records": [...]}.
  options.envelope_keys.push_back("records");
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    reader.read(record, position);
  });
}

}  // namespace keyward::sources::entra
