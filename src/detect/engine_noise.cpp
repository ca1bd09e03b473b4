#include "detect/engine_noise.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "detect/change_window.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

const std::string kRotationDimension = "rotation";

// Rotations are stored under their own entity prefix so they never mix with credential entities.
std::string rotation_entity(const std::string& key) { return "@rotation:" + key; }

const DeclaredNetwork* find_network(const std::vector<DeclaredNetwork>& networks, const enrich::IpAddress& address) {
  for (const DeclaredNetwork& network : networks) {
    if (network.contains(address)) return &network;
  }
  return nullptr;
}

core::Severity one_step_up(core::Severity severity) {
  switch (severity) {
    case core::Severity::info: return core::Severity::low;
    case core::Severity::low: return core::Severity::medium;
    case core::Severity::medium: return core::Severity::high;
    default: return severity;
  }
}

}  // namespace

std::string apply_declared_networks(core::Event& event, const DetectOptions& options) {
  if (options.own_networks.empty() && options.ci_networks.empty()) return {};
  auto address = enrich::parse_ip(event.source_ip);
  if (!address) return {};
  if (const DeclaredNetwork* own = find_network(options.own_networks, *address)) {
    event.enrichment.network_class = "own";
    return own->label;
  }
  if (const DeclaredNetwork* ci = find_network(options.ci_networks, *address)) {
    event.enrichment.network_class = "ci";
    return ci->label;
  }
  return {};
}

bool is_declared_network_class(std::string_view network_class) {
  return network_class == "own" || network_class == "ci";
}

void record_rotation(const core::Event& event, DetectContext& ctx) {
  const std::string key = rotated_identity_key(event);
  if (key.empty()) return;
  ctx.observe(rotation_entity(key), kRotationDimension, baseline::kActivityValue, event.time);
}

bool is_generic_network_novelty(std::string_view detector_id) { return detector_id == "network.new_asn"; }

bool reports_network_novelty(std::string_view detector_id) {
  static constexpr std::array<std::string_view, 5> kPlatformNetworkDetectors = {
      "aws.sts.key_validated_from_new_network",
      "entra.service_principal.new_asn",
      "entra.service_principal.credential_added_then_new_ip",
      "okta.api_token.new_network",
      "snowflake.service_user.password_new_network",
  };
  return std::find(kPlatformNetworkDetectors.begin(), kPlatformNetworkDetectors.end(), detector_id) !=
         kPlatformNetworkDetectors.end();
}

std::string novelty_suppression_reason(const core::Alert& alert, const core::Event& event, DetectContext& ctx) {
  const baseline::NoveltyDetector* novelty = baseline::find_novelty_detector(alert.detector);
  if (novelty == nullptr) return {};
  if (novelty->network && is_declared_network_class(event.enrichment.network_class)) {
    return fmt::format("source {} is in a network the organization declared as its own ({})", event.source_ip,
                       event.enrichment.network_class);
  }
  const core::UnixTime window = static_cast<core::UnixTime>(ctx.options().change_window_hours) * 3600;
  if (window <= 0) return {};
  const std::string key = change_window_key(alert.identity.platform, alert.identity.id);
  auto rotation = ctx.lookup(rotation_entity(key), kRotationDimension, baseline::kActivityValue);
  // NOTE: only the latest rotation is stored, so an alert on events older than it (logs read out
  // of order) is checked against that latest one.
  if (rotation && alert.time >= rotation->last_seen && alert.time - rotation->last_seen <= window) {
    return fmt::format("change window: {} got a new credential at {}", alert.identity.id,
                       core::format_time(rotation->last_seen));
  }
  return {};
}

void grade_by_population(core::Alert& alert, const core::Event& event, DetectContext& ctx) {
  const baseline::NoveltyDetector* novelty = baseline::find_novelty_detector(alert.detector);
  if (novelty == nullptr) return;
  const std::string value = baseline::novelty_value(event, novelty->dimension);
  if (value.empty()) return;
  auto population = ctx.lookup(baseline::kOrgEntity, baseline::kOrgEntitiesDimension, baseline::kActivityValue);
  auto users = ctx.lookup(baseline::kOrgEntity, std::string(novelty->dimension), value);
  if (!population || !users) return;

  // The engine counted this entity already when the detector observed the value.
  const long long others = std::max(0LL, users->count - 1);
  const long long entities = population->count;
  // Among a handful of entities, "no other entity used it" is not worth stating.
  if (entities < baseline::kMinPopulation) return;

  std::string description;
  if (others == 0) {
    alert.severity = one_step_up(alert.severity);
    alert.score = std::min(100, alert.score + 15);
    description = fmt::format(
        "{} {} is also rare for the organization: none of the other {} credentials and identities keyward has seen "
        "used it, so the severity was raised",
        novelty->dimension, baseline::printable(value, 80), entities - 1);
  } else {
    description = fmt::format("{} {} was used before by {} other of the {} credentials and identities keyward has seen",
                              novelty->dimension, baseline::printable(value, 80), others, entities);
  }
  // Appended to the detector's own evidence, which names the same record.
  if (alert.evidence.empty()) {
    alert.evidence.push_back(make_evidence(event, std::move(description)));
  } else {
    alert.evidence.front().description += ". " + description;
  }
}

}  // namespace keyward::detect
