// Runs every registered detector's positive and negative examples (testdata/<detector id>/)
// through the real ingest path with the enrichment fixtures of src/enrich/testdata, the same
// way `keyward rules check` does.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "detect/detector.hpp"
#include "detect/detector_examples.hpp"
#include "enrich/testdata/enrich_fixture.hpp"

namespace keyward::detect {
namespace {

std::set<std::string> registered_detector_ids() {
  std::set<std::string> ids;
  for (const auto& detector : make_detectors()) ids.insert(std::string(detector->id()));
  return ids;
}

TEST(DetectorExamples, EveryExampleFolderNamesADetector) {
  const std::set<std::string> ids = registered_detector_ids();
  for (const auto& entry : std::filesystem::directory_iterator(default_detector_examples_root())) {
    if (!entry.is_directory()) continue;
    EXPECT_TRUE(ids.count(entry.path().filename().string())) << entry.path() << " is not a registered detector id";
  }
}

TEST(DetectorExamples, EachDetectorHasPositiveAndNegativeExamples) {
  for (const auto& detector : make_detectors()) {
    int positive = 0;
    int negative = 0;
    for (const auto& example : list_detector_examples(default_detector_examples_root(), detector->id())) {
      positive += example.positive;
      negative += !example.positive;
    }
    EXPECT_GE(positive, 1) << detector->id() << " has no positive example";
    EXPECT_GE(negative, 1) << detector->id() << " has no negative example";
  }
}

TEST(DetectorExamples, EachDetectorHasMetadata) {
  for (const auto& detector : make_detectors()) {
    EXPECT_FALSE(detector->title().empty()) << detector->id();
    EXPECT_FALSE(detector->description().empty()) << detector->id() << " has no description";
  }
}

TEST(DetectorExamples, PositivesRaiseOnceAndNegativesNever) {
  const auto& fixture = enrich::testing::EnrichFixture::get();
  if (!fixture.skip_reason().empty()) GTEST_SKIP() << fixture.skip_reason();
  ASSERT_TRUE(fixture.error().empty()) << fixture.error();
  enrich::EnrichOptions enrichment;
  enrichment = fixture.options();

  int checked = 0;
  for (const auto& detector : make_detectors()) {
    for (const auto& example : list_detector_examples(default_detector_examples_root(), detector->id())) {
      auto outcome = run_detector_example(example, detector->id(), enrichment,
                                          std::filesystem::temp_directory_path().string());
      ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
      EXPECT_TRUE(outcome->passed()) << detector->id() << "/" << outcome->describe();
      ++checked;
    }
  }
  EXPECT_GE(checked, 40);
}

}  // namespace
}  // namespace keyward::detect
