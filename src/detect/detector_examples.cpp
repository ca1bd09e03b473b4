#include "detect/detector_examples.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "ingest/ingest.hpp"
#include "store/store.hpp"

namespace keyward::detect {
namespace {

namespace fs = std::filesystem;

// A temporary folder removed when it goes out of scope.
class ScratchDirectory {
 public:
  explicit ScratchDirectory(const std::string& parent) {
    std::string pattern = (fs::path(parent) / "keyward-detector-example-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The input files of an example in the order they are ingested.
std::vector<std::string> example_inputs(const std::string& path) {
  std::vector<std::string> inputs;
  std::error_code error;
  if (!fs::is_directory(path, error)) return {path};
  for (const auto& entry : fs::directory_iterator(path, error)) {
    if (entry.is_regular_file()) inputs.push_back(entry.path().string());
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

}  // namespace

std::string DetectorExampleOutcome::describe() const {
  std::string text = fmt::format("{}: expected {}, raised {}", fs::path(example.path).filename().string(),
                                 example.positive ? "one alert" : "no alert", alerts.size());
  for (const auto& alert : alerts) {
    text += fmt::format("\n    {} on {}", alert.title, alert.identity.id);
    if (!alert.evidence.empty()) text += fmt::format(": {}", alert.evidence.front().description);
  }
  return text;
}

std::vector<DetectorExample> list_detector_examples(const std::string& root, std::string_view detector_id) {
  std::vector<DetectorExample> examples;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(fs::path(root) / detector_id, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("positive_")) examples.push_back({entry.path().string(), true});
    if (name.starts_with("negative_")) examples.push_back({entry.path().string(), false});
  }
  std::sort(examples.begin(), examples.end(),
            [](const DetectorExample& left, const DetectorExample& right) { return left.path < right.path; });
  return examples;
}

core::Result<DetectorExampleOutcome> run_detector_example(const DetectorExample& example, std::string_view detector_id,
                                                          const enrich::EnrichOptions& enrichment,
                                                          const std::string& work_directory) {
  ScratchDirectory scratch(work_directory);
  if (scratch.path().empty()) {
    return core::Error{core::ErrorCode::io_error, fmt::format("cannot create a temporary folder in {}", work_directory),
                       work_directory};
  }
  auto store = store::open_sqlite_store((fs::path(scratch.path()) / "store.db").string());
  if (!store) return store.error();

  ingest::IngestOptions options;
  options.enrich = enrichment;
  const ingest::IngestReport report = ingest::ingest_paths(**store, example_inputs(example.path), options);
  for (const auto& input : report.inputs) {
    if (input.error) return core::Error{input.error->code, input.error->describe(), example.path};
  }
  if (!report.record_errors.empty()) {
    return core::Error{core::ErrorCode::invalid_input,
                       fmt::format("a record was rejected: {}", report.record_errors.front().message), example.path};
  }

  auto alerts = (*store)->list_alerts();
  if (!alerts) return alerts.error();
  DetectorExampleOutcome outcome;
  outcome.example = example;
  for (auto& alert : *alerts) {
    if (alert.detector == detector_id) {
      outcome.alerts.push_back(std::move(alert));
    } else {
      ++outcome.other_alerts;
    }
  }
  return outcome;
}

std::string default_detector_examples_root() {
  return (fs::path(KEYWARD_SOURCE_DIR) / "src/detect/detectors/testdata").string();
}

}  // namespace keyward::detect
