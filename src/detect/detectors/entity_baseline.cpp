#include "detect/detectors/entity_baseline.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "detect/detectors/aws_event_helpers.hpp"
#include "enrich/user_agent.hpp"

namespace keyward::detect::baseline {

namespace {

// Population dimensions must match what the detectors below observe: network.new_asn records
// "AS<number>", network.new_country the ISO code, client.new_user_agent_family the family.
constexpr NoveltyDetector kNoveltyDetectors[] = {
    {"network.new_asn", "asn", true},
    {"network.new_country", "country", true},
    {"client.new_user_agent_family", "user_agent_family", false},
};

}  // namespace

bool is_population_dimension(std::string_view dimension) {
  for (const NoveltyDetector& detector : kNoveltyDetectors) {
    if (detector.dimension == dimension) return true;
  }
  return false;
}

const NoveltyDetector* find_novelty_detector(std::string_view detector_id) {
  for (const NoveltyDetector& detector : kNoveltyDetectors) {
    if (detector.id == detector_id) return &detector;
  }
  return nullptr;
}

std::string novelty_value(const core::Event& event, std::string_view dimension) {
  const core::EventEnrichment& enrichment = event.enrichment;
  if (dimension == "asn") return enrichment.asn == 0 ? std::string() : fmt::format("AS{}", enrichment.asn);
  if (dimension == "country") return enrichment.country;
  if (dimension == "user_agent_family") {
    if (!enrichment.user_agent_family.empty()) return enrichment.user_agent_family;
    return std::string(enrich::classify_user_agent(event.user_agent).family);
  }
  return {};
}

std::string entity_of(const core::Event& event) {
  if (event.identity_id.empty()) return {};
  if (event.platform == "aws") {
    std::string key = aws::long_lived_key_of(event);
    return key.empty() ? event.identity_id : key;
  }
  // Ids of other platforms are unique only within the platform.
  if (!event.credential_id.empty()) return fmt::format("{}:{}:{}", event.platform, event.identity_id, event.credential_id);
  return fmt::format("{}:{}", event.platform, event.identity_id);
}

std::string describe_entity(const core::Event& event) {
  if (event.platform == "aws") {
    std::string key = aws::long_lived_key_of(event);
    if (key.empty()) return event.identity_id;
    return fmt::format("access key {} of {}", key, event.identity_id);
  }
  const std::string name = event.user_name.empty() || event.user_name == event.identity_id
                               ? event.identity_id
                               : fmt::format("{} ({})", event.user_name, event.identity_id);
  if (event.credential_id.empty() || event.credential_id == event.identity_id) return fmt::format("{} {}", event.platform, name);
  return fmt::format("{} credential {} of {}", event.platform, printable(event.credential_id, 80), name);
}

bool learning_complete(DetectContext& ctx, const std::string& entity, core::UnixTime time) {
  auto activity = ctx.lookup(entity, kActivityDimension, kActivityValue);
  if (!activity) return false;
  const core::UnixTime learning = static_cast<core::UnixTime>(ctx.options().learning_days) * core::kSecondsPerDay;
  return time - activity->first_seen >= learning;
}

std::string first_activity_date(DetectContext& ctx, const std::string& entity) {
  auto activity = ctx.lookup(entity, kActivityDimension, kActivityValue);
  return activity ? core::format_date(activity->first_seen) : std::string();
}

std::vector<std::string> known_values(DetectContext& ctx, const std::string& entity, const std::string& dimension,
                                      const std::vector<std::string>& candidates, const std::string& current) {
  std::vector<std::string> known;
  for (const std::string& candidate : candidates) {
    if (candidate == current) continue;
    if (ctx.lookup(entity, dimension, candidate)) known.push_back(candidate);
  }
  return known;
}

std::string printable(std::string_view text, std::size_t max_bytes) {
  std::string out;
  const std::size_t length = std::min(text.size(), max_bytes);
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) {
    const char c = text[i];
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (text.size() > max_bytes) out += "...";
  return out;
}

std::string join_values(const std::vector<std::string>& values, std::size_t limit) {
  std::string joined;
  const std::size_t shown = std::min(values.size(), limit);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) joined += ", ";
    joined += values[i];
  }
  if (values.size() > shown) joined += fmt::format(" and {} more", values.size() - shown);
  return joined;
}

void RecentValues::add(const std::string& entity, const std::string& value) {
  if (values_.size() >= kMaxEntities && values_.count(entity) == 0) values_.clear();
  std::vector<std::string>& list = values_[entity];
  if (list.size() < kMaxValues && std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

const std::vector<std::string>& RecentValues::of(const std::string& entity) const {
  static const std::vector<std::string> kNone;
  auto found = values_.find(entity);
  return found == values_.end() ? kNone : found->second;
}

}  // namespace keyward::detect::baseline
