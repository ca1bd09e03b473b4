// Detection quality on a synthetic company. The generator writes a month of every platform's
// exports and logs with attacks injected among ordinary activity. The whole folder goes through
// ingest with detection and the enrichment fixture. Each alert of medium severity or more is
// then matched against the attacks the generator planted (GeneratedCompany::planted, the same
// list keyward-generate writes to <out>-planted.json).
//
// An alert is a true positive when its detector is one of a planted attack's detectors, it names
// the attack's identity (as identity id, identity name or credential id) and its time lies in the
// attack's window widened by kSlackSeconds. Per detector, recall is the share of the attacks
// labelled with it that it reported at least once, and precision the share of its alerts that are
// true positives. Every other alert is a false positive: the generated activity around the attacks
// is ordinary, so an alert there is a detector misfiring on normal behaviour.
//
// The suite fails when overall recall or precision drop below the floors. Set
// KEYWARD_SYNTHETIC_REPORT=FILE to write the per-detector table and the false positives as
// Markdown (docs/detection-quality.md shows the 1,000-employee run).

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "enrich/testdata/enrich_fixture.hpp"
#include "ingest/ingest.hpp"
#include "store/store.hpp"
#include "tests/cli_harness.hpp"
#include "tools/generator/company_generator.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define KEYWARD_SYNTHETIC_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KEYWARD_SYNTHETIC_SANITIZED 1
#endif
#endif

namespace keyward {
namespace {

namespace fs = std::filesystem;

#ifdef KEYWARD_SYNTHETIC_SANITIZED
// Small enough for the sanitizer build to stay near a minute; the attacks still have a baseline.
constexpr int kEmployees = 150;
constexpr int kDays = 14;
#else
constexpr int kEmployees = 1000;
constexpr int kDays = 30;
#endif

// An alert may come a little after the attack's last injected event (a detector that waits for a
// burst to complete) or name the first event of the window.
constexpr core::UnixTime kSlackSeconds = 3600;

// Regression floors, measured with the current detectors and generator and set with some margin.
// Raise them when detection improves.
constexpr double kMinRecall = 0.85;
constexpr double kMinPrecision = 0.30;

struct DetectorScore {
  int planted = 0;    // attacks labelled with the detector
  int detected = 0;   // of those, attacks it reported
  int alerts = 0;     // its alerts of medium severity or more
  int true_positives = 0;
  std::vector<std::string> false_positives;  // a few examples
};

bool names_identity(const core::Alert& alert, const std::string& identity) {
  return alert.identity.id == identity || alert.identity.name == identity || alert.credential_id == identity;
}

bool matches(const core::Alert& alert, const generator::InjectedAttack& attack) {
  if (std::find(attack.detectors.begin(), attack.detectors.end(), alert.detector) == attack.detectors.end()) return false;
  if (!names_identity(alert, attack.identity_arn)) return false;
  return alert.time >= attack.start - kSlackSeconds && alert.time <= attack.end + kSlackSeconds;
}

std::string ratio(int part, int whole) {
  return whole == 0 ? std::string("-") : fmt::format("{:.0f}%", 100.0 * part / whole);
}

std::string markdown_table(const std::map<std::string, DetectorScore>& scores, const DetectorScore& total) {
  std::string text =
      "| detector | planted | detected | recall | alerts | true positives | precision |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const auto& [detector, score] : scores) {
    text += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", detector, score.planted, score.detected,
                        ratio(score.detected, score.planted), score.alerts, score.true_positives,
                        ratio(score.true_positives, score.alerts));
  }
  text += fmt::format("| **all** | {} | {} | **{}** | {} | {} | **{}** |\n", total.planted, total.detected,
                      ratio(total.detected, total.planted), total.alerts, total.true_positives,
                      ratio(total.true_positives, total.alerts));
  return text;
}

std::string false_positive_list(const std::map<std::string, DetectorScore>& scores) {
  std::string text;
  for (const auto& [detector, score] : scores) {
    if (score.false_positives.empty()) continue;
    text += fmt::format("- `{}` ({} of {} alerts):\n", detector, score.alerts - score.true_positives, score.alerts);
    for (const auto& example : score.false_positives) text += fmt::format("  - {}\n", example);
  }
  return text;
}

TEST(SyntheticQuality, GeneratedMonthWithInjectedAttacks) {
  const auto& fixture = enrich::testing::EnrichFixture::get();
  if (!fixture.skip_reason().empty()) GTEST_SKIP() << fixture.skip_reason();
  ASSERT_TRUE(fixture.error().empty()) << fixture.error();
  testing::TempDir temp;
  ASSERT_FALSE(temp.path().empty()) << "cannot create a temporary folder";

  const auto started = std::chrono::steady_clock::now();
  generator::CompanyGeneratorOptions options;
  options.company.employees = kEmployees;
  options.company.days = kDays;
  const fs::path data = temp.path() / "company";
  auto generated = generator::generate_company(data.string(), options);
  ASSERT_TRUE(generated.ok()) << generated.error().describe();
  const auto generated_at = std::chrono::steady_clock::now();

  auto store = store::open_sqlite_store((temp.path() / "store.db").string());
  ASSERT_TRUE(store.ok()) << store.error().describe();
  ingest::IngestOptions ingest_options;
  ingest_options.enrich = fixture.options();
  const ingest::IngestReport report = ingest::ingest_paths(**store, {data.string()}, ingest_options);
  for (const auto& input : report.inputs) {
    EXPECT_FALSE(input.error.has_value()) << input.path << ": " << input.error->describe();
  }
  EXPECT_TRUE(report.record_errors.empty()) << report.record_errors.front().file << ": " << report.record_errors.front().message;
  EXPECT_TRUE(report.geo_enabled) << "the enrichment fixture's geo data was not loaded";
  EXPECT_TRUE(report.asn_enabled) << "the enrichment fixture's ASN data was not loaded";
  const auto ingested_at = std::chrono::steady_clock::now();

  std::vector<generator::InjectedAttack> attacks;
  for (const auto& planted : generated->planted) {
    if (planted.is_attack()) attacks.push_back(planted);
  }
  ASSERT_GE(attacks.size(), 10u) << "the generator planted fewer attacks than expected";

  auto alerts = (*store)->list_alerts();
  ASSERT_TRUE(alerts.ok()) << alerts.error().describe();
  std::map<std::string, DetectorScore> scores;
  for (const auto& attack : attacks) {
    for (const auto& detector : attack.detectors) ++scores[detector].planted;
  }
  std::vector<std::set<std::string>> reported_by(attacks.size());  // detectors that reported each attack
  for (const auto& alert : *alerts) {
    if (alert.severity < core::Severity::medium) continue;
    DetectorScore& score = scores[alert.detector];
    ++score.alerts;
    bool true_positive = false;
    for (size_t i = 0; i < attacks.size(); ++i) {
      if (!matches(alert, attacks[i])) continue;
      true_positive = true;
      reported_by[i].insert(alert.detector);
    }
    if (true_positive) {
      ++score.true_positives;
    } else if (score.false_positives.size() < 3) {
      score.false_positives.push_back(fmt::format("{} on {} at {}: {}", core::to_string(alert.severity),
                                                  alert.identity.id.empty() ? alert.identity.name : alert.identity.id,
                                                  core::format_time(alert.time), alert.title));
    }
  }
  for (size_t i = 0; i < attacks.size(); ++i) {
    for (const auto& detector : reported_by[i]) ++scores[detector].detected;
  }
  DetectorScore total;
  for (const auto& [detector, score] : scores) {
    total.planted += score.planted;
    total.detected += score.detected;
    total.alerts += score.alerts;
    total.true_positives += score.true_positives;
  }

  const auto seconds = [](auto from, auto to) { return std::chrono::duration<double>(to - from).count(); };
  std::string text = fmt::format(
      "{} employees, {} days: {} events, {} non-human identities, {} planted attacks; generated in {:.1f} s, "
      "ingested in {:.1f} s\n\n",
      generated->employees, kDays, generated->events, generated->identities, attacks.size(),
      seconds(started, generated_at), seconds(generated_at, ingested_at));
  text += markdown_table(scores, total);
  text += "\nMissed attacks:\n\n";
  for (size_t i = 0; i < attacks.size(); ++i) {
    for (const auto& detector : attacks[i].detectors) {
      if (reported_by[i].count(detector) == 0) {
        text += fmt::format("- `{}` on {}: {}\n", detector, attacks[i].identity_arn, attacks[i].name);
      }
    }
  }
  text += "\nFalse positives (examples):\n\n" + false_positive_list(scores);
  std::cout << text;
  if (const char* path = std::getenv("KEYWARD_SYNTHETIC_REPORT"); path != nullptr && *path != '\0') {
    std::ofstream(path) << text;
  }

  const double recall = total.planted == 0 ? 0.0 : static_cast<double>(total.detected) / total.planted;
  const double precision = total.alerts == 0 ? 0.0 : static_cast<double>(total.true_positives) / total.alerts;
  EXPECT_GE(recall, kMinRecall);
  EXPECT_GE(precision, kMinPrecision);
}

}  // namespace
}  // namespace keyward
