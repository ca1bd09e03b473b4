#pragma once

// What the stateful detectors share: which entity an event's baselines belong to, its learning
// period, and the values it was seen with before.
//
// Baselines are stored per entity. On AWS that is the long-lived access key id (AKIA...) when the
// event carries one, else the identity ARN (temporary ASIA keys change with every session). On
// other platforms it is "platform:identity:credential" when the log names the credential, else
// "platform:identity". Each detector keeps
// its own dimension ("country", "asn", "user_agent_family", "sensitive_call"). One shared
// dimension, "activity" with value "any", records the entity's first and last activity.
//
// The novelty and dormancy detectors raise nothing for AWS services acting on a principal's
// behalf or for human sessions (console, IAM Identity Center), because keyward watches
// non-human identities.
//
// "activity"/"any" is recorded in exactly one place: the dormant-credential detector
// (dormant_credential.cpp), which must read the previous last activity before recording the
// current event. The other detectors only read it, and they get the same answer whether they run
// before or after it. The learning period depends on first_seen alone, and recording the current
// event moves first_seen only when the event is older than all recorded ones, which counts as
// learning either way.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/event.hpp"
#include "detect/detector.hpp"

namespace keyward::detect::baseline {

inline const std::string kActivityDimension = "activity";
inline const std::string kActivityValue = "any";

// Organization-wide baselines, recorded by the engine (engine.cpp) whatever detector observes:
// when an entity shows a value of a population dimension for the first time, the engine adds one
// to (kOrgEntity, dimension, value), so that entry's count is the number of entities that ever
// used the value. When an entity's first activity is recorded, it adds one to
// (kOrgEntity, kOrgEntitiesDimension, kActivityValue), the number of entities seen. The store
// then holds one organization row per distinct value, whatever the number of entities.
inline const std::string kOrgEntity = "@org";
inline const std::string kOrgEntitiesDimension = "entities";

// Below this many entities seen, "no other entity used it" says little, so novelty alerts stay
// as their detector raised them.
inline constexpr long long kMinPopulation = 5;

bool is_population_dimension(std::string_view dimension);

// A detector that alerts on a value new for an entity. The engine raises its alert's severity
// when the value is also rare for the organization, and drops its alerts in change windows
// (after a rotation) and, for network dimensions, for the organization's declared networks.
struct NoveltyDetector {
  std::string_view id;
  std::string_view dimension;  // the baseline dimension the detector observes
  bool network = false;        // the value comes from the source address
};

// Returns the novelty detector with this id, or nullptr.
const NoveltyDetector* find_novelty_detector(std::string_view detector_id);

// Returns the value the novelty detector of `dimension` records for `event` ("AS16509", "DE",
// "aws-cli"), or "" when the event has none.
std::string novelty_value(const core::Event& event, std::string_view dimension);

// Returns the entity whose baselines `event` updates, or "" when the event names no identity.
std::string entity_of(const core::Event& event);

// Describes the entity for an alert: "access key AKIA... of arn:aws:iam::...:user/ci", the
// identity ARN alone, or "okta credential 00T... of ci-bot (00u...)" on other platforms.
std::string describe_entity(const core::Event& event);

// Returns true once `time` is at least DetectOptions::learning_days after the entity's first
// recorded activity. An entity with no recorded activity is still learning.
bool learning_complete(DetectContext& ctx, const std::string& entity, core::UnixTime time);

// Returns the date of the entity's first recorded activity ("2024-05-01"), or "" when none is
// recorded.
std::string first_activity_date(DetectContext& ctx, const std::string& entity);

// Returns the values of `candidates`, except `current`, that are already recorded for
// (entity, dimension): what was normal before a new value. It costs one lookup per candidate, so
// callers pass a bounded list and call it only when raising.
std::vector<std::string> known_values(DetectContext& ctx, const std::string& entity, const std::string& dimension,
                                      const std::vector<std::string>& candidates, const std::string& current);

// Returns a log field for display in an alert: printable ASCII only (anything else becomes '?')
// and at most `max_bytes` long, so untrusted text cannot break a terminal or split a UTF-8
// sequence.
std::string printable(std::string_view text, std::size_t max_bytes);

// Joins up to `limit` values with ", " and appends "and N more" for the rest.
std::string join_values(const std::vector<std::string>& values, std::size_t limit);

// Values of one dimension seen per entity during this run, so an alert can name the earlier
// ones even where no fixed list of candidates exists (ASNs). Bounded: at most kMaxValues per
// entity and kMaxEntities entities. Adding an entity beyond that starts all lists over.
class RecentValues {
 public:
  static constexpr std::size_t kMaxValues = 16;
  static constexpr std::size_t kMaxEntities = 100000;

  void add(const std::string& entity, const std::string& value);
  const std::vector<std::string>& of(const std::string& entity) const;
  std::size_t entity_count() const { return values_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> values_;
};

}  // namespace keyward::detect::baseline
