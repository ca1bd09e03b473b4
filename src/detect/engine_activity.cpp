#include "detect/engine_activity.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "detect/detectors/aws_event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr size_t kMaxNetworkBytes = 64;
constexpr size_t kMaxFamilyBytes = 40;
constexpr std::string_view kOther = "other";

void append_field(std::string& key, std::string_view field) {
  key.append(field);
  key.push_back('\x1f');
}

}  // namespace

std::string network_of(const core::Event& event) {
  if (event.enrichment.asn != 0) return fmt::format("AS{}", event.enrichment.asn);
  return std::string(event.source_ip.substr(0, kMaxNetworkBytes));
}

std::string user_agent_family_of(const core::Event& event) {
  if (!event.enrichment.user_agent_family.empty()) return event.enrichment.user_agent_family;
  std::string_view agent = event.user_agent;
  agent = agent.substr(0, std::min(agent.find('/'), agent.find(' ')));
  return std::string(agent.substr(0, kMaxFamilyBytes));
}

void ActivitySummarizer::add(const core::Event& event) {
  if (event.identity_id.empty()) return;
  std::string_view credential = event.credential_id;
  if (event.platform == "aws") credential = aws::is_long_lived_key(event.access_key_id) ? event.access_key_id : "";
  const core::UnixTime day = core::day_start(event.time);
  std::string network = network_of(event);
  std::string family = user_agent_family_of(event);
  std::string_view error_code = event.error_code;
  bool generic_action = false;
  if (rows_.size() >= kMaxRows) {
    network = kOther;
    family = kOther;
  }
  if (rows_.size() >= 2 * kMaxRows) {
    generic_action = true;
    error_code = {};
  }

  key_.clear();
  append_field(key_, event.identity_id);
  append_field(key_, credential);
  append_field(key_, std::to_string(day));
  if (generic_action) {
    append_field(key_, kOther);
  } else {
    key_.append(event.event_source).push_back(':');
    append_field(key_, event.event_name);
  }
  append_field(key_, network);
  append_field(key_, family);
  append_field(key_, error_code);

  auto [it, inserted] = rows_.try_emplace(key_);
  core::ActivitySummary& row = it->second;
  if (inserted) {
    row.platform = std::string(event.platform);
    row.identity_id = event.identity_id;
    row.credential_id = std::string(credential);
    row.day = day;
    row.action = generic_action ? std::string(kOther) : fmt::format("{}:{}", event.event_source, event.event_name);
    row.network = std::move(network);
    row.user_agent_family = std::move(family);
    row.error_code = std::string(error_code);
    row.first_seen = event.time;
    row.last_seen = event.time;
  }
  ++row.count;
  row.first_seen = std::min(row.first_seen, event.time);
  row.last_seen = std::max(row.last_seen, event.time);
}

void ActivitySummarizer::flush_into(std::vector<core::ActivitySummary>& out) {
  out.reserve(out.size() + rows_.size());
  for (auto& [key, row] : rows_) out.push_back(std::move(row));
  rows_.clear();
}

}  // namespace keyward::detect
