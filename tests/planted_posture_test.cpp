// End-to-end check of the generator's answer key for posture: a small company on every platform
// goes through the real ingest path into a SQLite store, the posture engine runs, and every
// planted posture problem must be reported by the check it names, on the identity it names.
// Problems that no check reports carry an empty check id and the reason instead; a label that is
// not a registered posture check fails, so a renamed or invented check id cannot go unnoticed.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "tests/cli_harness.hpp"
#include "ingest/ingest.hpp"
#include "posture/check.hpp"
#include "posture/engine.hpp"
#include "store/store.hpp"
#include "tools/generator/company_generator.hpp"

namespace keyward {
namespace {

namespace fs = std::filesystem;

TEST(GeneratedPosture, LabelsMatchFindings) {
  testing::TempDir temp;
  const fs::path data = temp.path() / "data";
  generator::CompanyGeneratorOptions options;
  options.company.employees = 60;
  options.company.days = 10;
  auto generated = generator::generate_company(data.string(), options);
  ASSERT_TRUE(generated.ok()) << generated.error().describe();

  auto store = store::open_sqlite_store((temp.path() / "company.db").string());
  ASSERT_TRUE(store.ok()) << store.error().describe();
  const ingest::IngestReport report = ingest::ingest_paths(**store, {data.string()}, ingest::IngestOptions{});
  for (const auto& input : report.inputs) {
    ASSERT_FALSE(input.error.has_value()) << input.path << ": " << input.error->describe();
  }
  auto run = posture::run_posture(**store, {});
  ASSERT_TRUE(run.ok()) << run.error().describe();

  std::set<std::string> check_ids;
  for (const auto& check : posture::make_checks()) check_ids.insert(std::string(check->id()));
  // Findings name the identity by the id the generator's label uses (an IAM ARN, a service
  // account email, a token, app or client id, a Snowflake user name).
  std::set<std::pair<std::string, std::string>> reported;
  for (const auto& finding : run->findings) reported.insert({finding.rule, finding.identity.id});

  std::set<std::string> platforms_with_labels;
  int labelled = 0;
  for (const auto& planted : generated->planted) {
    if (planted.is_attack()) continue;
    const std::string& check = planted.expected_detector_or_check;
    if (check.empty()) {
      EXPECT_FALSE(planted.not_reported.empty())
          << planted.platform << " " << planted.identity_arn << " (" << planted.name
          << "): a posture problem without a check must say why no check reports it";
      continue;
    }
    EXPECT_TRUE(planted.not_reported.empty()) << check << " on " << planted.identity_arn << " is also marked not reported";
    ++labelled;
    platforms_with_labels.insert(planted.platform);
    EXPECT_TRUE(check_ids.count(check)) << planted.platform << " label " << check << " (" << planted.name
                                        << ") is not a posture check; see `keyward rules list`";
    EXPECT_TRUE(reported.count({check, planted.identity_arn}))
        << check << " did not report " << planted.identity_arn << " (" << planted.platform << ": " << planted.name << ")";
  }
  // The platforms that plant posture problems with a reporting check, so that a generator which
  // stops labelling them is noticed too.
  EXPECT_EQ(platforms_with_labels, (std::set<std::string>{"aws", "gcp", "okta", "snowflake", "workspace"}));
  EXPECT_GE(labelled, 20);
}

}  // namespace
}  // namespace keyward
