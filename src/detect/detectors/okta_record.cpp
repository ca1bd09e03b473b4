#include "detect/detectors/okta_record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect::okta {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

const nlohmann::json* member(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto exact = object.find(std::string(key));
  if (exact != object.end()) return &*exact;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (equals_ignoring_case(it.key(), key)) return &*it;
  }
  return nullptr;
}

}  // namespace

nlohmann::json parse_record(const core::Event& event) {
  if (event.raw_record.empty()) return nlohmann::json();
  return nlohmann::json::parse(event.raw_record, nullptr, /*allow_exceptions=*/false);
}

const nlohmann::json* member_at(const nlohmann::json& record, std::initializer_list<std::string_view> path) {
  const nlohmann::json* current = &record;
  for (std::string_view key : path) {
    current = member(*current, key);
    if (current == nullptr) return nullptr;
  }
  return current;
}

std::string string_at(const nlohmann::json& record, std::initializer_list<std::string_view> path) {
  const nlohmann::json* value = member_at(record, path);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

Network network_of(const core::Event& event, const nlohmann::json& record) {
  Network network;
  const core::EventEnrichment& enrichment = event.enrichment;
  const nlohmann::json* okta_proxy = member_at(record, {"securityContext", "isProxy"});
  const bool okta_marked_proxy = okta_proxy != nullptr && okta_proxy->is_boolean() && okta_proxy->get<bool>();
  network.anonymized = okta_marked_proxy || enrichment.network_class == "vpn" || enrichment.network_class == "tor";

  std::string organization;
  std::string network_class;
  if (enrichment.asn != 0) {
    network.asn = fmt::format("AS{}", enrichment.asn);
    organization = enrichment.asn_org;
    network_class = enrichment.network_class;
  } else if (const nlohmann::json* number = member_at(record, {"securityContext", "asNumber"});
             number != nullptr && number->is_number_integer() && number->get<long long>() > 0) {
    network.asn = fmt::format("AS{}", number->get<long long>());
    organization = baseline::printable(string_at(record, {"securityContext", "asOrg"}), 80);
  }
  if (network.asn.empty()) return network;
  network.description = network.asn;
  if (!organization.empty()) network.description += " " + organization;
  if (!network_class.empty()) network.description += fmt::format(" ({})", network_class);
  if (okta_marked_proxy) network.description += " (Okta marked the client a proxy)";
  return network;
}

}  // namespace keyward::detect::okta
