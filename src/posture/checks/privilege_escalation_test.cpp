#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "posture/check.hpp"
#include "sources/aws/authorization_details_testing.hpp"

namespace keyward::posture {

std::unique_ptr<Check> make_privilege_escalation_check();

namespace {

namespace fs = std::filesystem;

const fs::path kExamples = fs::path(KEYWARD_SOURCE_DIR) / "src/posture/checks/testdata/privilege_escalation";
const std::string kRealSample =
    std::string(KEYWARD_SHARED_DATA) + "/aws_iam_authz/cloudsplaining_example_authz_details.json";

// Runs the check over a parsed export and returns its findings keyed by principal name.
std::map<std::string, core::Finding> run_check(const sources::aws::testing::LoadedExport& loaded) {
  std::vector<core::Finding> findings;
  make_privilege_escalation_check()->run(loaded.inventory, PostureOptions{}, findings);
  std::map<std::string, core::Finding> by_name;
  for (auto& finding : findings) {
    std::string name = finding.identity.name;
    EXPECT_FALSE(by_name.count(name)) << "two findings for " << name;
    by_name[name] = std::move(finding);
  }
  return by_name;
}

struct ExampleRun {
  sources::aws::testing::Example example;
  std::vector<std::string> principals;
  std::map<std::string, core::Finding> findings;
};

ExampleRun run_example(const fs::path& path) {
  ExampleRun run;
  auto example = sources::aws::testing::read_example(path.string());
  EXPECT_TRUE(example.ok()) << (example.ok() ? "" : example.error().message);
  if (!example.ok()) return run;
  run.example = std::move(example).value();
  auto loaded = sources::aws::testing::load_export_text(run.example.export_text, path.string());
  EXPECT_TRUE(loaded.ok()) << path << ": " << (loaded.ok() ? "" : loaded.error().message);
  if (!loaded.ok()) return run;
  EXPECT_TRUE(loaded->errors.empty()) << path << ": " << loaded->errors.front().message;
  for (const auto& identity : loaded->inventory.identities) run.principals.push_back(identity.name);
  run.findings = run_check(*loaded);
  return run;
}

std::map<std::string, core::Finding> run_on_file(const std::string& path) {
  auto loaded = sources::aws::testing::load_export_file(path);
  EXPECT_TRUE(loaded.ok()) << path << ": " << (loaded.ok() ? "" : loaded.error().message);
  if (!loaded.ok()) return {};
  EXPECT_TRUE(loaded->errors.empty()) << path << ": " << loaded->errors.front().message;
  return run_check(*loaded);
}

bool names_set(const core::Finding& finding, int number) {
  std::string prefix = "privesc" + std::to_string(number) + " ";
  for (const auto& evidence : finding.evidence) {
    if (evidence.description.starts_with(prefix)) return true;
  }
  return false;
}

std::set<std::string> flagged_names(const std::map<std::string, core::Finding>& findings) {
  std::set<std::string> names;
  for (const auto& [name, finding] : findings) names.insert(name);
  return names;
}

TEST(PrivilegeEscalationExamples, PositiveExamplesMatchExpect) {
  std::regex numbered("^privesc([0-9]+)-");
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kExamples / "positive")) {
    ++files;
    ExampleRun run = run_example(entry.path());
    std::set<std::string> expected(run.example.expected_identities.begin(), run.example.expected_identities.end());
    EXPECT_FALSE(expected.empty()) << entry.path().filename() << ": a positive example expects findings";
    EXPECT_EQ(flagged_names(run.findings), expected) << entry.path().filename();
    for (const auto& [name, finding] : run.findings) {
      std::smatch match;
      if (std::regex_search(name, match, numbered)) {
        EXPECT_TRUE(names_set(finding, std::stoi(match[1]))) << name << ": " << finding.title;
      }
    }
  }
  EXPECT_GE(files, 2);
}

TEST(PrivilegeEscalationExamples, NegativeExamplesAreNotFlagged) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kExamples / "negative")) {
    ++files;
    ExampleRun run = run_example(entry.path());
    EXPECT_TRUE(run.example.expected_identities.empty()) << entry.path().filename();
    EXPECT_FALSE(run.principals.empty()) << entry.path().filename();
    for (const auto& [name, finding] : run.findings) {
      ADD_FAILURE() << entry.path().filename() << ": " << name << " flagged: " << finding.title;
    }
  }
  EXPECT_GE(files, 3);
}

TEST(PrivilegeEscalationCheck, DescribesSingleSet) {
  auto findings = run_example(kExamples / "positive/all-sets.json").findings;
  const core::Finding& finding = findings.at("privesc4-CreateAccessKey-role");
  EXPECT_EQ(finding.rule, "aws.iam.privilege_escalation");
  EXPECT_EQ(finding.owasp, "NHI5");
  EXPECT_EQ(finding.title, "Can escalate its privileges: privesc4 CreateAccessKey");
  EXPECT_EQ(finding.severity, core::Severity::critical) << "CreateAccessKey changes IAM directly";
  ASSERT_EQ(finding.evidence.size(), 1u);
  EXPECT_TRUE(finding.evidence[0].description.starts_with(
      "privesc4 CreateAccessKey: iam:CreateAccessKey allowed by arn:aws:iam::111122223333:policy/privesc4-CreateAccessKey"))
      << finding.evidence[0].description;
  EXPECT_NE(finding.remediation.find("aws iam detach-role-policy --role-name privesc4-CreateAccessKey-role "
                                     "--policy-arn arn:aws:iam::111122223333:policy/privesc4-CreateAccessKey"),
            std::string::npos)
      << finding.remediation;
  EXPECT_NE(finding.remediation.find("put-role-permissions-boundary"), std::string::npos);
}

TEST(PrivilegeEscalationCheck, PassRoleSetsAreHigh) {
  auto findings = run_example(kExamples / "positive/all-sets.json").findings;
  const core::Finding& finding = findings.at("privesc3-CreateEC2WithExistingInstanceProfile-user");
  EXPECT_EQ(finding.severity, core::Severity::high);
  EXPECT_NE(finding.evidence[0].description.find("iam:PassRole allowed by inline:privesc3; ec2:RunInstances allowed by inline:privesc3"),
            std::string::npos)
      << finding.evidence[0].description;
  EXPECT_NE(finding.remediation.find("aws iam delete-user-policy --user-name "
                                     "privesc3-CreateEC2WithExistingInstanceProfile-user --policy-name privesc3"),
            std::string::npos)
      << finding.remediation;
}

TEST(PrivilegeEscalationCheck, ListsAllSetsInOneFinding) {
  auto findings = run_example(kExamples / "positive/inherited-and-negated.json").findings;
  const core::Finding& finding = findings.at("privesc10-not-action-role");
  EXPECT_GT(finding.evidence.size(), 10u);
  EXPECT_TRUE(finding.title.starts_with("Can escalate its privileges through ")) << finding.title;
  EXPECT_FALSE(names_set(finding, 1)) << "iam:Create* is excluded by NotAction";
  EXPECT_TRUE(names_set(finding, 12));
}

TEST(PrivilegeEscalationCheck, NamesGroupInEvidenceAndRemediation) {
  auto findings = run_example(kExamples / "positive/inherited-and-negated.json").findings;
  const core::Finding& finding = findings.at("privesc7-through-group-user");
  EXPECT_NE(finding.evidence[0].description.find("(via group policy-admins)"), std::string::npos)
      << finding.evidence[0].description;
  EXPECT_NE(finding.remediation.find("aws iam remove-user-from-group --group-name policy-admins "
                                     "--user-name privesc7-through-group-user"),
            std::string::npos)
      << finding.remediation;
}

TEST(PrivilegeEscalationCheck, MentionsUnevaluatedBoundary) {
  Inventory inventory;
  core::Identity identity;
  identity.platform = "aws";
  identity.id = "arn:aws:iam::111122223333:role/bounded";
  identity.kind = "iam_role";
  identity.name = "bounded";
  identity.attributes["permissions_boundary"] = "arn:aws:iam::111122223333:policy/boundary";
  inventory.identities.push_back(identity);
  core::Grant grant;
  grant.platform = "aws";
  grant.identity_id = identity.id;
  grant.actions = {"iam:PutRolePolicy"};
  grant.resources = {"*"};
  grant.source_policy = "inline:self-edit";
  grant.via = "role";
  inventory.grants[identity.id].push_back(grant);

  std::vector<core::Finding> findings;
  make_privilege_escalation_check()->run(inventory, PostureOptions{}, findings);
  ASSERT_EQ(findings.size(), 1u);
  ASSERT_EQ(findings[0].evidence.size(), 2u);
  EXPECT_NE(findings[0].evidence[1].description.find("arn:aws:iam::111122223333:policy/boundary"), std::string::npos)
      << findings[0].evidence[1].description;
}

// Library-level run over the real iam-vulnerable export: source and check without the store.
TEST(PrivilegeEscalationRealSample, FlagsEveryScenarioPrincipal) {
  if (!fs::exists(kRealSample)) GTEST_SKIP() << "real sample not found: " << kRealSample;
  auto loaded = sources::aws::testing::load_export_file(kRealSample);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  std::map<std::string, core::Finding> findings = run_check(*loaded);

  std::regex scenario("^privesc([0-9]+)-.*-(user|role)$");
  int checked = 0;
  for (const auto& identity : loaded->inventory.identities) {
    std::smatch match;
    if (!std::regex_match(identity.name, match, scenario)) continue;
    ++checked;
    auto finding = findings.find(identity.name);
    ASSERT_NE(finding, findings.end()) << identity.name << " not flagged";
    EXPECT_TRUE(names_set(finding->second, std::stoi(match[1]))) << identity.name << ": " << finding->second.title;
  }
  EXPECT_EQ(checked, 42);
}

TEST(PrivilegeEscalationRealSample, SkipsDeniedScenarios) {
  if (!fs::exists(kRealSample)) GTEST_SKIP() << "real sample not found: " << kRealSample;
  std::map<std::string, core::Finding> findings = run_on_file(kRealSample);
  for (const char* name : {"fp1-allow-and-deny-user", "fp1-allow-and-deny-role",
                           "fp2-allow-and-deny-multiple-policies-user", "fp2-allow-and-deny-multiple-policies-role",
                           "fp3-deny-iam-user", "fp3-deny-iam-role"}) {
    EXPECT_FALSE(findings.count(name)) << name << " flagged: " << findings[name].title;
  }
}

}  // namespace
}  // namespace keyward::posture
