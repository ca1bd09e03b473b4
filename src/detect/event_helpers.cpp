#include "detect/event_helpers.hpp"

#include <fmt/format.h>

#include "detect/detectors/aws_event_helpers.hpp"

namespace keyward::detect {

bool is_human_actor(const core::Event& event) {
  if (event.actor_kind == core::ActorKind::human) return true;
  return event.platform == "aws" && aws::is_human_session(event);
}

bool is_provider_internal(const core::Event& event) {
  return event.platform == "aws" && aws::is_aws_service_caller(event);
}

std::string action_of(const core::Event& event) {
  if (event.platform == "aws") return aws::short_action(event);
  return std::string(event.event_name);
}

std::string credential_of(const core::Event& event) {
  if (event.platform == "aws") return aws::long_lived_key_of(event);
  return std::string(event.credential_id);
}

core::Alert make_alert(std::string_view detector, std::string_view title, core::Severity severity, int score,
                       const core::Event& event) {
  core::Alert alert;
  alert.detector = std::string(detector);
  alert.title = std::string(title);
  alert.severity = severity;
  alert.score = score;
  alert.identity.platform = std::string(event.platform);
  alert.identity.id = event.identity_id;
  if (!event.user_name.empty()) alert.identity.name = std::string(event.user_name);
  alert.credential_id = credential_of(event);
  alert.time = event.time;
  return alert;
}

core::Evidence make_evidence(const core::Event& event, std::string description) {
  return aws::make_evidence(event, std::move(description));
}

std::string display_url(std::string_view url) {
  constexpr std::size_t kMaxShownBytes = 300;
  std::string_view rest = url;
  std::string shown;
  if (const size_t scheme_end = rest.find("://"); scheme_end != std::string_view::npos) {
    shown = std::string(rest.substr(0, scheme_end + 3));
    rest.remove_prefix(scheme_end + 3);
    // "user:password@host": the part before the first '@' of the authority is credentials.
    const size_t authority_end = rest.find_first_of("/?#");
    const size_t at = rest.substr(0, authority_end).rfind('@');
    if (at != std::string_view::npos) rest.remove_prefix(at + 1);
  }
  const size_t query = rest.find_first_of("?#");
  shown += std::string(rest.substr(0, query));
  if (query != std::string_view::npos) shown += "?...";
  std::string printable;
  for (char c : shown.substr(0, kMaxShownBytes)) printable += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (shown.size() > kMaxShownBytes) printable += "...";
  return printable;
}

std::string event_dedupe_key(const core::Event& event) {
  if (!event.event_id.empty()) return fmt::format("event:{}", event.event_id);
  return fmt::format("record:{}:{}:{}", event.identity_id, action_of(event), event.time);
}

}  // namespace keyward::detect
