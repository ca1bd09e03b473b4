#pragma once

// Reading Okta System Log fields that core::Event does not carry, from the event's raw record,
// for the okta.* detectors. SIEM exports lower-case some keys ("securitycontext"), so lookups
// ignore ASCII case, as the Okta source does.

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/event.hpp"

namespace keyward::detect::okta {

// Parses event.raw_record; a discarded value when it is empty or not JSON.
nlohmann::json parse_record(const core::Event& event);

// Returns the member at `path`, keys matched without regard to case, or nullptr when missing.
const nlohmann::json* member_at(const nlohmann::json& record, std::initializer_list<std::string_view> path);

// Returns the string at `path`, or "" when missing or not a string.
std::string string_at(const nlohmann::json& record, std::initializer_list<std::string_view> path);

// The client network of an event: our enrichment where it knows the ASN, else the
// securityContext that Okta logged.
struct Network {
  std::string asn;          // "AS7922", "" when neither source knows it
  std::string description;  // "AS7922 Comcast (residential)", "AS701 verizon (Okta: proxy)"
  bool anonymized = false;  // Okta marked the client a proxy, or our data classes it VPN or Tor
};

Network network_of(const core::Event& event, const nlohmann::json& record);

}  // namespace keyward::detect::okta
