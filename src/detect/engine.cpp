#include "detect/engine.hpp"

#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/engine_activity.hpp"
#include "detect/engine_baselines.hpp"

namespace keyward::detect {

// The engine's state doubles as the context detectors see.
struct DetectionEngine::State final : public DetectContext {
  State(store::Store& store_in, enrich::Enricher* enricher_in, DetectOptions options_in)
      : store(store_in), enricher(enricher_in), options_value(options_in), baselines(store_in), detectors(make_detectors()) {}

  void raise(core::Alert alert) override;

  std::optional<store::BaselineEntry> observe(const std::string& entity, const std::string& dimension,
                                              const std::string& value, core::UnixTime time) override {
    return baselines.observe(entity, dimension, value, time);
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

void DetectionEngine::State::raise(core::Alert alert) {
  if (alert.identity.platform.empty()) alert.identity.platform = "aws";
  if (alert.identity.name.empty()) {
    alert.identity.name = alert.identity.platform == "aws" ? aws::arn_resource_name(alert.identity.id) : alert.identity.id;
  }
  if (alert.dedupe_key.empty()) alert.dedupe_key = fmt::format("{}|{}", alert.identity.id, alert.time);
  std::string key = fmt::format("{}\x1f{}", alert.detector, alert.dedupe_key);
  if (!raised_keys.insert(key).second) return;
  unflushed_keys.push_back(std::move(key));
  alerts.push_back(std::move(alert));
}

DetectionEngine::DetectionEngine(store::Store& store, enrich::Enricher* enricher, DetectOptions options)
    : state_(std::make_unique<State>(store, enricher, options)) {}

DetectionEngine::~DetectionEngine() = default;

void DetectionEngine::on_event(core::Event& event) {
  if (state_->enricher != nullptr) state_->enricher->enrich(event);
  state_->activity.add(event);
  auto found = state_->detectors_by_platform.find(std::string(event.platform));
  if (found == state_->detectors_by_platform.end()) {
    std::vector<Detector*> applicable;
    for (auto& detector : state_->detectors) {
      if (applies_to(*detector, event.platform)) applicable.push_back(detector.get());
    }
    found = state_->detectors_by_platform.emplace(std::string(event.platform), std::move(applicable)).first;
  }
  for (Detector* detector : found->second) detector->on_event(event, *state_);
}

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
