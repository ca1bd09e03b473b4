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

std::string event_dedupe_key(const core::Event& event) {
  if (!event.event_id.empty()) return fmt::format("event:{}", event.event_id);
  return fmt::format("record:{}:{}:{}", event.identity_id, action_of(event), event.time);
}

}  // namespace keyward::detect
