#pragma once

// The detection engine: enriches each event, summarizes activity per credential and day, runs
// every detector and collects alerts and baseline updates into the ingest batch.

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

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace keyward::detect
