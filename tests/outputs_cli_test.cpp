// End-to-end tests of the outputs of `keyward findings` and `keyward alerts`: several -o files in
// one run, invalid output arguments, and the --fail-on exit status.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "inventory/inventory_testing.hpp"
#include "tests/cli_harness.hpp"

namespace keyward::testing {
namespace {

using nlohmann::json;

constexpr int kGateFailed = 3;

// A folder with keyward.db holding the sample company (which has high-severity findings) and one
// critical and one low alert.
class OutputsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::open_sqlite_store((dir_ / "keyward.db").string());
    ASSERT_TRUE(opened.ok());
    ASSERT_TRUE((*opened)->commit(inventory::testing::sample_batch()).ok());
    store::Batch alerts;
    alerts.alerts.push_back(make_alert("aws.iam.access_key_created_for_other_user", core::Severity::critical, "k1"));
    alerts.alerts.push_back(make_alert("aws.identity.new_user_agent_family", core::Severity::low, "k2"));
    ASSERT_TRUE((*opened)->commit(alerts).ok());
  }

  static core::Alert make_alert(const std::string& detector, core::Severity severity, const std::string& key) {
    core::Alert alert;
    alert.detector = detector;
    alert.title = "<b>" + detector + "</b>";
    alert.severity = severity;
    alert.score = severity == core::Severity::critical ? 95 : 20;
    alert.identity = {"aws", "arn:aws:iam::111122223333:user/root-like", "root-like"};
    alert.time = 1793100000;
    alert.evidence.push_back({"CreateAccessKey", {"trail.json", 10, "evt-1"}, 1793100000});
    alert.remediation = "Deactivate the key.";
    alert.dedupe_key = key;
    return alert;
  }

  CommandResult run(const std::string& args) { return run_keyward(dir_.path(), args); }

  TempDir dir_;
};

TEST_F(OutputsCli, SeveralFilesInOneRun) {
  const CommandResult result = run("findings -o sarif=out.sarif -o html=report.html --output ocsf=events.jsonl -o json=f.json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("SCORE"), std::string::npos) << "the table still prints on stdout:\n" << result.out;
  const json sarif = json::parse(read_file(dir_ / "out.sarif"), nullptr, false);
  ASSERT_FALSE(sarif.is_discarded());
  EXPECT_EQ(sarif["version"], "2.1.0");
  const json findings = json::parse(read_file(dir_ / "f.json"), nullptr, false);
  ASSERT_TRUE(findings.is_array());
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(sarif["runs"][0]["results"].size(), findings.size());
  EXPECT_EQ(read_file(dir_ / "report.html").rfind("<!DOCTYPE html>", 0), 0u);
  const std::string events = read_file(dir_ / "events.jsonl");
  EXPECT_EQ(static_cast<size_t>(std::count(events.begin(), events.end(), '\n')), findings.size());
}

TEST_F(OutputsCli, FormatReplacesTableOnStdout) {
  const CommandResult result = run("alerts --format sarif -o csv=alerts.csv");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json sarif = json::parse(result.out, nullptr, false);
  ASSERT_FALSE(sarif.is_discarded()) << result.out.substr(0, 300);
  EXPECT_EQ(sarif["runs"][0]["results"].size(), 2u);
  EXPECT_NE(read_file(dir_ / "alerts.csv").find("aws.iam.access_key_created_for_other_user"), std::string::npos);
}

TEST_F(OutputsCli, InvalidOutputFormatNamed) {
  const CommandResult result = run("findings -o xml=out.xml");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("'xml'"), std::string::npos) << result.err;
  const CommandResult missing = run("findings -o out.sarif");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("FORMAT=FILE"), std::string::npos) << missing.err;
  EXPECT_EQ(run("alerts --format yaml").exit_code, 2);
}

TEST_F(OutputsCli, UnwritableFileNamed) {
  const CommandResult result = run("findings -o json=f.json -o sarif=no-such-dir/out.sarif");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("no-such-dir/out.sarif"), std::string::npos) << result.err;
  EXPECT_TRUE(result.out.empty()) << "nothing is printed when an output cannot be opened";
}

TEST_F(OutputsCli, FailedRunKeepsEarlierFiles) {
  {
    std::ofstream previous(dir_ / "keep.sarif");
    previous << "last good report";
  }
  const CommandResult result = run("findings -o sarif=keep.sarif -o json=new.json -o html=no-such-dir/r.html");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(read_file(dir_ / "keep.sarif"), "last good report");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "new.json"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "keep.sarif.keyward-tmp"));
}

TEST_F(OutputsCli, FailOnFindings) {
  const json findings = json::parse(run("findings --format json").out, nullptr, false);
  ASSERT_TRUE(findings.is_array());
  bool any_high = false;
  for (const auto& finding : findings) any_high |= finding["severity"] == "high" || finding["severity"] == "critical";
  ASSERT_TRUE(any_high) << "the sample company should have a high finding: " << findings.dump(1);

  const CommandResult gated = run("findings --format json --fail-on high");
  EXPECT_EQ(gated.exit_code, kGateFailed) << gated.err;
  EXPECT_NE(gated.err.find("--fail-on"), std::string::npos);
  EXPECT_FALSE(json::parse(gated.out, nullptr, false).is_discarded()) << "the output is still written";
  // Findings hidden by --min-severity are not listed, so they do not gate.
  EXPECT_EQ(run("findings --fail-on high --min-severity critical").exit_code,
            findings.end() != std::find_if(findings.begin(), findings.end(),
                                           [](const json& f) { return f["severity"] == "critical"; })
                ? kGateFailed
                : 0);
  EXPECT_EQ(run("findings --fail-on severe").exit_code, 2);
}

TEST_F(OutputsCli, FailOnAlerts) {
  EXPECT_EQ(run("alerts --fail-on critical").exit_code, kGateFailed);
  EXPECT_EQ(run("alerts --fail-on low").exit_code, kGateFailed);
  EXPECT_EQ(run("alerts --fail-on critical --min-severity info --as-of 2020-01-01").exit_code, 0);
  EXPECT_EQ(run("alerts").exit_code, 0);
}

TEST_F(OutputsCli, HelpDocumentsExitStatus) {
  for (const char* command : {"findings --help", "alerts --help"}) {
    const CommandResult help = run(command);
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("Exit status"), std::string::npos) << command;
    EXPECT_NE(help.out.find("--fail-on"), std::string::npos) << command;
    EXPECT_NE(help.out.find("FORMAT=FILE"), std::string::npos) << command;
  }
}

}  // namespace
}  // namespace keyward::testing
