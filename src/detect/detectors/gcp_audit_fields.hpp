#pragma once

// Small readers shared by the GCP detectors: fields of the Cloud Audit Logs entry that the gcp
// source keeps as raw JSON (request, response and the whole entry), and who owns a network.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/event.hpp"

namespace keyward::detect::gcp {

inline nlohmann::json parse_object(std::string_view text) {
  if (text.empty()) return nlohmann::json::object();
  nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  return value.is_object() ? value : nlohmann::json::object();
}

inline std::string string_at(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return {};
  auto found = object.find(std::string(key));
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// The last path segment: ".../serviceAccounts/sa@p.iam.gserviceaccount.com" -> "sa@p...".
inline std::string last_segment(std::string_view path) {
  const size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// True when the enrichment puts the caller on Google's own network, where Google services and
// workloads on Google Cloud call from.
inline bool is_google_network(const core::EventEnrichment& enrichment) {
  return enrichment.asn_org.find("Google") != std::string::npos || enrichment.asn == 15169 ||
         enrichment.asn == 396982 || enrichment.asn == 19527;
}

}  // namespace keyward::detect::gcp
