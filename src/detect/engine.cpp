#include "detect/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "detect/alert_observer.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/engine_activity.hpp"
#include "detect/engine_baselines.hpp"
#include "detect/engine_noise.hpp"

namespace keyward::detect {

// The engine's state doubles as the context detectors see.
struct DetectionEngine::State final : public DetectContext {
  State(store::Store& store_in, enrich::Enricher* enricher_in, DetectOptions options_in)
      : store(store_in), enricher(enricher_in), options_value(std::move(options_in)), baselines(store_in), detectors(make_detectors()) {}

  void raise(core::Alert alert) override;

  // Keeps one new-network alert per event when a platform detector and network.new_asn both
  // report it. Returns true when `alert` is the generic one and the platform's is already raised.
  // When `alert` is the platform's, it removes an earlier generic one and returns false.
  bool drop_overlapping(const core::Alert& alert);

  std::optional<store::BaselineEntry> observe(const std::string& entity, const std::string& dimension,
                                              const std::string& value, core::UnixTime time) override {
    auto before = baselines.observe(entity, dimension, value, time);
    if (!before && entity != baseline::kOrgEntity) record_population(entity, dimension, value, time);
    return before;
  }

  // Counts a first observation in the organization-wide baselines (see entity_baseline.hpp).
  void record_population(const std::string& entity, const std::string& dimension, const std::string& value,
                         core::UnixTime time) {
    if (dimension == baseline::kActivityDimension && value == baseline::kActivityValue) {
      baselines.observe(baseline::kOrgEntity, baseline::kOrgEntitiesDimension, baseline::kActivityValue, time);
    } else if (baseline::is_population_dimension(dimension) && !entity.starts_with("@")) {
      baselines.observe(baseline::kOrgEntity, dimension, value, time);
    }
  }

  std::optional<store::BaselineEntry> lookup(const std::string& entity, const std::string& dimension,
                                             const std::string& value) override {
    return baselines.lookup(entity, dimension, value);
  }

  const DetectOptions& options() const override { return options_value; }

  const core::Identity* find_identity(std::string_view platform, const std::string& id) override;
  const std::vector<core::Identity>& find_identities(const std::string& query) override;

  store::Store& store;
  enrich::Enricher* enricher;
  // Inventory lookups cached for the run; cleared when they grow past kMaxCachedLookups.
  std::unordered_map<std::string, std::optional<core::Identity>> identities;
  std::unordered_map<std::string, std::vector<core::Identity>> identities_by_query;
  DetectOptions options_value;
  BaselineCache baselines;
  ActivitySummarizer activity;
  std::vector<std::unique_ptr<Detector>> detectors;
  // The detectors that read each platform's events, filled on the platform's first event.
  std::unordered_map<std::string, std::vector<Detector*>> detectors_by_platform;
  std::vector<core::Alert> alerts;
  // Detectors that also read alerts (risk accumulation), and whether one is running, so alerts it
  // raises reach the others but not itself.
  std::vector<std::pair<Detector*, AlertObserver*>> observers;
  Detector* notifying = nullptr;
  // The event being dispatched, or nullptr during finish().
  const core::Event* current_event = nullptr;
  // Index in `alerts` of the first alert raised on current_event.
  std::size_t event_alerts_begin = 0;
  long long suppressed = 0;
  // (detector, dedupe key) of every alert raised in this run, and of those not yet flushed.
  std::unordered_set<std::string> raised_keys;
  std::vector<std::string> unflushed_keys;
};

constexpr std::size_t kMaxCachedLookups = 100000;

const core::Identity* DetectionEngine::State::find_identity(std::string_view platform, const std::string& id) {
  std::string key = fmt::format("{}\x1f{}", platform, id);
  auto found = identities.find(key);
  if (found == identities.end()) {
    if (identities.size() >= kMaxCachedLookups) identities.clear();
    auto stored = store.get_identity(std::string(platform), id);
    // A failed read counts as "not in the inventory": detectors then skip inventory-based logic.
    found = identities.emplace(std::move(key), stored.ok() ? *stored : std::nullopt).first;
  }
  return found->second ? &*found->second : nullptr;
}

const std::vector<core::Identity>& DetectionEngine::State::find_identities(const std::string& query) {
  auto found = identities_by_query.find(query);
  if (found == identities_by_query.end()) {
    if (identities_by_query.size() >= kMaxCachedLookups) identities_by_query.clear();
    auto stored = store.find_identities(query);
    found = identities_by_query.emplace(query, stored.ok() ? std::move(*stored) : std::vector<core::Identity>{}).first;
  }
  return found->second;
}

bool DetectionEngine::State::drop_overlapping(const core::Alert& alert) {
  auto begin = alerts.begin() + static_cast<std::ptrdiff_t>(event_alerts_begin);
  if (is_generic_network_novelty(alert.detector)) {
    return std::any_of(begin, alerts.end(), [](const core::Alert& earlier) { return reports_network_novelty(earlier.detector); });
  }
  if (reports_network_novelty(alert.detector)) {
    auto removed = std::remove_if(begin, alerts.end(), [](const core::Alert& earlier) { return is_generic_network_novelty(earlier.detector); });
    suppressed += alerts.end() - removed;
    alerts.erase(removed, alerts.end());
  }
  return false;
}

void DetectionEngine::State::raise(core::Alert alert) {
  if (options_value.disabled_detectors.count(alert.detector) != 0) return;
  if (alert.identity.platform.empty()) alert.identity.platform = "aws";
  if (current_event != nullptr) {
    if (!novelty_suppression_reason(alert, *current_event, *this).empty()) {
      ++suppressed;
      return;
    }
  }
  if (alert.identity.name.empty()) {
    alert.identity.name = alert.identity.platform == "aws" ? aws::arn_resource_name(alert.identity.id) : alert.identity.id;
  }
  if (alert.dedupe_key.empty()) alert.dedupe_key = fmt::format("{}|{}", alert.identity.id, alert.time);
  std::string key = fmt::format("{}\x1f{}", alert.detector, alert.dedupe_key);
  if (!raised_keys.insert(key).second) return;
  unflushed_keys.push_back(std::move(key));
  if (current_event != nullptr && drop_overlapping(alert)) {
    ++suppressed;
    return;
  }
  // Graded after deduplication, so a repeat does not count the value again.
  if (current_event != nullptr) grade_by_population(alert, *current_event, *this);
  alerts.push_back(alert);

  for (auto [detector, observer] : observers) {
    if (detector == notifying || detector->id() == alert.detector) continue;
    Detector* outer = notifying;
    notifying = detector;
    observer->on_alert(alert, current_event, *this);
    notifying = outer;
  }
}

DetectionEngine::DetectionEngine(store::Store& store, enrich::Enricher* enricher, DetectOptions options)
    : state_(std::make_unique<State>(store, enricher, std::move(options))) {
  for (auto& detector : state_->detectors) {
    if (state_->options_value.disabled_detectors.count(detector->id()) != 0) continue;
    if (auto* observer = dynamic_cast<AlertObserver*>(detector.get())) state_->observers.emplace_back(detector.get(), observer);
  }
}

DetectionEngine::~DetectionEngine() = default;

void DetectionEngine::on_event(core::Event& event) {
  if (state_->enricher != nullptr) state_->enricher->enrich(event);
  apply_declared_networks(event, state_->options_value);
  state_->activity.add(event);
  record_rotation(event, *state_);
  auto found = state_->detectors_by_platform.find(std::string(event.platform));
  if (found == state_->detectors_by_platform.end()) {
    std::vector<Detector*> applicable;
    for (auto& detector : state_->detectors) {
      if (state_->options_value.disabled_detectors.count(detector->id()) != 0) continue;
      if (applies_to(*detector, event.platform)) applicable.push_back(detector.get());
    }
    found = state_->detectors_by_platform.emplace(std::string(event.platform), std::move(applicable)).first;
  }
  state_->current_event = &event;
  state_->event_alerts_begin = state_->alerts.size();
  for (Detector* detector : found->second) detector->on_event(event, *state_);
  state_->current_event = nullptr;
}

long long DetectionEngine::suppressed_alerts() const { return state_->suppressed; }

void DetectionEngine::flush_into(store::Batch& batch) {
  for (auto& detector : state_->detectors) detector->finish(*state_);
  for (auto& alert : state_->alerts) batch.alerts.push_back(std::move(alert));
  state_->alerts.clear();
  state_->unflushed_keys.clear();
  state_->activity.flush_into(batch.activity);
  state_->baselines.flush_into(batch.baselines);
}

void DetectionEngine::discard() {
  state_->alerts.clear();
  // Alerts dropped here may be raised again by a later input.
  for (const auto& key : state_->unflushed_keys) state_->raised_keys.erase(key);
  state_->unflushed_keys.clear();
  state_->activity.discard();
  state_->baselines.discard();
}

}  // namespace keyward::detect
