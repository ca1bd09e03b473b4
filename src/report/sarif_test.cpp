#include "report/sarif.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/model.hpp"
#include "report/report_testing.hpp"

namespace keyward::report {
namespace {

using nlohmann::json;

// Required properties of SARIF 2.1.0 (the OASIS standard and its JSON schema). A sarifLog needs
// version and runs, a run needs tool, tool needs driver, and a toolComponent needs name. A
// result needs message, and message needs text or id. A reportingDescriptor (rule) needs id. A
// physicalLocation needs artifactLocation or address, and a region's startLine is at least 1.
void expect_sarif_required(const json& log) {
  ASSERT_EQ(log.value("version", ""), "2.1.0");
  ASSERT_TRUE(log.contains("runs"));
  ASSERT_TRUE(log["runs"].is_array());
  for (const auto& run : log["runs"]) {
    ASSERT_TRUE(run["tool"]["driver"]["name"].is_string());
    for (const auto& rule : run["tool"]["driver"].value("rules", json::array())) {
      ASSERT_TRUE(rule["id"].is_string()) << rule.dump();
      EXPECT_FALSE(rule["id"].get<std::string>().empty()) << rule.dump();
    }
    for (const auto& result : run["results"]) {
      EXPECT_TRUE(result["message"]["text"].is_string()) << result.dump();
      for (const auto& location : result.value("locations", json::array())) {
        const json& physical = location["physicalLocation"];
        EXPECT_TRUE(physical.contains("artifactLocation") || physical.contains("address")) << location.dump();
        if (physical.contains("region") && physical["region"].contains("startLine")) {
          EXPECT_GE(physical["region"]["startLine"].get<long long>(), 1);
        }
      }
    }
  }
}

// What GitHub code scanning reads from an upload, per GitHub's "SARIF support for code scanning".
// Each result has a ruleId matching a rule, message.text, and at least one location with a
// non-empty physicalLocation.artifactLocation.uri and a region.startLine. partialFingerprints
// de-duplicate alerts across runs. A rule's security-severity is a string holding 0.0 to 10.0,
// and level is one of error, warning, note, none.
void expect_github_subset(const json& log) {
  const json& run = log["runs"][0];
  std::set<std::string> rule_ids;
  const json& rules = run["tool"]["driver"]["rules"];
  for (const auto& rule : rules) {
    rule_ids.insert(rule["id"].get<std::string>());
    ASSERT_TRUE(rule["shortDescription"]["text"].is_string()) << rule.dump();
    const json& severity = rule["properties"]["security-severity"];
    ASSERT_TRUE(severity.is_string()) << rule.dump();
    const double value = std::stod(severity.get<std::string>());
    EXPECT_GE(value, 0.0);
    EXPECT_LE(value, 10.0);
  }
  for (const auto& result : run["results"]) {
    const std::string rule_id = result["ruleId"];
    EXPECT_TRUE(rule_ids.count(rule_id)) << rule_id;
    EXPECT_EQ(rules[result["ruleIndex"].get<size_t>()]["id"], rule_id);
    EXPECT_TRUE(std::set<std::string>({"error", "warning", "note", "none"}).count(result["level"].get<std::string>()));
    ASSERT_FALSE(result["locations"].empty()) << result.dump();
    const json& physical = result["locations"][0]["physicalLocation"];
    EXPECT_FALSE(physical["artifactLocation"]["uri"].get<std::string>().empty());
    EXPECT_GE(physical["region"]["startLine"].get<long long>(), 1);
    ASSERT_TRUE(result["partialFingerprints"].is_object());
    EXPECT_FALSE(result["partialFingerprints"].empty());
  }
}

TEST(Sarif, FindingsHaveRequiredProperties) {
  const json log = sarif_log(testing::sample_input(), true, false);
  expect_sarif_required(log);
  expect_github_subset(log);
  EXPECT_EQ(log["runs"][0]["results"].size(), 2u);
}

TEST(Sarif, AlertsHaveRequiredProperties) {
  const json log = sarif_log(testing::sample_input(), false, true);
  expect_sarif_required(log);
  expect_github_subset(log);
  ASSERT_EQ(log["runs"][0]["results"].size(), 1u);
  EXPECT_EQ(log["runs"][0]["results"][0]["ruleId"], "aws.iam.access_key_created_for_other_user");
  EXPECT_EQ(log["runs"][0]["results"][0]["level"], "error");
}

TEST(Sarif, DriverAndRuleMetadata) {
  const json log = sarif_log(testing::sample_input(), true, false);
  const json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "keyward");
  EXPECT_EQ(driver["version"], KEYWARD_VERSION);
  EXPECT_TRUE(driver["informationUri"].is_string());
  const json* unused = nullptr;
  for (const auto& rule : driver["rules"]) {
    if (rule["id"] == "aws.access_key.unused") unused = &rule;
  }
  ASSERT_NE(unused, nullptr);
  EXPECT_EQ((*unused)["shortDescription"]["text"], "Unused access key");
  EXPECT_EQ((*unused)["fullDescription"]["text"], "A key nobody uses is still a way in.");
  EXPECT_EQ((*unused)["properties"]["security-severity"], "8.2");
  const auto& tags = (*unused)["properties"]["tags"];
  EXPECT_NE(std::find(tags.begin(), tags.end(), "owasp-nhi-2025:NHI7"), tags.end()) << tags.dump();
}

TEST(Sarif, ResultCarriesIdScoreContext) {
  const ReportInput input = testing::sample_input();
  const json result = sarif_log(input, true, false)["runs"][0]["results"][0];
  const std::string id = core::finding_id(input.findings[0]);
  EXPECT_EQ(result["partialFingerprints"]["keywardResultId/v1"], id);
  EXPECT_EQ(result["properties"]["score"], 82);
  EXPECT_EQ(result["properties"]["identity"]["id"], "arn:aws:iam::111122223333:user/deploy-bot");
  EXPECT_EQ(result["properties"]["context"]["owner_status"], "deprovisioned");
  EXPECT_EQ(result["level"], "error");
  EXPECT_EQ(result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "aws/arn:aws:iam::111122223333:user/deploy-bot");
}

TEST(Sarif, EvidenceFileAndPseudoPath) {
  const json results = sarif_log(testing::sample_input(), true, false)["runs"][0]["results"];
  const json& with_file = results[0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(with_file["artifactLocation"]["uri"], "exports/credential-report.csv");
  EXPECT_EQ(with_file["region"]["byteOffset"], 412);
  const json& without_file = results[1]["locations"][0]["physicalLocation"];
  EXPECT_EQ(without_file["artifactLocation"]["uri"], "keyward/entra/00000000-0000-0000-0000-0000000000aa");
  EXPECT_EQ(without_file["region"]["startLine"], 1);
  // A muted finding is reported as suppressed, with the reason.
  EXPECT_EQ(results[1]["suppressions"][0]["justification"], "accepted until migration");
}

TEST(Sarif, LineFromReadableEvidenceFile) {
  const auto path = std::filesystem::temp_directory_path() / ("keyward-sarif-line-" + std::to_string(::getpid()) + ".jsonl");
  std::ofstream(path) << "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n";
  ReportInput input = testing::sample_input();
  input.findings.resize(1);
  input.findings[0].evidence[0].source.file = path.string();
  input.findings[0].evidence[0].source.offset = 16;  // start of the third line
  const json physical = sarif_log(input, true, false)["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
  std::filesystem::remove(path);
  EXPECT_EQ(physical["region"]["startLine"], 3);
  EXPECT_EQ(physical["artifactLocation"]["uri"].get<std::string>().rfind("file:///", 0), 0u);
}

TEST(Sarif, SecuritySeverityFromScore) {
  EXPECT_EQ(security_severity(0), "0.0");
  EXPECT_EQ(security_severity(95), "9.5");
  EXPECT_EQ(security_severity(100), "10.0");
  EXPECT_EQ(security_severity(140), "10.0");
}

}  // namespace
}  // namespace keyward::report
