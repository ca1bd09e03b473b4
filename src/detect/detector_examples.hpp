#pragma once

// Runs a detector's positive and negative examples through the real ingest path (source
// detection, parsers, enrichment, detection engine, a temporary SQLite store), so that an example
// proves what the shipped code does. `keyward rules check` and the test suite both use it.
//
// Examples of detector D live in <root>/D/ and are named positive_* or negative_*:
// - a file is one input in any format keyward ingests, its source detected from the content;
// - a folder holds several inputs, ingested in file-name order in one run, so the first files
//   can lay down the baseline (weeks of normal activity) that the last one breaks.
// A positive example must raise exactly one alert of D (the engine groups repeats), a negative
// one none.

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "enrich/enricher.hpp"

namespace keyward::detect {

struct DetectorExample {
  std::string path;
  bool positive = false;
};

struct DetectorExampleOutcome {
  DetectorExample example;
  std::vector<core::Alert> alerts;  // alerts of the detector under test
  long long other_alerts = 0;       // alerts of other detectors, for information

  bool passed() const { return example.positive ? alerts.size() == 1 : alerts.empty(); }
  // One line: what was expected and what was raised.
  std::string describe() const;
};

// Lists the examples of `detector_id` under `root`, sorted by name. Entries whose names start
// with neither positive_ nor negative_ (a README) are ignored.
std::vector<DetectorExample> list_detector_examples(const std::string& root, std::string_view detector_id);

// Runs one example with the given enrichment data (geo, ASN and network-class files). Fails when
// an input cannot be read or recognized, a record is rejected, or the store fails. The temporary
// store is created under `work_directory` and removed.
core::Result<DetectorExampleOutcome> run_detector_example(const DetectorExample& example, std::string_view detector_id,
                                                          const enrich::EnrichOptions& enrichment,
                                                          const std::string& work_directory);

// The examples folder of this source tree: src/detect/detectors/testdata.
std::string default_detector_examples_root();

}  // namespace keyward::detect
