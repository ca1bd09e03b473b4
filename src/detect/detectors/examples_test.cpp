// Runs the examples of the stateless AWS detectors through the real ingest pipeline (CloudTrail
// source, detection engine, SQLite store). Examples live in testdata/<detector id>/: each
// positive_*.json must raise that detector once and each negative_*.json must not. The stateful
// detectors' examples need enrichment fixtures and run in stateful_detectors_test.cpp.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "detect/detector.hpp"
#include "ingest/ingest.hpp"
#include "store/store.hpp"

namespace keyward::detect {
namespace {

const std::filesystem::path kExamples = std::filesystem::path(KEYWARD_SOURCE_DIR) / "src/detect/detectors/testdata";

const std::set<std::string> kStatelessDetectors = {
    "aws.iam.credential_created_for_other_principal", "aws.iam.write_by_machine",
    "aws.secrets.read_burst",                         "aws.discovery.enumeration_burst",
    "aws.api.access_denied_burst",                    "aws.cloudtrail.logging_tampered"};

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "keyward-examples-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Ingests one example into a fresh store and returns the detector ids of the stored alerts.
std::multiset<std::string> alerts_for(const std::filesystem::path& example) {
  TempDir temp;
  auto store = store::open_sqlite_store((temp.path() / "store.db").string());
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().describe());
  if (!store.ok()) return {};

  ingest::IngestReport report = ingest::ingest_paths(**store, {example.string()}, ingest::IngestOptions{});
  EXPECT_TRUE(report.all_inputs_ok()) << example;
  EXPECT_TRUE(report.record_errors.empty()) << example << ": "
                                            << (report.record_errors.empty() ? "" : report.record_errors[0].message);
  EXPECT_EQ(report.inputs.size(), 1u);
  if (!report.inputs.empty()) {
    EXPECT_EQ(report.inputs[0].source, "aws-cloudtrail") << example;
  }

  auto alerts = (*store)->list_alerts();
  EXPECT_TRUE(alerts.ok());
  std::multiset<std::string> detectors;
  if (alerts.ok()) {
    for (const auto& alert : *alerts) detectors.insert(alert.detector);
  }
  return detectors;
}

std::set<std::string> registered_detector_ids() {
  std::set<std::string> ids;
  for (const auto& detector : make_detectors()) ids.insert(std::string(detector->id()));
  return ids;
}

TEST(DetectorExamples, EveryExampleDirectoryNamesADetector) {
  const std::set<std::string> ids = registered_detector_ids();
  int directories = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
    if (!entry.is_directory()) continue;
    EXPECT_TRUE(ids.count(entry.path().filename().string())) << entry.path() << " is not a registered detector id";
    ++directories;
  }
  EXPECT_GE(directories, 6);
}

TEST(DetectorExamples, EachDetectorHasPositiveAndNegativeExamples) {
  for (const auto& detector : kStatelessDetectors) {
    int positive = 0;
    int negative = 0;
    std::error_code missing;
    for (const auto& example : std::filesystem::directory_iterator(kExamples / detector, missing)) {
      const std::string name = example.path().filename().string();
      positive += name.starts_with("positive_");
      negative += name.starts_with("negative_");
    }
    EXPECT_FALSE(missing) << detector << " has no example directory";
    EXPECT_GE(positive, 1) << detector;
    EXPECT_GE(negative, 1) << detector;
  }
}

TEST(DetectorExamples, PositivesRaiseAndNegativesDoNot) {
  int checked = 0;
  for (const auto& detector : kStatelessDetectors) {
    std::error_code missing;
    for (const auto& example : std::filesystem::directory_iterator(kExamples / detector, missing)) {
      const std::string name = example.path().filename().string();
      if (example.path().extension() != ".json") continue;
      const std::multiset<std::string> raised = alerts_for(example.path());
      if (name.starts_with("positive_")) {
        EXPECT_EQ(raised.count(detector), 1u) << detector << "/" << name << " should raise exactly one alert";
      } else if (name.starts_with("negative_")) {
        EXPECT_EQ(raised.count(detector), 0u) << detector << "/" << name << " should not raise";
      } else {
        ADD_FAILURE() << detector << "/" << name << " is neither positive_ nor negative_";
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 12);
}

}  // namespace
}  // namespace keyward::detect
