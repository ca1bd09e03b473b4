// Detection quality on labelled real samples: the attack logs Stratus Red Team captured and the
// test events of Panther's NHI rules, public data kept outside the repository. Each file is
// ingested alone into a fresh store with the enrichment fixture; posture then runs as of the
// file's last event. A file is "hit" when it produced an alert or a posture finding of medium
// severity or more. Stratus user agents name the tool and are replaced by an ordinary SDK one.
//
// The suite fails when the overall detection rate drops below kMinDetectionRate or the overall
// false-alarm rate rises above kMaxFalseAlarmRate. Set KEYWARD_QUALITY_REPORT=FILE to
// write the per-source table and every file's outcome as Markdown (docs/detection-quality.md is
// made from it).

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "enrich/testdata/enrich_fixture.hpp"
#include "ingest/ingest.hpp"
#include "posture/engine.hpp"
#include "store/store.hpp"

namespace keyward {
namespace {

namespace fs = std::filesystem;

const fs::path kRealData = fs::path(KEYWARD_SHARED_DATA);
constexpr std::string_view kOrdinaryUserAgent =
    "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/iam#1.34.3";

// Regression floors, raised as detections improve. Rates are fractions of the labelled files.
constexpr double kMinDetectionRate = 0.79;
constexpr double kMaxFalseAlarmRate = 0.06;

struct Sample {
  std::string source;  // folder under the real data: "okta/panther", "aws_cloudtrail/stratus"
  fs::path file;
  bool should_alert = false;
  bool assumes_prior_state = false;  // the label holds only with state Panther mocked
  std::string what;
};

struct Outcome {
  Sample sample;
  bool hit = false;
  std::vector<std::string> raised;  // "detector (severity)" and "finding rule (severity)"
  std::string error;
};

std::vector<Sample> list_samples() {
  std::vector<Sample> samples;
  std::error_code error;
  for (const auto& folder : fs::directory_iterator(kRealData, error)) {
    if (!folder.is_directory()) continue;
    const std::string platform = folder.path().filename().string();
    // A resource snapshot format, not an event source.
    if (platform == "aws_iam_resources") continue;
    for (const std::string kind : {"panther", "stratus"}) {
      for (const auto& entry : fs::directory_iterator(folder.path() / kind, error)) {
        const std::string name = entry.path().filename().string();
        if (!name.ends_with(".json") || name.ends_with(".expect.json")) continue;
        fs::path expect_path = entry.path();
        expect_path.replace_extension(".expect.json");
        std::ifstream in(expect_path);
        nlohmann::json expect = nlohmann::json::parse(in, nullptr, false);
        if (!expect.is_object()) continue;
        Sample sample;
        sample.source = platform + "/" + kind;
        sample.file = entry.path();
        sample.should_alert = expect.value("should_alert", false);
        sample.assumes_prior_state = expect.contains("assumed_context_mocks");
        sample.what = expect.value("what", "");
        samples.push_back(std::move(sample));
      }
    }
  }
  std::sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) { return a.file < b.file; });
  return samples;
}

// Copies the sample into `directory`, replacing the attack tool's user agents.
fs::path prepare(const Sample& sample, const fs::path& directory) {
  std::ifstream in(sample.file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  for (size_t at = text.find("\"stratus-red-team_"); at != std::string::npos; at = text.find("\"stratus-red-team_", at)) {
    const size_t end = text.find('"', at + 1);
    if (end == std::string::npos) break;
    text.replace(at + 1, end - at - 1, kOrdinaryUserAgent);
    at += kOrdinaryUserAgent.size();
  }
  const fs::path copy = directory / sample.file.filename();
  std::ofstream(copy) << text;
  return copy;
}

Outcome evaluate(const Sample& sample, const enrich::EnrichOptions& enrichment) {
  Outcome outcome;
  outcome.sample = sample;
  std::string pattern = (fs::temp_directory_path() / "keyward-quality-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    outcome.error = "cannot create a temporary folder";
    return outcome;
  }
  const fs::path directory = pattern;
  auto store = store::open_sqlite_store((directory / "store.db").string());
  if (!store) {
    outcome.error = store.error().describe();
    return outcome;
  }
  ingest::IngestOptions options;
  options.enrich = enrichment;
  const ingest::IngestReport report = ingest::ingest_paths(**store, {prepare(sample, directory).string()}, options);
  for (const auto& input : report.inputs) {
    if (!input.error) continue;
    // The copy's temporary folder would make the report differ between runs.
    outcome.error = input.error->describe();
    for (size_t at = outcome.error.find(directory.string() + "/"); at != std::string::npos;
         at = outcome.error.find(directory.string() + "/")) {
      outcome.error.erase(at, directory.string().size() + 1);
    }
  }

  if (auto alerts = (*store)->list_alerts()) {
    for (const auto& alert : *alerts) {
      outcome.raised.push_back(fmt::format("{} ({})", alert.detector, core::to_string(alert.severity)));
      outcome.hit = outcome.hit || alert.severity >= core::Severity::medium;
    }
  }
  core::UnixTime latest = 0;
  if (auto activity = (*store)->list_activity("")) {
    for (const auto& row : *activity) latest = std::max(latest, row.last_seen);
  }
  posture::PostureOptions posture_options;
  if (latest > 0) posture_options.as_of = latest;
  if (auto run = posture::run_posture(**store, posture_options)) {
    for (const auto& finding : run->findings) {
      outcome.raised.push_back(fmt::format("finding {} ({})", finding.rule, core::to_string(finding.severity)));
      outcome.hit = outcome.hit || finding.severity >= core::Severity::medium;
    }
  }
  std::error_code ignored;
  fs::remove_all(directory, ignored);
  return outcome;
}

struct Rates {
  int positives = 0, detected = 0, negatives = 0, false_alarms = 0;
  double detection() const { return positives == 0 ? 1.0 : static_cast<double>(detected) / positives; }
  double false_alarm() const { return negatives == 0 ? 0.0 : static_cast<double>(false_alarms) / negatives; }
  void add(const Outcome& outcome) {
    if (outcome.sample.should_alert) {
      ++positives;
      detected += outcome.hit;
    } else {
      ++negatives;
      false_alarms += outcome.hit;
    }
  }
};

std::string percent(double rate) { return fmt::format("{:.0f}%", rate * 100); }

std::string markdown_report(const std::map<std::string, Rates>& by_source, const Rates& total,
                            const std::vector<Outcome>& outcomes) {
  std::string text = "| source | should alert | detected | detection rate | should not alert | false alarms | false-alarm rate |\n"
                     "|---|---|---|---|---|---|---|\n";
  for (const auto& [source, rates] : by_source) {
    text += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", source, rates.positives, rates.detected,
                        percent(rates.detection()), rates.negatives, rates.false_alarms, percent(rates.false_alarm()));
  }
  text += fmt::format("| **all** | {} | {} | **{}** | {} | {} | **{}** |\n\n", total.positives, total.detected,
                      percent(total.detection()), total.negatives, total.false_alarms, percent(total.false_alarm()));
  text += "| file | expected | outcome | raised |\n|---|---|---|---|\n";
  for (const auto& outcome : outcomes) {
    const bool correct = outcome.hit == outcome.sample.should_alert;
    std::string raised;
    for (const auto& item : outcome.raised) raised += (raised.empty() ? "" : ", ") + item;
    if (!outcome.error.empty()) raised += " error: " + outcome.error;
    text += fmt::format("| {}/{} | {}{} | {} | {} |\n", outcome.sample.source, outcome.sample.file.filename().string(),
                        outcome.sample.should_alert ? "alert" : "no alert",
                        outcome.sample.assumes_prior_state ? " (prior state)" : "",
                        correct ? "correct" : (outcome.hit ? "false alarm" : "missed"), raised.empty() ? "-" : raised);
  }
  return text;
}

TEST(DetectionQuality, LabelledRealSamples) {
  if (!fs::is_directory(kRealData)) {
    GTEST_SKIP() << "labelled samples not found at " << kRealData << "; they ship with the shared test data";
  }
  const auto& fixture = enrich::testing::EnrichFixture::get();
  if (!fixture.skip_reason().empty()) GTEST_SKIP() << fixture.skip_reason();
  ASSERT_TRUE(fixture.error().empty()) << fixture.error();
  enrich::EnrichOptions enrichment;
  enrichment = fixture.options();

  const std::vector<Sample> samples = list_samples();
  ASSERT_GE(samples.size(), 150u);
  std::vector<Outcome> outcomes;
  std::map<std::string, Rates> by_source;
  Rates total;
  for (const auto& sample : samples) {
    // A file no source recognizes (a log type keyward does not read yet) counts as a miss or a
    // correct silence, and the table shows the error.
    Outcome outcome = evaluate(sample, enrichment);
    by_source[sample.source].add(outcome);
    total.add(outcome);
    outcomes.push_back(std::move(outcome));
  }

  const std::string report = markdown_report(by_source, total, outcomes);
  std::cout << report;
  if (const char* path = std::getenv("KEYWARD_QUALITY_REPORT"); path != nullptr && *path != '\0') {
    std::ofstream(path) << report;
  }
  EXPECT_GE(total.detection(), kMinDetectionRate);
  EXPECT_LE(total.false_alarm(), kMaxFalseAlarmRate);
}

}  // namespace
}  // namespace keyward
