// Reads `users.list` responses: the workspace's members, people and bot users.
//   {"ok": true, "members": [{"id", "team_id", "name", "deleted", "real_name", "is_bot",
//     "is_admin", "is_owner", "updated", "profile": {"email", "real_name", "bot_id", "api_app_id"}}],
//    "response_metadata": {"next_cursor"}}
// Bot users become machine identities linked to their app; everyone else is a person.

#include "sources/slack/users_source.hpp"

#include "sources/common/json_records.hpp"
#include "sources/slack/slack_common.hpp"

namespace keyward::sources::slack {
namespace {

namespace attribute = core::attribute;

// Slackbot is a built-in bot user whose is_bot is false.
constexpr std::string_view kSlackbotId = "USLACKBOT";

bool bool_or_false(simdjson::dom::element object, std::string_view key) {
  bool value = false;
  return object[key].get(value) == simdjson::SUCCESS && value;
}

void read_member(simdjson::dom::element member, const RecordPosition& position, const std::string& file, ParseContext& ctx) {
  if (member["ok"].error() == simdjson::SUCCESS && member["members"].error() != simdjson::SUCCESS) {
    const std::string_view error = string_or_empty(member, "error");
    ctx.errors.push_back(RecordError{file, position.offset, position.line,
                                     "response without members (error \"" + std::string(error.substr(0, 100)) +
                                         "\"); call users.list with a token that has users:read"});
    return;
  }
  const std::string_view id = string_or_empty(member, "id");
  if (id.empty()) {
    ctx.errors.push_back(RecordError{file, position.offset, position.line, "member without id; skipped"});
    return;
  }
  simdjson::dom::element profile;
  if (member["profile"].get(profile) != simdjson::SUCCESS || !profile.is_object()) profile = member;

  const bool bot = bool_or_false(member, "is_bot") || id == kSlackbotId;
  const bool deleted = bool_or_false(member, "deleted");
  const std::string_view handle = string_or_empty(member, "name");
  std::string_view display = string_or_empty(member, "real_name");
  if (display.empty()) display = string_or_empty(profile, "real_name");
  if (display.empty()) display = handle;

  core::Identity identity;
  identity.platform = std::string(kPlatform);
  identity.id = std::string(id);
  identity.name = std::string(display.empty() ? id : display);
  identity.account = std::string(string_or_empty(member, "team_id"));
  simdjson::dom::element updated;
  if (member["updated"].get(updated) == simdjson::SUCCESS) {
    if (const auto time = slack_time(updated)) identity.attributes["updated"] = core::format_time(*time);
  }
  if (!handle.empty()) identity.attributes[std::string(attribute::kLogin)] = std::string(handle);
  if (bool_or_false(member, "is_admin") || bool_or_false(member, "is_owner")) {
    identity.attributes[std::string(attribute::kPrivilege)] = "admin";
  }

  if (bot) {
    identity.kind = "slack_bot";
    identity.classification = core::Classification::machine;
    identity.classification_reason = "Slack bot user";
    identity.status = deleted ? "deleted" : "active";
    const std::string_view bot_id = string_or_empty(profile, "bot_id");
    if (!bot_id.empty()) identity.attributes[std::string(attribute::kAliases)] = nlohmann::json::array({std::string(bot_id)});
    const std::string_view app_id = string_or_empty(profile, "api_app_id");
    if (!app_id.empty()) identity.attributes["app_id"] = std::string(app_id);
  } else {
    identity.kind = "slack_user";
    identity.classification = core::Classification::human;
    identity.classification_reason = "Slack member";
    identity.status = deleted ? "deprovisioned" : "active";
    const std::string_view email = string_or_empty(profile, "email");
    if (!email.empty()) identity.attributes[std::string(attribute::kEmail)] = std::string(email);
  }
  ctx.batch.identities.push_back(std::move(identity));
}

}  // namespace

std::string_view UsersSource::name() const { return "slack-users"; }

std::string_view UsersSource::description() const {
  return "Slack members and bot users: users.list responses, one or many pages";
}

int UsersSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!has_json_key(head, "is_bot")) return 0;
  if (has_json_key(head, "members")) return 90;
  return has_json_key(head, "team_id") && has_json_key(head, "profile") ? 75 : 0;
}

core::Status UsersSource::parse(const Input& input, ParseContext& ctx) const {
  JsonRecordOptions options;
  options.envelope_keys = {"members"};
  options.record_name = "member";
  return for_each_json_record(input, ctx, options, [&](simdjson::dom::element member, const RecordPosition& position) {
    read_member(member, position, input.path, ctx);
  });
}

}  // namespace keyward::sources::slack
