// Reads SNOWFLAKE.ACCOUNT_USAGE.SESSIONS rows: SESSION_ID, CREATED_ON, USER_NAME,
// AUTHENTICATION_METHOD, LOGIN_EVENT_ID, CLIENT_APPLICATION_ID ("JDBC 3.14.4"),
// CLIENT_APPLICATION_VERSION, CLIENT_ENVIRONMENT (JSON text such as {"APPLICATION":
// "DBeaver_DBeaverUltimate", "OS": "Windows Server 2022", "OS_VERSION": "10.0", ...}),
// CLIENT_BUILD_ID, CLIENT_VERSION and CLOSED_REASON. Column list as documented at
// https://docs.snowflake.com/en/sql-reference/account-usage/sessions (checked 2026-12).
//
// Each row becomes one event whose identity is the user name, as the users source keys it. The
// view has no client address: it sits in LOGIN_HISTORY.CLIENT_IP, joined on LOGIN_EVENT_ID =
// EVENT_ID. An export of that join (docs/sources/snowflake.md gives the query) adds a CLIENT_IP
// column, which is read when present.

#include "sources/snowflake/sessions_source.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <set>

#include "sources/snowflake/rows.hpp"
#include "sources/snowflake/user_ids.hpp"

namespace keyward::sources::snowflake {
namespace {

constexpr size_t kMaxObservedUsers = 100000;
// Drivers write a few hundred bytes of environment, so anything far larger is not a real export.
constexpr size_t kMaxClientEnvironmentBytes = 64 * 1024;
constexpr size_t kMaxClientFieldBytes = 256;

// The client environment fields that identify a client, as the drivers report them.
struct ClientEnvironment {
  std::string application;  // APPLICATION: the program that embeds the driver, e.g. "DBeaver_DBeaverUltimate"
  std::string os;           // OS: "Windows Server 2022", "Linux", "Darwin", ...
  std::string os_version;   // OS_VERSION
};

std::string_view string_field(simdjson::dom::object object, std::string_view key) {
  std::string_view value;
  if (object[key].get(value) != simdjson::SUCCESS) return {};
  return value.substr(0, kMaxClientFieldBytes);
}

// "DBeaver_DBeaverUltimate (Windows Server 2022 10.0) JDBC 3.14.4": the application, its
// operating system and the Snowflake driver, for the user-agent baselines. Either part may be
// missing.
std::string client_description(const ClientEnvironment& environment, std::string_view client_application_id) {
  std::string text = environment.application;
  std::string os = environment.os;
  if (!environment.os_version.empty()) os += (os.empty() ? "" : " ") + environment.os_version;
  if (!os.empty()) text += (text.empty() ? "(" : " (") + os + ")";
  if (!client_application_id.empty()) {
    if (!text.empty()) text += ' ';
    text += client_application_id;
  }
  return text;
}

class SessionReader {
 public:
  SessionReader(const Input& input, ParseContext& ctx) : input_(input), ctx_(ctx) {}

  void read(const Row& row, const RowPosition& position) {
    position_ = position;
    const std::string_view session_id = row.get("session_id");
    if (session_id.empty()) return report("session row has no SESSION_ID; row skipped");
    const std::string user(row.get("user_name"));
    if (user.empty()) return report(fmt::format("session {}: no USER_NAME; row skipped", session_id));
    const std::string_view created_on = row.get("created_on");
    const auto time = parse_snowflake_time(created_on);
    if (!time) {
      return report(created_on.empty()
                        ? fmt::format("session {}: no CREATED_ON; row skipped", session_id)
                        : fmt::format("session {}: CREATED_ON '{}' is not a timestamp; row skipped", session_id,
                                      created_on.substr(0, 64)));
    }

    const std::string_view environment_text = row.get("client_environment");
    ClientEnvironment environment;
    const bool environment_valid = read_environment(session_id, environment_text, environment);
    const std::string client = client_description(environment, row.get("client_application_id"));

    core::Event event;
    event.platform = kPlatform;
    event.time = *time;
    event.event_id = session_id;
    event.event_source = "session";
    event.event_name = "CREATE_SESSION";
    event.event_type = row.get("authentication_method");
    // Present only when the export joined LOGIN_HISTORY on LOGIN_EVENT_ID.
    // TODO: a plain SESSIONS export gets no address even when the same run or store contains the
    // LOGIN_HISTORY row of its login, because sources cannot look up events of other inputs.
    event.source_ip = row.get("client_ip");
    event.user_agent = client;
    event.identity_id = user;
    event.user_name = user;
    // NOTE: credential_id stays empty because Snowflake documents no fixed list of
    // AUTHENTICATION_METHOD values. The LOGIN_HISTORY row of the same login names the credential.

    // Detectors match APPLICATION and OS in the whole CLIENT_ENVIRONMENT object.
    if (environment_valid) event.additional_event_data = environment_text;
    event.file = input_.path;
    event.offset = position.offset;
    ctx_.events.on_event(event);

    if (observed_.size() < kMaxObservedUsers && observed_.insert(user).second) {
      core::Identity identity;
      identity.platform = std::string(kPlatform);
      identity.id = user;
      identity.kind = std::string(kUserKind);
      identity.name = user;
      ctx_.batch.observed_identities.push_back(std::move(identity));
    }
  }

 private:
  void report(std::string message) {
    ctx_.errors.push_back(RecordError{input_.path, position_.offset, position_.line, std::move(message)});
  }

  // Parses CLIENT_ENVIRONMENT into `environment`. Returns false when the text is empty, and
  // reports the error and returns false when it is over the limit or not a JSON object.
  bool read_environment(std::string_view session_id, std::string_view text, ClientEnvironment& environment) {
    if (text.empty()) return false;
    if (text.size() > kMaxClientEnvironmentBytes) {
      report(fmt::format("session {}: CLIENT_ENVIRONMENT is {} bytes, over the {} byte limit; client environment ignored",
                         session_id, text.size(), kMaxClientEnvironmentBytes));
      return false;
    }
    simdjson::dom::element document;
    simdjson::dom::object object;
    const auto parse_error = parser_.parse(text.data(), text.size()).get(document);
    if (parse_error != simdjson::SUCCESS || document.get(object) != simdjson::SUCCESS) {
      report(fmt::format("session {}: CLIENT_ENVIRONMENT is not a JSON object ({}); client environment ignored. "
                         "Export the column as Snowflake writes it, without truncating or re-quoting it",
                         session_id,
                         parse_error != simdjson::SUCCESS ? simdjson::error_message(parse_error) : "another JSON type"));
      return false;
    }
    environment.application = std::string(string_field(object, "APPLICATION"));
    environment.os = std::string(string_field(object, "OS"));
    environment.os_version = std::string(string_field(object, "OS_VERSION"));
    return true;
  }

  const Input& input_;
  ParseContext& ctx_;
  RowPosition position_;
  simdjson::dom::parser parser_;
  std::set<std::string> observed_;
};

}  // namespace

std::string_view SessionsSource::name() const { return "snowflake-sessions"; }

std::string_view SessionsSource::description() const {
  return "Snowflake ACCOUNT_USAGE.SESSIONS export, CSV or JSON: the client application and environment of each session";
}

int SessionsSource::detect(std::string_view head, std::string_view /*path*/) const {
  const std::vector<std::string> columns = column_names_of(head);
  auto has = [&](std::string_view name) { return std::find(columns.begin(), columns.end(), name) != columns.end(); };
  if (!has("session_id") || !has("created_on") || !has("user_name")) return 0;
  if (has("client_environment") || has("client_application_id") || has("login_event_id")) return 90;
  return 0;
}

core::Status SessionsSource::parse(const Input& input, ParseContext& ctx) const {
  SessionReader reader(input, ctx);
  return for_each_row(input, ctx, "session", [&](const Row& row, const RowPosition& position) { reader.read(row, position); });
}

}  // namespace keyward::sources::snowflake
