#include "detect/detectors/aws_event_helpers.hpp"

#include "detect/event_helpers.hpp"

#include <fmt/format.h>

namespace keyward::detect::aws {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

bool is_plain_shell_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '+' ||
         c == '=' || c == ',' || c == '.' || c == '@' || c == '/' || c == ':' || c == '-';
}

// An inline policy that denies everything to sessions issued before `time`. It is what the IAM
// console's "Revoke active sessions" action attaches (condition key aws:TokenIssueTime).
std::string revoke_sessions_policy(core::UnixTime time) {
  return fmt::format(
      R"({{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":["*"],"Resource":["*"],)"
      R"("Condition":{{"DateLessThan":{{"aws:TokenIssueTime":"{}"}}}}}}]}})",
      core::format_time(time));
}

}  // namespace

bool is_long_lived_key(std::string_view access_key_id) { return starts_with(access_key_id, "AKIA"); }

std::string long_lived_key_of(const core::Event& event) {
  return is_long_lived_key(event.access_key_id) ? std::string(event.access_key_id) : std::string();
}

bool is_human_session(const core::Event& event) {
  if (event.session_credential_from_console) return true;
  if (contains(event.user_agent, "console.amazonaws.com") || contains(event.user_agent, "console.aws.amazon.com")) {
    return true;
  }
  // IAM Identity Center permission sets appear as roles named AWSReservedSSO_<set>_<suffix>.
  return event.identity_type == "AssumedRole" && contains(event.identity_id, ":role/aws-reserved/sso.amazonaws.com/");
}

bool is_aws_service_caller(const core::Event& event) {
  if (event.identity_type == "AWSService") return true;
  if (!event.invoked_by.empty()) return true;
  return contains(event.identity_id, ":role/aws-service-role/");
}

bool is_machine_caller(const core::Event& event) { return !is_human_session(event) && !is_aws_service_caller(event); }

bool is_amazon_network(const core::EventEnrichment& enrichment) {
  switch (enrichment.asn) {
    case 16509:
    case 14618:
    case 8987:
    case 7224:
      return true;
    default:
      return contains(enrichment.asn_org, "Amazon");
  }
}

bool is_known_network_outside_aws(const core::EventEnrichment& enrichment) {
  if (!enrichment.ip_valid || !enrichment.ip_public) return false;
  if (enrichment.asn == 0 && enrichment.network_class.empty()) return false;
  return !is_amazon_network(enrichment);
}

std::string day_of(core::UnixTime time) { return core::format_time(time).substr(0, 10); }

nlohmann::json parse_json(std::string_view raw_json) {
  if (raw_json.empty()) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(raw_json.begin(), raw_json.end(), nullptr, /*allow_exceptions=*/false);
}

std::string string_field(const nlohmann::json& json, std::string_view key) {
  if (!json.is_object()) return {};
  const auto found = json.find(key);
  if (found == json.end() || !found->is_string()) return {};
  return found->get<std::string>();
}

bool bool_field(const nlohmann::json& json, std::string_view key) {
  if (!json.is_object()) return false;
  const auto found = json.find(key);
  return found != json.end() && found->is_boolean() && found->get<bool>();
}

std::string short_action(const core::Event& event) {
  std::string_view service = event.event_source;
  service = service.substr(0, service.find('.'));
  return fmt::format("{}:{}", service, event.event_name);
}

std::string arn_resource_name(std::string_view arn) {
  const size_t slash = arn.rfind('/');
  if (slash != std::string_view::npos) return std::string(arn.substr(slash + 1));
  const size_t colon = arn.rfind(':');
  return std::string(colon == std::string_view::npos ? arn : arn.substr(colon + 1));
}

std::string shell_word(std::string_view value) {
  bool plain = !value.empty();
  for (char c : value) plain = plain && is_plain_shell_char(c);
  if (plain) return std::string(value);
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

core::Evidence make_evidence(const core::Event& event, std::string description) {
  core::Evidence evidence;
  evidence.description = std::move(description);
  evidence.source.file = std::string(event.file);
  evidence.source.offset = event.offset;
  evidence.source.record_id = std::string(event.event_id);
  evidence.time = event.time;
  return evidence;
}

core::Alert make_alert(std::string_view detector, std::string_view title, core::Severity severity, int score,
                       const core::Event& event) {
  return detect::make_alert(detector, title, severity, score, event);
}

std::string containment_command(const core::Event& event) {
  const std::string name = arn_resource_name(event.identity_id);
  if (event.identity_type == "Root") {
    if (event.access_key_id.empty()) {
      return "sign in as the root user, change its password and MFA device, then review its access keys with "
             "`aws iam list-access-keys` run under root credentials";
    }
    return fmt::format("aws iam delete-access-key --access-key-id {}  # run with the root user's credentials",
                       shell_word(event.access_key_id));
  }
  if (event.identity_type == "IAMUser" && is_long_lived_key(event.access_key_id)) {
    return fmt::format("aws iam update-access-key --user-name {} --access-key-id {} --status Inactive",
                       shell_word(event.user_name.empty() ? name : event.user_name), shell_word(event.access_key_id));
  }
  if (event.identity_type == "IAMUser") {
    return fmt::format("aws iam put-user-policy --user-name {} --policy-name AWSRevokeOlderSessions --policy-document '{}'",
                       shell_word(event.user_name.empty() ? name : event.user_name), revoke_sessions_policy(event.time));
  }
  if (event.identity_type == "AssumedRole" && event.identity_id.find(":role/") != std::string::npos) {
    return fmt::format("aws iam put-role-policy --role-name {} --policy-name AWSRevokeOlderSessions --policy-document '{}'",
                       shell_word(name), revoke_sessions_policy(event.time));
  }
  return fmt::format("identify who controls {} and revoke its credentials", event.identity_id);
}

std::string event_dedupe_key(const core::Event& event) {
  if (!event.event_id.empty()) return fmt::format("event:{}", event.event_id);
  return fmt::format("record:{}:{}:{}", event.identity_id, short_action(event), event.time);
}

}  // namespace keyward::detect::aws
