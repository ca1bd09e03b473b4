// Reads GET /api/v1/logs output: an array of LogEvent objects
//   {"uuid", "published", "eventType", "displayMessage", "severity",
//    "actor": {"id", "type", "alternateId", "displayName"},
//    "client": {"ipAddress", "userAgent": {"rawUserAgent"}, "geographicalContext", "zone"},
//    "outcome": {"result", "reason"}, "target": [{"id", "type", "alternateId", "displayName"}],
//    "authenticationContext", "securityContext", "transaction": {"type", "detail"}, "debugContext"}
// Every event becomes a core::Event. Token creation and revocation also update the token's
// identity and credential, and actors that the inventory sources key (API tokens, apps, users)
// are added as observed identities.

#include <fmt/format.h>

#include <set>

#include "sources/common/json_records.hpp"
#include "sources/okta/okta_json.hpp"
#include "sources/okta/sources.hpp"

namespace keyward::sources::okta {
namespace {

constexpr size_t kMaxIdBytes = 128;
constexpr size_t kMaxTargets = 64;
// Okta writes "unknown" where it has no value (actor.id, alternateId of internal actors).
constexpr std::string_view kUnknown = "unknown";

std::string_view known(std::string_view value) { return value == kUnknown ? std::string_view{} : value; }

// Actor types of apps and clients acting on their own (OAuth service apps, app integrations).
bool is_app_actor(std::string_view actor_type) {
  return actor_type == "PublicClientApp" || actor_type == "AppInstance" || actor_type == "Client";
}

struct Target {
  std::string_view id;
  std::string_view type;
  std::string_view alternate_id;
  std::string_view display_name;
};

std::vector<Target> targets_of(simdjson::dom::element event) {
  std::vector<Target> targets;
  auto list = member(event, "target");
  simdjson::dom::array array;
  if (!list || list->get(array) != simdjson::SUCCESS) return targets;
  for (simdjson::dom::element item : array) {
    if (targets.size() >= kMaxTargets) break;
    targets.push_back(Target{known(text(item, "id")).substr(0, kMaxIdBytes), text(item, "type"),
                             known(text(item, "alternateId")), text(item, "displayName")});
  }
  return targets;
}

// Reads one event and what it records about the inventory. Views point into the parsed record.
class EventReader {
 public:
  EventReader(const Input& input, ParseContext& ctx) : input_(input), ctx_(ctx) {}

  void read(simdjson::dom::element record, const RecordPosition& position) {
    const TimeField published = time_field(record, "published");
    if (!published.time) {
      const std::string problem = published.invalid ? fmt::format("published '{}' is not an ISO 8601 time", published.raw)
                                                    : std::string("missing published time");
      report(ctx_, input_, position.offset, position.line,
             fmt::format("System Log event {}: {}; event skipped", text(record, "uuid").substr(0, 64), problem));
      return;
    }
    const std::string_view event_type = text(record, "eventType");
    if (event_type.empty()) {
      report(ctx_, input_, position.offset, position.line, "System Log event: missing string eventType; event skipped");
      return;
    }

    core::Event event;
    event.platform = kPlatform;
    event.time = *published.time;
    event.event_id = text(record, "uuid");
    event.event_source = "okta";
    event.event_name = event_type;
    event.event_type = text_at(record, {"transaction", "type"});
    event.source_ip = text_at(record, {"client", "ipAddress"});
    event.user_agent = text_at(record, {"client", "userAgent", "rawUserAgent"});
    event.error_message = text(record, "displayMessage");
    const std::string_view result = text_at(record, {"outcome", "result"});
    if (result == "FAILURE" || result == "DENY") {
      const std::string_view reason = text_at(record, {"outcome", "reason"});
      event.error_code = reason.empty() ? result : reason;
    }
    const std::string_view actor_id = known(text_at(record, {"actor", "id"})).substr(0, kMaxIdBytes);
    const std::string_view actor_type = text_at(record, {"actor", "type"});
    const std::string_view actor_login = known(text_at(record, {"actor", "alternateId"}));
    event.identity_type = actor_type;
    event.principal_id = actor_id;
    event.principal_arn = actor_login;
    event.user_name = text_at(record, {"actor", "displayName"});
    // A call made with an SSWS token names the token. The token is then the acting identity and
    // its own credential, while the actor is the user the token acts as.
    const std::string_view token_id = text_at(record, {"transaction", "detail", "requestApiTokenId"}).substr(0, kMaxIdBytes);
    if (!token_id.empty()) {
      event.identity_id = std::string(token_id);
      event.credential_id = token_id;
      observe(token_id, "okta_api_token", token_id, actor_id);
    } else {
      event.identity_id = std::string(actor_id);
      if (actor_type == "PublicClientApp") observe(actor_id, "okta_service_app", event.user_name, {});
      if (actor_type == "User") observe_user(actor_id, event.user_name, actor_login);
    }
    // A token call or an app acting alone is a machine. A User actor without a token is a
    // person's session. Okta's own actors (SystemPrincipal) stay unknown.
    if (!token_id.empty() || is_app_actor(actor_type)) {
      event.actor_kind = core::ActorKind::machine;
    } else if (actor_type == "User") {
      event.actor_kind = core::ActorKind::human;
    }
    // Token grants list the scopes they issued, space-separated.
    event.scopes = text_at(record, {"debugContext", "debugData", "grantedScopes"});
    if (event.scopes.empty()) event.scopes = text_at(record, {"debugContext", "debugData", "requestedScopes"});
    const std::string raw_record = simdjson::to_string(record);
    event.raw_record = raw_record;
    event.file = input_.path;
    event.offset = position.offset;

    read_lifecycle(record, event_type, result, event.time, actor_id, actor_login);
    ctx_.events.on_event(event);
  }

 private:
  void observe(std::string_view id, std::string_view kind, std::string_view name, std::string_view owner) {
    if (id.empty() || !observed_.insert(std::string(id)).second) return;
    core::Identity identity;
    identity.platform = std::string(kPlatform);
    identity.id = std::string(id);
    identity.kind = std::string(kind);
    identity.name = std::string(name.empty() ? id : name.substr(0, 512));
    identity.owner = std::string(owner);
    identity.classification = core::Classification::machine;
    identity.classification_reason = "acted in the Okta System Log as an app or API token";
    ctx_.batch.observed_identities.push_back(std::move(identity));
  }

  void observe_user(std::string_view id, std::string_view name, std::string_view login) {
    if (id.empty() || !observed_.insert(std::string(id)).second) return;
    core::Identity identity;
    identity.platform = std::string(kPlatform);
    identity.id = std::string(id);
    identity.kind = "okta_user";
    identity.name = std::string(login);
    if (identity.name.empty()) identity.name = std::string(name);
    if (identity.name.empty()) identity.name = std::string(id);
    identity.classification = core::Classification::human;
    identity.classification_reason = "Okta user seen in the System Log";
    if (!login.empty()) identity.attributes[std::string(core::attribute::kLogin)] = std::string(login);
    ctx_.batch.observed_identities.push_back(std::move(identity));
  }

  // Applies token creation and revocation, and notes apps created, from successful events.
  void read_lifecycle(simdjson::dom::element record, std::string_view event_type, std::string_view result,
                      core::UnixTime time, std::string_view actor_id, std::string_view actor_login) {
    if (result != "SUCCESS") return;
    const bool created = event_type == "system.api_token.create";
    const bool revoked = event_type == "system.api_token.revoke";
    const std::string_view by = actor_login.empty() ? actor_id : actor_login;
    for (const Target& target : targets_of(record)) {
      if ((created || revoked) && target.type == "Token" && !target.id.empty()) {
        update_token(target, created, time, actor_id, by);
      } else if (event_type == "application.lifecycle.create" && target.type == "AppInstance" && !target.id.empty()) {
        note_app_created(target, time, by);
      } else if (event_type == "app.oauth2.as.consent.grant" &&
                 (target.type == "AppInstance" || target.type == "PublicClientApp") && !target.id.empty()) {
        note_consent(target, by);
      }
    }
  }

  // NOTE: the store overwrites status on every upsert, so ingesting an old create event after the
  // revoke event marks a revoked token active again until the next api-tokens export.
  void update_token(const Target& target, bool created, core::UnixTime time, std::string_view actor_id, std::string_view by) {
    core::Identity identity;
    identity.platform = std::string(kPlatform);
    identity.id = std::string(target.id);
    identity.kind = "okta_api_token";
    identity.name = std::string(target.display_name.substr(0, 512));
    identity.classification = core::Classification::machine;
    identity.classification_reason = "Okta SSWS API token: a secret used by scripts and integrations";
    identity.status = created ? "active" : "deleted";
    identity.attributes[std::string(core::attribute::kShadow)] = true;
    identity.attributes[std::string(core::attribute::kPrivilege)] = "admin";

    core::Credential credential;
    credential.platform = identity.platform;
    credential.id = identity.id;
    credential.identity_id = identity.id;
    credential.kind = "okta_ssws_token";
    credential.status = created ? "active" : "deleted";
    credential.attributes["source"] = "okta-system-log";
    if (created) {
      // A user creates tokens for themselves, so the creator is the owner.
      identity.owner = std::string(actor_id);
      identity.created = time;
      identity.attributes[std::string(core::attribute::kCreatedBy)] = std::string(by);
      credential.created = time;
      credential.last_rotated = time;
      credential.attributes[std::string(core::attribute::kCreatedBy)] = std::string(by);
    } else {
      identity.attributes["revoked_by"] = std::string(by);
      identity.attributes["revoked"] = core::format_time(time);
      credential.attributes["revoked_by"] = std::string(by);
    }
    ctx_.batch.identities.push_back(std::move(identity));
    ctx_.batch.credentials.push_back(std::move(credential));
  }

  void note_app_created(const Target& target, core::UnixTime time, std::string_view by) {
    if (!observed_.insert(std::string(target.id)).second) return;
    core::Identity identity;
    identity.platform = std::string(kPlatform);
    identity.id = std::string(target.id);
    identity.kind = "okta_app";
    identity.name = std::string((target.display_name.empty() ? target.id : target.display_name).substr(0, 512));
    identity.created = time;
    identity.classification = core::Classification::machine;
    identity.classification_reason = "Okta app integration created in the System Log";
    identity.attributes[std::string(core::attribute::kCreatedBy)] = std::string(by);
    ctx_.batch.observed_identities.push_back(std::move(identity));
  }

  void note_consent(const Target& target, std::string_view by) {
    if (!observed_.insert(std::string(target.id)).second) return;
    core::Identity identity;
    identity.platform = std::string(kPlatform);
    identity.id = std::string(target.id);
    identity.kind = "okta_app";
    identity.name = std::string((target.display_name.empty() ? target.id : target.display_name).substr(0, 512));
    identity.classification = core::Classification::machine;
    identity.classification_reason = "Okta app that a user consented to in the System Log";
    identity.attributes[std::string(core::attribute::kConnectedBy)] = std::vector<std::string>{std::string(by)};
    ctx_.batch.observed_identities.push_back(std::move(identity));
  }

  const Input& input_;
  ParseContext& ctx_;
  std::set<std::string> observed_;
};

}  // namespace

std::string_view SystemLogSource::description() const {
  return "Okta System Log: GET /api/v1/logs output (JSON array of LogEvent, pages concatenated or one per line)";
}

int SystemLogSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!looks_like_json(head)) return 0;
  if (!has_key_ignoring_case(head, "eventType") || !has_key_ignoring_case(head, "published")) return 0;
  if (!has_key_ignoring_case(head, "actor")) return 0;
  if (has_key_ignoring_case(head, "displayMessage") || has_key_ignoring_case(head, "legacyEventType") ||
      has_key_ignoring_case(head, "outcome")) {
    return 90;
  }
  return 0;
}

core::Status SystemLogSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.record_name = "System Log event";
  EventReader reader(input, ctx);
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    reader.read(record, position);
  });
}

}  // namespace keyward::sources::okta
