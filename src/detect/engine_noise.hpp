#pragma once

// Noise control the engine applies around the detectors: the organization's declared networks,
// change windows after credential rotations, and grading novelty alerts by how rare the new
// value is across the organization (see entity_baseline.hpp for the population baselines).

#include <string>

#include "core/event.hpp"
#include "core/model.hpp"
#include "detect/detector.hpp"

namespace keyward::detect {

// Sets event.enrichment.network_class to "own" or "ci" when the source address falls in a range
// of DetectOptions::own_networks or ci_networks (own wins), and returns that range's label, or
// "" when it falls in none.
std::string apply_declared_networks(core::Event& event, const DetectOptions& options);

// True for the classes apply_declared_networks sets.
bool is_declared_network_class(std::string_view network_class);

// Records that the identity `event` rotated (see change_window.hpp) got a new credential.
void record_rotation(const core::Event& event, DetectContext& ctx);

// Returns why a novelty alert is dropped ("the source is the declared network 'office'",
// "change window: ..."), or "" to keep it. Alerts of other detectors are always kept.
std::string novelty_suppression_reason(const core::Alert& alert, const core::Event& event, DetectContext& ctx);

// True for network.new_asn, the platform-independent alert on a credential's new network.
bool is_generic_network_novelty(std::string_view detector_id);

// True for the platform detectors whose alert already reports the event's new network, with more
// context than network.new_asn (the Okta API token, Entra service principal, Snowflake service
// user and AWS GetCallerIdentity ones). The engine keeps only theirs for the same event.
bool reports_network_novelty(std::string_view detector_id);

// Raises a novelty alert one severity step (and its score by 15) when, among at least
// baseline::kMinPopulation entities, no other entity used the value, and appends to the alert's
// evidence how many other entities did. Leaves the alert unchanged below that population.
void grade_by_population(core::Alert& alert, const core::Event& event, DetectContext& ctx);

}  // namespace keyward::detect
