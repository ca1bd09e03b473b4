#pragma once

// Small readers shared by the detectors of Azure Activity Log events (source azure-activity-log,
// platform "entra"): operation names compared without case, because Azure writes them in upper,
// lower and mixed case, and the resource id kept in the raw record.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "core/event.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect::azure {

inline std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// True for Activity Log events (the sign-in source also uses platform "entra").
inline bool is_activity_log_event(const core::Event& event) {
  return event.platform == "entra" && event.event_name.find('/') != std::string_view::npos;
}

// The record's resourceId ("/subscriptions/S/resourceGroups/G/providers/P/TYPE/NAME/..."), or "".
inline std::string record_string(const core::Event& event, const char* key) {
  if (event.raw_record.empty()) return {};
  const nlohmann::json record = nlohmann::json::parse(event.raw_record, nullptr, false);
  if (!record.is_object()) return {};
  auto found = record.find(key);
  return found != record.end() && found->is_string() ? found->get<std::string>() : std::string();
}

inline std::string resource_id_of(const core::Event& event) { return record_string(event, "resourceId"); }

// The segment after `type` in a resource id, matched without case: ("…/storageAccounts/acct", "storageAccounts") -> "acct".
inline std::string resource_name_after(std::string_view resource_id, std::string_view type) {
  const std::string lowered = lower(resource_id);
  const std::string marker = "/" + lower(type) + "/";
  const size_t found = lowered.find(marker);
  if (found == std::string::npos) return {};
  const std::string_view rest = resource_id.substr(found + marker.size());
  return std::string(rest.substr(0, rest.find('/')));
}

// "service principal APPID", "user NAME" or "an unlogged caller", for evidence text.
inline std::string describe_caller(const core::Event& event) {
  if (event.identity_id.empty()) return "an unlogged caller";
  const char* kind = event.actor_kind == core::ActorKind::machine ? "service principal or managed identity "
                     : event.actor_kind == core::ActorKind::human ? "user "
                                                                  : "";
  return std::string(kind) + baseline::printable(event.identity_id, 120);
}

// The command that stops the caller: disabling the service principal (containment_command), the
// user's account, or, when the record names no caller, the look-up that finds it by correlation id.
inline std::string contain_caller(const core::Event& event) {
  if (event.identity_id.empty()) {
    const std::string correlation = record_string(event, "correlationId");
    return fmt::format("az monitor activity-log list --correlation-id {} (to find the caller, then disable it)",
                       correlation.empty() ? std::string("CORRELATION_ID") : aws::shell_word(correlation));
  }
  if (event.actor_kind == core::ActorKind::human) {
    return fmt::format("az ad user update --id {} --account-enabled false", aws::shell_word(event.identity_id));
  }
  return containment_command(event);
}

}  // namespace keyward::detect::azure
