// Reads SNOWFLAKE.ACCOUNT_USAGE.LOGIN_HISTORY or INFORMATION_SCHEMA.LOGIN_HISTORY() rows:
// EVENT_ID, EVENT_TIMESTAMP, EVENT_TYPE, USER_NAME, CLIENT_IP, REPORTED_CLIENT_TYPE,
// REPORTED_CLIENT_VERSION, FIRST_AUTHENTICATION_FACTOR, SECOND_AUTHENTICATION_FACTOR, IS_SUCCESS,
// ERROR_CODE, ERROR_MESSAGE, RELATED_EVENT_ID, CONNECTION. Each row becomes one event whose
// identity is the user name, as the users source keys it.

#include "sources/snowflake/login_history_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "sources/snowflake/rows.hpp"
#include "sources/snowflake/user_ids.hpp"

namespace keyward::sources::snowflake {
namespace {

constexpr size_t kMaxObservedUsers = 100000;

// The credential that the first factor presented, when it is one the users source stores.
std::string credential_of(std::string_view user, std::string_view first_factor) {
  if (first_factor == "PASSWORD") return password_credential_id(user);
  if (first_factor == "RSA_KEYPAIR") return rsa_key_credential_id(user);
  return {};
}

class LoginReader {
 public:
  LoginReader(const Input& input, ParseContext& ctx) : input_(input), ctx_(ctx) {}

  void read(const Row& row, const RowPosition& position) {
    const std::string user(row.get("user_name"));
    if (user.empty()) return report(position, "login row has no USER_NAME; row skipped");
    const std::string_view timestamp = row.get("event_timestamp");
    const auto time = parse_snowflake_time(timestamp);
    if (!time) {
      return report(position, timestamp.empty()
                                  ? std::string("login row has no EVENT_TIMESTAMP; row skipped")
                                  : fmt::format("EVENT_TIMESTAMP '{}' is not a timestamp; row skipped", timestamp.substr(0, 64)));
    }
    const std::string_view first_factor = row.get("first_authentication_factor");
    const std::string credential_id = credential_of(user, first_factor);
    const std::optional<bool> success = row.flag("is_success");
    std::string error_code;
    if (!success.value_or(true)) {
      error_code = std::string(row.get("error_code"));
      if (error_code.empty()) error_code = std::string(row.get("error_message"));
      if (error_code.empty()) error_code = "LOGIN_FAILED";
    }
    std::string user_agent(row.get("reported_client_type"));
    const std::string_view version = row.get("reported_client_version");
    if (!user_agent.empty() && !version.empty()) user_agent += "/" + std::string(version);

    core::Event event;
    event.platform = kPlatform;
    event.time = *time;
    event.event_id = row.get("event_id");
    event.event_source = "login";
    event.event_name = row.get("event_type");
    event.event_type = first_factor;
    event.source_ip = row.get("client_ip");
    event.user_agent = user_agent;
    event.error_code = error_code;
    event.error_message = row.get("error_message");
    event.identity_id = user;
    event.user_name = user;
    event.credential_id = credential_id;
    event.mfa_authenticated = !row.get("second_authentication_factor").empty();
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
  void report(const RowPosition& position, std::string message) {
    ctx_.errors.push_back(RecordError{input_.path, position.offset, position.line, std::move(message)});
  }

  const Input& input_;
  ParseContext& ctx_;
  std::set<std::string> observed_;
};

}  // namespace

std::string_view LoginHistorySource::name() const { return "snowflake-login-history"; }

std::string_view LoginHistorySource::description() const {
  return "Snowflake LOGIN_HISTORY (ACCOUNT_USAGE view or INFORMATION_SCHEMA function) export, CSV or JSON";
}

int LoginHistorySource::detect(std::string_view head, std::string_view /*path*/) const {
  const std::vector<std::string> columns = column_names_of(head);
  auto has = [&](std::string_view name) { return std::find(columns.begin(), columns.end(), name) != columns.end(); };
  if (!has("event_timestamp") || !has("user_name") || !has("is_success")) return 0;
  if (has("first_authentication_factor") || has("reported_client_type") || has("client_ip")) return 90;
  return 0;
}

core::Status LoginHistorySource::parse(const Input& input, ParseContext& ctx) const {
  LoginReader reader(input, ctx);
  return for_each_row(input, ctx, "login", [&](const Row& row, const RowPosition& position) { reader.read(row, position); });
}

}  // namespace keyward::sources::snowflake
