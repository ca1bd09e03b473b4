#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "posture/check.hpp"
#include "posture/checks/privilege_escalation_test_support.hpp"

namespace keyward::posture {

std::unique_ptr<Check> make_admin_or_wildcard_check();

namespace {

namespace fs = std::filesystem;

const fs::path kExamples = fs::path(KEYWARD_SOURCE_DIR) / "src/posture/checks/testdata/admin_or_wildcard";
const std::string kRealSample =
    std::string(KEYWARD_SHARED_DATA) + "/aws_iam_authz/cloudsplaining_example_authz_details.json";

struct ExportRun {
  std::vector<std::string> expected;  // "expect" of an example
  std::vector<std::string> principals;
  std::map<std::string, core::Finding> findings;  // by principal name
};

ExportRun run_loaded(const sources::aws::testing::LoadedExport& loaded, const std::string& path) {
  ExportRun run;
  EXPECT_TRUE(loaded.errors.empty()) << path << ": " << loaded.errors.front().message;
  for (const auto& identity : loaded.inventory.identities) run.principals.push_back(identity.name);

  std::vector<core::Finding> findings;
  make_admin_or_wildcard_check()->run(loaded.inventory, PostureOptions{}, findings);
  for (auto& finding : findings) {
    std::string name = finding.identity.name;
    EXPECT_FALSE(run.findings.count(name)) << "two findings for " << name;
    run.findings[name] = std::move(finding);
  }
  return run;
}

ExportRun run_example(const fs::path& path) {
  auto example = testing::load_authorization_example(path.string());
  EXPECT_TRUE(example.ok()) << path << ": " << (example.ok() ? "" : example.error().message);
  if (!example.ok()) return {};
  ExportRun run = run_loaded(std::move(example->loaded), path.string());
  run.expected = example->expected;
  return run;
}

bool has_step(const core::Finding& finding, const std::string& text) {
  return std::any_of(finding.remediation_steps.begin(), finding.remediation_steps.end(),
                     [&](const std::string& step) { return step.find(text) != std::string::npos; });
}

std::set<std::string> flagged_names(const ExportRun& run) {
  std::set<std::string> names;
  for (const auto& [name, finding] : run.findings) names.insert(name);
  return names;
}

TEST(AdminOrWildcardExamples, PositiveExamplesHaveNamedSeverity) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kExamples / "positive")) {
    ++files;
    ExportRun run = run_example(entry.path());
    EXPECT_FALSE(run.expected.empty()) << entry.path().filename() << ": a positive example expects findings";
    EXPECT_EQ(flagged_names(run), std::set<std::string>(run.expected.begin(), run.expected.end()))
        << entry.path().filename();
    for (const auto& [name, finding] : run.findings) {
      std::string expected = name.substr(0, name.find('-'));
      EXPECT_EQ(core::to_string(finding.severity), expected) << name << ": " << finding.title;
    }
  }
  EXPECT_GE(files, 1);
}

TEST(AdminOrWildcardExamples, NegativeExamplesAreNotFlagged) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kExamples / "negative")) {
    ++files;
    ExportRun run = run_example(entry.path());
    EXPECT_TRUE(run.expected.empty()) << entry.path().filename();
    EXPECT_FALSE(run.principals.empty()) << entry.path().filename();
    for (const auto& [name, finding] : run.findings) {
      ADD_FAILURE() << entry.path().filename() << ": " << name << " flagged: " << finding.title;
    }
  }
  EXPECT_GE(files, 2);
}

TEST(AdminOrWildcardCheck, DescribesFullAdministrator) {
  ExportRun run = run_example(kExamples / "positive/severities.json");
  const core::Finding& finding = run.findings.at("critical-administrator-access-user");
  EXPECT_EQ(finding.rule, "aws.iam.admin_or_wildcard");
  EXPECT_EQ(finding.owasp, "NHI5");
  EXPECT_EQ(finding.title, "Full administrator: Action \"*\" on Resource \"*\"");
  ASSERT_EQ(finding.evidence.size(), 1u);
  EXPECT_EQ(finding.evidence[0].description,
            "Action \"*\" on Resource \"*\" allowed by arn:aws:iam::aws:policy/AdministratorAccess (via group admins)");
  EXPECT_TRUE(has_step(finding, "aws iam detach-group-policy --group-name admins "
                                "--policy-arn arn:aws:iam::aws:policy/AdministratorAccess"));
  EXPECT_TRUE(has_step(finding, "aws iam put-user-permissions-boundary --user-name critical-administrator-access-user"));
  EXPECT_TRUE(has_step(finding, "aws accessanalyzer start-policy-generation"));
  EXPECT_FALSE(finding.check_first.empty());
}

TEST(AdminOrWildcardCheck, ListsServiceWildcards) {
  ExportRun run = run_example(kExamples / "positive/severities.json");
  const core::Finding& finding = run.findings.at("high-iam-wildcard-role");
  EXPECT_EQ(finding.title, "Wildcard permissions on all resources: iam:*, s3:*");
  EXPECT_EQ(finding.evidence.size(), 2u);
}

TEST(AdminOrWildcardCheck, NamesPartialDeny) {
  ExportRun run = run_example(kExamples / "positive/severities.json");
  const core::Finding& finding = run.findings.at("high-admin-minus-iam-user");
  ASSERT_EQ(finding.evidence.size(), 1u);
  EXPECT_NE(finding.evidence[0].description.find("a Deny in inline:all-but-iam removes part of it"), std::string::npos)
      << finding.evidence[0].description;
}

TEST(AdminOrWildcardRealSample, FlagsAdministratorsNotDeniedOnes) {
  if (!fs::exists(kRealSample)) GTEST_SKIP() << "real sample not found: " << kRealSample;
  auto loaded = sources::aws::testing::load_export_file(kRealSample);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ExportRun run = run_loaded(*loaded, kRealSample);
  for (const char* name : {"placeholder-user-1", "OrganizationAccountAccessRole", "privesc-high-priv-service-role"}) {
    auto finding = run.findings.find(name);
    ASSERT_NE(finding, run.findings.end()) << name << " not flagged";
    EXPECT_EQ(finding->second.severity, core::Severity::critical) << name;
  }
  const core::Finding& both = run.findings.at("placeholder-user-1");
  ASSERT_EQ(both.evidence.size(), 1u);
  EXPECT_EQ(both.evidence[0].description,
            "Action \"*\" on Resource \"*\" allowed by arn:aws:iam::aws:policy/AdministratorAccess and "
            "arn:aws:iam::aws:policy/AdministratorAccess (via group admin)");
  EXPECT_TRUE(has_step(both, "aws iam detach-group-policy --group-name admin"));
  EXPECT_TRUE(has_step(both, "aws iam detach-user-policy --user-name placeholder-user-1"));

  auto sre = run.findings.find("privesc-sre-user");
  ASSERT_NE(sre, run.findings.end()) << "privesc-sre-user not flagged";
  EXPECT_EQ(sre->second.severity, core::Severity::high) << sre->second.title;
  for (const char* name : {"fp1-allow-and-deny-user", "fp2-allow-and-deny-multiple-policies-role", "fp3-deny-iam-user",
                           "fp4-nonExploitableResourceConstraint-role", "fp5-nonExploitableConditionConstraint-user",
                           "AWSServiceRoleForSupport", "AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc"}) {
    EXPECT_FALSE(run.findings.count(name)) << name << " flagged";
  }
}

}  // namespace
}  // namespace keyward::posture
