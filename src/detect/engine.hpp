#pragma once

// The detection engine: enriches each event, summarizes activity per credential and day, runs
// every enabled detector and collects alerts and baseline updates into the ingest batch. It also
// applies the noise control of engine_noise.hpp to novelty alerts and passes every kept alert
// to the detectors that read alerts (alert_observer.hpp).

#include <memory>

#include "core/event.hpp"
#include "detect/detector.hpp"
#include "enrich/enricher.hpp"
#include "store/store.hpp"

namespace keyward::detect {

// Lives for a whole ingest run (so windows span the files of one directory). Not thread-safe.
class DetectionEngine final : public core::EventSink {
 public:
  // `store` is read for baselines; `enricher` may be null (no enrichment at all).
  DetectionEngine(store::Store& store, enrich::Enricher* enricher, DetectOptions options);
  ~DetectionEngine() override;

  // Events from the source of the current input land here.
  void on_event(core::Event& event) override;

  // Runs the detectors' end-of-input step and moves the alerts, activity summaries and baseline
  // updates gathered since the last call into `batch`.
  void flush_into(store::Batch& batch);

  // Drops what was gathered since the last flush (the input failed and its batch is discarded).
  void discard();

  // Novelty alerts dropped in this run because the source was a declared network or the
  // identity was in a change window after a rotation.
  long long suppressed_alerts() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace keyward::detect
