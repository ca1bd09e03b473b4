#pragma once

// Names of the service principal in an Entra sign-in event, for alert titles. The
// entra-sign-ins source keys apps by appId and passes the whole record as raw_record, where
// servicePrincipalName and appDisplayName sit at the top level (Graph) or under "properties"
// (diagnostic settings records).

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <string>

#include "core/event.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect::entra {

// Returns servicePrincipalName, else appDisplayName, made printable, or "" when the record names
// neither. Parses raw_record, so call it only when raising an alert.
inline std::string service_principal_name(const core::Event& event) {
  if (event.raw_record.empty()) return {};
  const auto record = nlohmann::json::parse(event.raw_record, nullptr, /*allow_exceptions=*/false);
  if (!record.is_object()) return {};
  const auto properties = record.find("properties");
  const nlohmann::json& body = properties != record.end() && properties->is_object() ? *properties : record;
  for (const char* key : {"servicePrincipalName", "appDisplayName"}) {
    const auto found = body.find(key);
    if (found != body.end() && found->is_string() && !found->get<std::string>().empty()) {
      return baseline::printable(found->get<std::string>(), 120);
    }
  }
  return {};
}

// "Service principal 'billing-sync' (appId APP_ID)", or "Service principal APP_ID" when the
// record names no display name.
inline std::string service_principal_label(std::string_view name, std::string_view app_id) {
  if (name.empty()) return fmt::format("Service principal {}", baseline::printable(app_id, 80));
  return fmt::format("Service principal '{}' (appId {})", name, baseline::printable(app_id, 80));
}

}  // namespace keyward::detect::entra
