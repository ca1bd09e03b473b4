#pragma once

// Test helpers for checking the contents of a detector's alerts on its own examples, run through
// the real ingest path with the enrichment fixture (examples_test.cpp only counts alerts).

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "detect/detector_examples.hpp"
#include "enrich/testdata/enrich_fixture.hpp"

namespace keyward::detect::testing {

// Runs the example `name` (a file or folder under the detector's testdata folder) and returns the
// alerts of `detector_id`. Returns none when the enrichment fixture is unavailable, so use
// KEYWARD_SKIP_WITHOUT_ENRICHMENT() first.
inline std::vector<core::Alert> run_example(std::string_view detector_id, const std::string& name) {
  const auto& fixture = enrich::testing::EnrichFixture::get();
  if (!fixture.skip_reason().empty() || !fixture.error().empty()) return {};
  const enrich::EnrichOptions enrichment = fixture.options();
  DetectorExample example;
  example.path = (std::filesystem::path(default_detector_examples_root()) / std::string(detector_id) / name).string();
  example.positive = name.starts_with("positive_");
  auto outcome = run_detector_example(example, detector_id, enrichment, std::filesystem::temp_directory_path().string());
  if (!outcome.ok()) {
    ADD_FAILURE() << outcome.error().describe();
    return {};
  }
  return outcome->alerts;
}

// Skips the current test when the enrichment fixture cannot be built (perl or its MaxMind
// writer module missing), and fails it when building it failed.
#define KEYWARD_SKIP_WITHOUT_ENRICHMENT()                                                       \
  do {                                                                                          \
    const auto& keyward_fixture = ::keyward::enrich::testing::EnrichFixture::get();             \
    if (!keyward_fixture.skip_reason().empty()) GTEST_SKIP() << keyward_fixture.skip_reason();  \
    ASSERT_TRUE(keyward_fixture.error().empty()) << keyward_fixture.error();                    \
  } while (false)

}  // namespace keyward::detect::testing
