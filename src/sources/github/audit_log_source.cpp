// Reads the GitHub organization or enterprise audit log: GET /orgs/{org}/audit-log (and
// /enterprises/{enterprise}/audit-log) as `gh api --paginate` prints it, the JSON export of the
// web UI (an array), streamed JSON lines, and the web UI's CSV export. Records look like
//   {"@timestamp": 1671111111111, "_document_id": "...", "action": "repo.add_member",
//    "actor": "octocat", "actor_ip": "...", "user_agent": "...", "org": "...", "repo": "...",
//    "business": "...", "hashed_token": "...", "programmatic_access_type": "...",
//    "token_id": 123, "token_scopes": "repo,workflow", "operation_type": "create", ...}
// @timestamp and created_at are epoch milliseconds in the API; exports that pass through a SIEM
// may hold "YYYY-MM-DD hh:mm:ss.fff" strings instead, and both are read.

#include <fmt/format.h>

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "sources/common/csv.hpp"
#include "sources/github/github_json.hpp"
#include "sources/github/github_sources.hpp"

namespace keyward::sources::github {
namespace {

constexpr size_t kMaxFieldBytes = 4096;

// The fields of one audit record that keyward reads, from JSON or CSV alike.
struct AuditRecord {
  std::optional<core::UnixTime> time;
  bool time_missing = false;  // no time field at all, as opposed to one that could not be read
  std::string document_id, action, actor, actor_ip, user_agent, org, repo, business, user;
  std::string hashed_token, programmatic_access_type, token_id, token_scopes, operation_type;
  std::string oauth_application, oauth_application_id, client_id, name;
  std::string integration, installation_id;
  bool actor_is_bot = false;
  std::string raw;  // the JSON record as text; empty for CSV rows
};

// State kept across the records of one input.
struct AuditState {
  std::unordered_map<std::string, size_t> app_index;  // OAuth app id -> position in batch.identities
  std::unordered_set<std::string> observed;
};

std::string truncated(std::string_view text) { return std::string(text.substr(0, kMaxFieldBytes)); }

AuditRecord from_json(simdjson::dom::element record) {
  AuditRecord out;
  out.time_missing = true;
  for (std::string_view key : {"@timestamp", "at_sign_timestamp", "created_at", "p_event_time"}) {
    simdjson::dom::element value;
    if (record[key].get(value) == simdjson::SUCCESS && !value.is_null()) out.time_missing = false;
    out.time = read_time(record, key);
    if (out.time) break;
  }
  out.document_id = truncated(string_or_empty(record, "_document_id"));
  out.action = truncated(string_or_empty(record, "action"));
  out.actor = truncated(string_or_empty(record, "actor"));
  out.actor_ip = truncated(string_or_empty(record, "actor_ip"));
  out.user_agent = truncated(string_or_empty(record, "user_agent"));
  out.org = truncated(string_or_empty(record, "org"));
  out.repo = truncated(string_or_empty(record, "repo"));
  out.business = truncated(string_or_empty(record, "business"));
  out.user = truncated(string_or_empty(record, "user"));
  out.hashed_token = truncated(string_or_empty(record, "hashed_token"));
  out.programmatic_access_type = truncated(string_or_empty(record, "programmatic_access_type"));
  out.token_id = read_id(record, "token_id");
  out.token_scopes = truncated(string_or_empty(record, "token_scopes"));
  out.operation_type = truncated(string_or_empty(record, "operation_type"));
  out.oauth_application = truncated(string_or_empty(record, "oauth_application"));
  out.oauth_application_id = read_id(record, "oauth_application_id");
  out.client_id = truncated(string_or_empty(record, "application_client_id"));
  out.name = truncated(string_or_empty(record, "name"));
  out.integration = truncated(string_or_empty(record, "integration"));
  out.installation_id = read_id(record, "installation_id");
  bool flag = false;
  if (record["actor_is_bot"].get(flag) == simdjson::SUCCESS) out.actor_is_bot = flag;
  out.raw = simdjson::to_string(record);
  return out;
}

AuditRecord from_csv(const CsvHeader& header, const std::vector<std::string>& row) {
  AuditRecord out;
  for (std::string_view key : {"@timestamp", "created_at"}) {
    out.time = parse_time_text(header.get(row, key));
    if (out.time) break;
  }
  auto field = [&](std::string_view key) { return truncated(header.get(row, key)); };
  out.document_id = field("_document_id");
  out.action = field("action");
  out.actor = field("actor");
  out.actor_ip = field("actor_ip");
  out.user_agent = field("user_agent");
  out.org = field("org");
  out.repo = field("repo");
  out.business = field("business");
  out.user = field("user");
  out.hashed_token = field("hashed_token");
  out.programmatic_access_type = field("programmatic_access_type");
  out.token_id = field("token_id");
  out.token_scopes = field("token_scopes");
  out.operation_type = field("operation_type");
  out.oauth_application = field("oauth_application");
  out.oauth_application_id = field("oauth_application_id");
  out.client_id = field("application_client_id");
  out.name = field("name");
  out.integration = field("integration");
  out.installation_id = field("installation_id");
  return out;
}

bool is_app_server_token(std::string_view type) { return type.find("server-to-server") != std::string_view::npos; }

std::string token_kind(std::string_view type) {
  if (type == "Personal access token (classic)") return "github_pat_classic";
  if (type == "Fine-grained personal access token") return "github_pat_fine_grained";
  if (type == "OAuth access token") return "github_oauth_token";
  if (type.find("user-to-server") != std::string_view::npos) return "github_app_user_token";
  return "github_token";
}

nlohmann::json split_scopes(std::string_view text) {
  nlohmann::json scopes = nlohmann::json::array();
  size_t start = 0;
  while (start < text.size() && scopes.size() < kMaxPermissionsPerRecord) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view scope = text.substr(start, end - start);
    while (!scope.empty() && scope.front() == ' ') scope.remove_prefix(1);
    while (!scope.empty() && scope.back() == ' ') scope.remove_suffix(1);
    if (!scope.empty()) scopes.push_back(std::string(scope));
    start = end + 1;
  }
  return scopes;
}

// Returns the acting identity's id as the inventory sources key it, and the credential id.
std::pair<std::string, std::string> actor_ids(const AuditRecord& record) {
  if (!record.token_id.empty()) {
    // GitHub App installation tokens live for an hour, so their activity is kept on the app's
    // bot account rather than on each token.
    if (is_app_server_token(record.programmatic_access_type)) return {record.actor, {}};
    const std::string id = "token:" + record.token_id;
    return {id, id};
  }
  if (!record.hashed_token.empty()) {
    const std::string id = "token:hashed:" + record.hashed_token;
    return {id, id};
  }
  return {record.actor, {}};
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// A token, an app or a bot account acted: machine. A browser without any token: a person's web
// session. Anything else (older exports without the token fields) stays unknown.
core::ActorKind actor_kind_of(const AuditRecord& record) {
  if (!record.programmatic_access_type.empty() || !record.token_id.empty() || !record.hashed_token.empty() ||
      record.actor_is_bot || ends_with(record.actor, "[bot]")) {
    return core::ActorKind::machine;
  }
  if (record.user_agent.rfind("Mozilla/", 0) == 0) return core::ActorKind::human;
  return core::ActorKind::unknown;
}

void add_observed(const AuditRecord& record, const std::string& identity_id, AuditState& state, ParseContext& ctx) {
  if (identity_id.empty() || !state.observed.insert(identity_id).second) return;
  core::Identity identity;
  identity.platform = "github";
  identity.id = identity_id;
  identity.account = record.org.empty() ? record.business : record.org;
  identity.classification = core::Classification::machine;
  if (identity_id.rfind("token:", 0) == 0) {
    identity.kind = token_kind(record.programmatic_access_type);
    identity.name = record.programmatic_access_type.empty() ? fmt::format("token of {}", record.actor)
                                                            : fmt::format("{} of {}", record.programmatic_access_type, record.actor);
    identity.owner = record.actor;
    identity.classification_reason = "token seen in the audit log";
    if (identity.kind.rfind("github_pat", 0) == 0) identity.attributes[std::string(core::attribute::kShadow)] = true;
    if (!record.token_scopes.empty()) identity.attributes[std::string(core::attribute::kScopes)] = split_scopes(record.token_scopes);
  } else if (ends_with(identity_id, "[bot]")) {
    identity.kind = "github_app_bot";
    identity.name = identity_id;
    identity.classification_reason = "bot account seen in the audit log";
  } else {
    return;  // a person's login: people come from directory exports
  }
  ctx.batch.observed_identities.push_back(std::move(identity));
}

// Creates or updates the OAuth app that an approval or oauth_application.* action names.
void apply_oauth_app_fact(const AuditRecord& record, AuditState& state, ParseContext& ctx) {
  std::string key;
  if (!record.oauth_application_id.empty()) key = "oauth-app:" + record.oauth_application_id;
  else if (!record.client_id.empty()) key = "oauth-app:" + record.client_id;
  else if (!record.oauth_application.empty()) key = "oauth-app:name:" + record.oauth_application;
  else return;

  auto [it, inserted] = state.app_index.try_emplace(key, ctx.batch.identities.size());
  if (inserted) {
    core::Identity identity;
    identity.platform = "github";
    identity.id = key;
    identity.kind = "github_oauth_app";
    identity.classification = core::Classification::machine;
    identity.classification_reason = "OAuth app in the audit log";
    identity.attributes[std::string(core::attribute::kConnectedBy)] = nlohmann::json::array();
    ctx.batch.identities.push_back(std::move(identity));
  }
  core::Identity& app = ctx.batch.identities[it->second];
  const std::string& name = record.oauth_application.empty() ? record.name : record.oauth_application;
  if (!name.empty()) app.name = name;
  else if (app.name.empty()) app.name = key;
  if (app.account.empty()) app.account = record.org.empty() ? record.business : record.org;
  if (!record.client_id.empty()) app.attributes["client_id"] = record.client_id;

  const std::string& action = record.action;
  if (action == "oauth_application.create") {
    app.created = record.time;
    app.owner = record.actor;
    app.attributes[std::string(core::attribute::kCreatedBy)] = record.actor;
    app.attributes[std::string(core::attribute::kThirdParty)] = false;
  } else if (action == "oauth_application.destroy") {
    app.status = "deleted";
  } else if (action == "org.oauth_app_access_approved") {
    app.status = "active";
    if (!app.attributes.contains(std::string(core::attribute::kThirdParty))) {
      app.attributes[std::string(core::attribute::kThirdParty)] = true;
      // The log names the app, not its publisher; an approved third-party app's name is usually
      // the vendor's ("Zapier").
      if (app.vendor.empty()) app.vendor = app.name;
    }
    auto& connected = app.attributes[std::string(core::attribute::kConnectedBy)];
    if (!record.actor.empty() && std::find(connected.begin(), connected.end(), record.actor) == connected.end() &&
        connected.size() < kMaxPermissionsPerRecord) {
      connected.push_back(record.actor);
    }
    if (record.time) app.attributes["approved_at"] = core::format_time(*record.time);
  } else if (action == "org.oauth_app_access_revoked" || action == "org.oauth_app_access_denied") {
    app.status = "disabled";
  }
}

// Records who installed a GitHub App; the installations export supplies the rest.
void apply_installation_fact(const AuditRecord& record, AuditState& state, ParseContext& ctx) {
  if (record.installation_id.empty() && record.integration.empty()) return;
  const std::string id =
      record.installation_id.empty() ? "app:" + record.integration : "installation:" + record.installation_id;
  if (!state.observed.insert(id).second) return;
  core::Identity identity;
  identity.platform = "github";
  identity.id = id;
  identity.kind = "github_app_installation";
  identity.name = record.integration.empty() ? id : record.integration;
  identity.account = record.org.empty() ? record.business : record.org;
  identity.created = record.time;
  identity.classification = core::Classification::machine;
  identity.classification_reason = "GitHub App installed, per the audit log";
  identity.attributes[std::string(core::attribute::kConnectedBy)] = nlohmann::json::array({record.actor});
  identity.attributes[std::string(core::attribute::kCreatedBy)] = record.actor;
  ctx.batch.observed_identities.push_back(std::move(identity));
}

void read_record(const AuditRecord& record, const Input& input, const RecordPosition& position, AuditState& state,
                 ParseContext& ctx) {
  if (record.action.empty()) {
    return report(ctx, input, position, "audit record has no action; the export may be truncated or not a GitHub audit log; skipped");
  }

  const std::string& action = record.action;
  if (action.rfind("oauth_application.", 0) == 0 || action.rfind("org.oauth_app_access_", 0) == 0) {
    apply_oauth_app_fact(record, state, ctx);
  } else if (action == "integration_installation.create") {
    apply_installation_fact(record, state, ctx);
  }

  auto [identity_id, credential_id] = actor_ids(record);
  add_observed(record, identity_id, state, ctx);

  // A record whose time cannot be read is not sent as activity, which is counted per day.
  // NOTE: a record without any time field (seen in SIEM test fixtures, not in GitHub's own
  // output) is dated at the ingest time (--as-of), so its action still reaches the detectors,
  // but its activity counts on that day.
  if (!record.time && !record.time_missing) return;
  const core::UnixTime time = record.time ? *record.time : ctx.as_of;
  const std::string service = action.substr(0, action.find('.'));
  const std::string& account = record.org.empty() ? record.business : record.org;
  core::Event event;
  event.platform = "github";
  event.time = time;
  event.event_id = record.document_id;
  event.event_source = service;
  event.event_name = action;
  event.event_type = record.operation_type;
  event.source_ip = record.actor_ip;
  event.user_agent = record.user_agent;
  event.identity_type = record.programmatic_access_type;
  event.principal_arn = record.actor;
  event.identity_id = identity_id;
  event.user_name = record.actor;
  event.credential_id = credential_id;
  event.account_id = account;
  event.read_only = record.operation_type == "access";
  event.actor_kind = actor_kind_of(record);
  event.scopes = record.token_scopes;
  event.raw_record = record.raw;
  event.file = input.path;
  event.offset = position.offset;
  ctx.events.on_event(event);
}

bool is_csv_audit_header(const std::vector<std::string>& header) {
  bool action = false, actor = false, time = false;
  for (const auto& name : header) {
    action = action || name == "action";
    actor = actor || name == "actor";
    time = time || name == "@timestamp" || name == "created_at" || name == "_document_id";
  }
  return action && actor && time;
}

core::Status parse_csv(const Input& input, ParseContext& ctx) {
  CsvReader reader(input.data);
  std::vector<std::string> fields;
  if (!reader.next(fields) || !is_csv_audit_header(fields)) {
    return core::make_error(core::ErrorCode::unsupported_format,
                            "not a GitHub audit log CSV export: the header needs action, actor and @timestamp or created_at");
  }
  const CsvHeader header(fields);
  AuditState state;
  while (reader.next(fields)) {
    const RecordPosition position{reader.offset(), reader.line()};
    if (!reader.error().empty()) {
      report(ctx, input, position, reader.error());
      continue;
    }
    ++ctx.records;
    read_record(from_csv(header, fields), input, position, state, ctx);
  }
  return {};
}

}  // namespace

std::string_view AuditLogSource::name() const { return "github-audit-log"; }

std::string_view AuditLogSource::description() const {
  return "GitHub organization or enterprise audit log: `gh api --paginate /orgs/ORG/audit-log`, or the web UI "
         "export (JSON or CSV)";
}

int AuditLogSource::detect(std::string_view head, std::string_view /*path*/) const {
  const char first = first_significant_byte(head);
  if (first == '{' || first == '[') {
    // actor is a login string here; Okta and Slack logs carry an actor object.
    if (!has_json_string_key(head, "action") || !has_json_string_key(head, "actor")) return 0;
    if (has_json_key(head, "eventType") || has_json_key(head, "date_create") || has_json_key(head, "entity")) return 0;
    for (std::string_view key : {"@timestamp", "_document_id", "org", "business", "created_at", "repo", "user"}) {
      if (has_json_key(head, key)) return 75;
    }
    return 0;
  }
  return is_csv_audit_header(csv_header_of(head)) ? 75 : 0;
}

core::Status AuditLogSource::parse(const Input& input, ParseContext& ctx) const {
  const char first = first_significant_byte(input.data.substr(0, 64));
  if (first != '{' && first != '[') return parse_csv(input, ctx);
  JsonRecordOptions options;
  options.record_name = "audit record";
  AuditState state;
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element record, const RecordPosition& position) {
    read_record(from_json(record), input, position, state, ctx);
  });
}

}  // namespace keyward::sources::github
