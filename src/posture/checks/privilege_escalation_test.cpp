#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "posture/check.hpp"
#include "posture/checks/privilege_escalation_test_support.hpp"

namespace keyward::posture {

std::unique_ptr<Check> make_privilege_escalation_check();
std::unique_ptr<Check> make_admin_or_wildcard_check();

namespace {

namespace fs = std::filesystem;

const fs::path kExamples = fs::path(KEYWARD_SOURCE_DIR) / "src/posture/checks/testdata/privilege_escalation";
const std::string kRealSample =
    std::string(KEYWARD_SHARED_DATA) + "/aws_iam_authz/cloudsplaining_example_authz_details.json";

using Findings = std::map<std::string, core::Finding>;  // by principal name

Findings run_rule(std::unique_ptr<Check> check, const Inventory& inventory) {
  std::vector<core::Finding> findings;
  check->run(inventory, PostureOptions{}, findings);
  Findings by_name;
  for (auto& finding : findings) {
    std::string name = finding.identity.name;
    EXPECT_FALSE(by_name.count(name)) << "two findings for " << name;
    by_name[name] = std::move(finding);
  }
  return by_name;
}

Findings run_check(const Inventory& inventory) { return run_rule(make_privilege_escalation_check(), inventory); }

struct ExampleRun {
  testing::AuthorizationExample example;
  std::vector<std::string> principals;
  Findings findings;
};

ExampleRun run_example(const fs::path& path) {
  ExampleRun run;
  auto example = testing::load_authorization_example(path.string());
  EXPECT_TRUE(example.ok()) << path << ": " << (example.ok() ? "" : example.error().message);
  if (!example.ok()) return run;
  run.example = std::move(example).value();
  EXPECT_TRUE(run.example.loaded.errors.empty()) << path << ": " << run.example.loaded.errors.front().message;
  for (const auto& identity : run.example.loaded.inventory.identities) run.principals.push_back(identity.name);
  run.findings = run_check(run.example.loaded.inventory);
  return run;
}

bool has_evidence(const core::Finding& finding, const std::string& prefix) {
  return std::any_of(finding.evidence.begin(), finding.evidence.end(),
                     [&](const core::Evidence& evidence) { return evidence.description.starts_with(prefix); });
}

bool names_set(const core::Finding& finding, int number) {
  return has_evidence(finding, "privesc" + std::to_string(number) + " ");
}

bool has_step(const core::Finding& finding, const std::string& text) {
  return std::any_of(finding.remediation_steps.begin(), finding.remediation_steps.end(),
                     [&](const std::string& step) { return step.find(text) != std::string::npos; });
}

std::string all_evidence(const core::Finding& finding) {
  std::string text;
  for (const auto& evidence : finding.evidence) text += evidence.description + "\n";
  return text;
}

std::set<std::string> flagged_names(const Findings& findings) {
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
    std::set<std::string> expected(run.example.expected.begin(), run.example.expected.end());
    EXPECT_FALSE(expected.empty()) << entry.path().filename() << ": a positive example expects findings";
    EXPECT_EQ(flagged_names(run.findings), expected) << entry.path().filename();
    for (const auto& [name, finding] : run.findings) {
      std::smatch match;
      if (std::regex_search(name, match, numbered)) {
        EXPECT_TRUE(names_set(finding, std::stoi(match[1]))) << name << ": " << finding.title;
      }
      EXPECT_FALSE(finding.remediation_steps.empty()) << name;
      EXPECT_FALSE(finding.check_first.empty()) << name;
    }
  }
  EXPECT_GE(files, 4);
}

TEST(PrivilegeEscalationExamples, NegativeExamplesAreNotFlagged) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kExamples / "negative")) {
    ++files;
    ExampleRun run = run_example(entry.path());
    EXPECT_TRUE(run.example.expected.empty()) << entry.path().filename();
    EXPECT_FALSE(run.principals.empty()) << entry.path().filename();
    for (const auto& [name, finding] : run.findings) {
      ADD_FAILURE() << entry.path().filename() << ": " << name << " flagged: " << finding.title << "\n"
                    << all_evidence(finding);
    }
  }
  EXPECT_GE(files, 6);
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
  EXPECT_TRUE(has_step(finding, "aws iam detach-role-policy --role-name privesc4-CreateAccessKey-role "
                                "--policy-arn arn:aws:iam::111122223333:policy/privesc4-CreateAccessKey"));
  EXPECT_TRUE(has_step(finding, "aws iam put-role-permissions-boundary --role-name privesc4-CreateAccessKey-role"));
  EXPECT_FALSE(finding.remediation.empty());
}

TEST(PrivilegeEscalationCheck, PassRoleSetsAreHigh) {
  auto findings = run_example(kExamples / "positive/all-sets.json").findings;
  const core::Finding& finding = findings.at("privesc3-CreateEC2WithExistingInstanceProfile-user");
  EXPECT_EQ(finding.severity, core::Severity::high);
  EXPECT_NE(finding.evidence[0].description.find("iam:PassRole allowed by inline:privesc3; ec2:RunInstances allowed by inline:privesc3"),
            std::string::npos)
      << finding.evidence[0].description;
  EXPECT_TRUE(has_step(finding, "aws iam delete-user-policy --user-name "
                                "privesc3-CreateEC2WithExistingInstanceProfile-user --policy-name privesc3"));
}

TEST(PrivilegeEscalationCheck, PolicyVersionSetsListVersionsToDelete) {
  auto findings = run_example(kExamples / "positive/all-sets.json").findings;
  const core::Finding& finding = findings.at("privesc2-SetExistingDefaultPolicyVersion-role");
  EXPECT_TRUE(has_step(finding, "aws iam list-policy-versions --policy-arn "
                                "arn:aws:iam::111122223333:policy/privesc2-SetExistingDefaultPolicyVersion"));
  EXPECT_TRUE(has_step(finding, "aws iam delete-policy-version --policy-arn "
                                "arn:aws:iam::111122223333:policy/privesc2-SetExistingDefaultPolicyVersion --version-id"));
}

TEST(PrivilegeEscalationCheck, ListsAllSetsInOneFinding) {
  auto findings = run_example(kExamples / "positive/inherited-and-negated.json").findings;
  const core::Finding& finding = findings.at("privesc10-not-action-role");
  EXPECT_GT(finding.evidence.size(), 10u);
  EXPECT_TRUE(finding.title.starts_with("Can escalate its privileges through ")) << finding.title;
  EXPECT_FALSE(names_set(finding, 1)) << "iam:Create* is excluded by NotAction";
  EXPECT_TRUE(names_set(finding, 12));
}

TEST(PrivilegeEscalationCheck, NamesGroupInEvidenceAndSteps) {
  auto findings = run_example(kExamples / "positive/inherited-and-negated.json").findings;
  const core::Finding& finding = findings.at("privesc7-through-group-user");
  EXPECT_NE(finding.evidence[0].description.find("(via group policy-admins)"), std::string::npos)
      << finding.evidence[0].description;
  EXPECT_TRUE(has_step(finding, "aws iam remove-user-from-group --group-name policy-admins "
                                "--user-name privesc7-through-group-user"));
  bool group_warning = std::any_of(finding.check_first.begin(), finding.check_first.end(), [](const std::string& item) {
    return item.find("group policy-admins") != std::string::npos;
  });
  EXPECT_TRUE(group_warning);
}

TEST(PrivilegeEscalationCheck, ResourceConstraintOnOwnPolicyEscalates) {
  auto findings = run_example(kExamples / "positive/exploitable-constraints.json").findings;
  const core::Finding& finding = findings.at("policy-editor-prefix-user");
  ASSERT_TRUE(names_set(finding, 1)) << finding.title;
  EXPECT_NE(finding.evidence[0].description.find("on arn:aws:iam::111122223333:policy/deploy-tools"), std::string::npos)
      << finding.evidence[0].description;
}

TEST(PrivilegeEscalationCheck, ChainNamesEveryHop) {
  auto findings = run_example(kExamples / "positive/role-chain.json").findings;
  const core::Finding& finding = findings.at("ci-runner-user");
  EXPECT_EQ(finding.title, "Can reach a privileged role by assuming roles: ci-runner-user -> build-role -> deploy-admin-role");
  EXPECT_EQ(finding.severity, core::Severity::critical) << "the chain ends at a full administrator";
  ASSERT_EQ(finding.evidence.size(), 1u);
  const std::string& chain = finding.evidence[0].description;
  EXPECT_NE(chain.find("ci-runner-user can assume build-role: the role's trust policy names it"), std::string::npos) << chain;
  EXPECT_NE(chain.find("build-role can assume deploy-admin-role: sts:AssumeRole allowed by inline:assume-deploy"),
            std::string::npos)
      << chain;
  EXPECT_NE(chain.find("deploy-admin-role holds Action \"*\" on every resource through "
                       "arn:aws:iam::aws:policy/AdministratorAccess"),
            std::string::npos)
      << chain;
  EXPECT_TRUE(has_step(finding, "aws iam update-assume-role-policy --role-name build-role"));
}

TEST(PrivilegeEscalationCheck, ResolvedBoundaryRemovesSets) {
  ExampleRun run = run_example(kExamples / "negative/permissions-boundary.json");
  EXPECT_TRUE(run.findings.empty());
  // The same principal without its boundary escalates, so the boundary is what decides.
  Inventory inventory = run.example.loaded.inventory;
  for (auto& identity : inventory.identities) identity.attributes.erase("permissions_boundary");
  EXPECT_TRUE(run_check(inventory).count("bounded-iam-admin-role"));
}

TEST(PrivilegeEscalationCheck, MentionsUnresolvedBoundary) {
  Inventory inventory;
  core::Identity identity;
  identity.platform = "aws";
  identity.id = "arn:aws:iam::111122223333:role/bounded";
  identity.kind = "iam_role";
  identity.name = "bounded";
  identity.account = "111122223333";
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

  Findings findings = run_check(inventory);
  ASSERT_EQ(findings.size(), 1u);
  const core::Finding& finding = findings.at("bounded");
  ASSERT_EQ(finding.evidence.size(), 2u);
  EXPECT_NE(finding.evidence[1].description.find("arn:aws:iam::111122223333:policy/boundary, whose document is not in"),
            std::string::npos)
      << finding.evidence[1].description;
}

TEST(PrivilegeEscalationCheck, BoundaryRowsDecide) {
  Inventory inventory;
  core::Identity identity;
  identity.platform = "aws";
  identity.id = "arn:aws:iam::111122223333:role/bounded";
  identity.kind = "iam_role";
  identity.name = "bounded";
  identity.account = "111122223333";
  identity.attributes["permissions_boundary"] = "arn:aws:iam::111122223333:policy/s3-only";
  inventory.identities.push_back(identity);
  core::Grant grant;
  grant.platform = "aws";
  grant.identity_id = identity.id;
  grant.actions = {"iam:PutRolePolicy"};
  grant.resources = {"*"};
  grant.source_policy = "inline:self-edit";
  grant.via = "role";
  inventory.grants[identity.id].push_back(grant);
  core::Grant boundary = grant;
  boundary.actions = {"s3:*"};
  boundary.source_policy = "arn:aws:iam::111122223333:policy/s3-only";
  boundary.via = "boundary";
  inventory.grants[identity.id].push_back(boundary);

  EXPECT_TRUE(run_check(inventory).empty());
  inventory.grants[identity.id].back().actions = {"iam:*"};
  EXPECT_EQ(run_check(inventory).size(), 1u);
}

// Library-level runs over the real iam-vulnerable export: source and checks without the store.
class PrivilegeEscalationRealSample : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kRealSample)) {
      GTEST_SKIP() << "real sample not found: " << kRealSample
                   << " (the shared data folder is absent; these tests need the iam-vulnerable export)";
    }
    auto loaded = sources::aws::testing::load_export_file(kRealSample);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_TRUE(loaded->errors.empty()) << loaded->errors.front().message;
    loaded_ = std::move(loaded).value();
    // The export was taken in March 2023; any later time decides its time conditions the same.
    loaded_.inventory.as_of = *core::parse_time("2023-03-10T00:00:00Z");
    escalation_ = run_check(loaded_.inventory);
    wildcard_ = run_rule(make_admin_or_wildcard_check(), loaded_.inventory);
  }

  bool flagged_by_either(const std::string& name) const { return escalation_.count(name) || wildcard_.count(name); }

  sources::aws::testing::LoadedExport loaded_;
  Findings escalation_;
  Findings wildcard_;
};

TEST_F(PrivilegeEscalationRealSample, FlagsEveryNumberedScenario) {
  std::regex scenario("^privesc([0-9]+)-.*-(user|role)$");
  int checked = 0;
  for (const auto& identity : loaded_.inventory.identities) {
    std::smatch match;
    if (!std::regex_match(identity.name, match, scenario)) continue;
    ++checked;
    auto finding = escalation_.find(identity.name);
    ASSERT_NE(finding, escalation_.end()) << identity.name << " not flagged";
    EXPECT_TRUE(names_set(finding->second, std::stoi(match[1]))) << identity.name << ": " << finding->second.title;
  }
  EXPECT_EQ(checked, 42);
}

TEST_F(PrivilegeEscalationRealSample, FlagsUnnumberedScenarios) {
  const std::map<std::string, std::string> expected_sets = {
      {"privesc-CloudFormationUpdateStack-user", "CloudFormationUpdateStack"},
      {"privesc-CloudFormationUpdateStack-role", "CloudFormationUpdateStack"},
      {"privesc-codeBuildCreateProjectPassRole-user", "CodeBuildCreateProjectPassRole"},
      {"privesc-codeBuildCreateProjectPassRole-role", "CodeBuildCreateProjectPassRole"},
      {"privesc-ec2InstanceConnect-user", "EC2InstanceConnect"},
      {"privesc-ec2InstanceConnect-role", "EC2InstanceConnect"},
      {"privesc-sageMakerCreateNotebookPassRole-user", "SageMakerCreateNotebookPassRole"},
      {"privesc-sageMakerCreateNotebookPassRole-role", "SageMakerCreateNotebookPassRole"},
      {"privesc-sageMakerCreatePresignedNotebookURL-user", "SageMakerCreatePresignedNotebookURL"},
      {"privesc-sageMakerCreatePresignedNotebookURL-role", "SageMakerCreatePresignedNotebookURL"},
      {"privesc-sageMakerCreateProcessingJobPassRole-user", "SageMakerCreateProcessingJobPassRole"},
      {"privesc-sageMakerCreateProcessingJobPassRole-role", "SageMakerCreateProcessingJobPassRole"},
      {"privesc-sageMakerCreateTrainingJobPassRole-user", "SageMakerCreateTrainingJobPassRole"},
      {"privesc-sageMakerCreateTrainingJobPassRole-role", "SageMakerCreateTrainingJobPassRole"},
      {"privesc-ssmSendCommand-user", "SSMSendCommand"},
      {"privesc-ssmSendCommand-role", "SSMSendCommand"},
      {"privesc-ssmStartSession-user", "SSMStartSession"},
      {"privesc-ssmStartSession-role", "SSMStartSession"},
      {"privesc-sre-user", "privesc4 CreateAccessKey"},
      {"privesc-sre-role", "privesc4 CreateAccessKey"},
  };
  for (const auto& [name, set] : expected_sets) {
    auto finding = escalation_.find(name);
    ASSERT_NE(finding, escalation_.end()) << name << " not flagged";
    EXPECT_TRUE(has_evidence(finding->second, set + ":")) << name << ": " << finding->second.title;
  }
  // The target role of the PassRole scenarios holds Action "*", which the wildcard rule reports.
  EXPECT_TRUE(wildcard_.count("privesc-high-priv-service-role"));
}

TEST_F(PrivilegeEscalationRealSample, FlagsAssumeRoleChain) {
  for (const char* name : {"privesc-AssumeRole-starting-role", "privesc-AssumeRole-intermediate-role"}) {
    auto finding = escalation_.find(name);
    ASSERT_NE(finding, escalation_.end()) << name << " not flagged";
    EXPECT_TRUE(has_evidence(finding->second, "Role chain: ")) << all_evidence(finding->second);
    EXPECT_NE(all_evidence(finding->second).find("privesc-AssumeRole-ending-role holds Action \"*\" on every resource "
                                                 "through arn:aws:iam::200611803367:policy/privesc-AssumeRole-high-priv-policy"),
              std::string::npos)
        << all_evidence(finding->second);
    EXPECT_EQ(finding->second.severity, core::Severity::critical);
  }
  EXPECT_EQ(escalation_.at("privesc-AssumeRole-starting-role").title,
            "Can reach a privileged role by assuming roles: privesc-AssumeRole-starting-role -> "
            "privesc-AssumeRole-intermediate-role -> "
            "privesc-AssumeRole-ending-role");
  // The end of the chain is a full administrator: the wildcard rule reports it, this one does not.
  EXPECT_TRUE(wildcard_.count("privesc-AssumeRole-ending-role"));
  EXPECT_FALSE(escalation_.count("privesc-AssumeRole-ending-role"));
}

TEST_F(PrivilegeEscalationRealSample, LeavesPrincipalsWithoutPermissions) {
  // Neither has a policy, and no trust policy names them: the start user cannot call
  // sts:AssumeRole at all, and the role trusting its whole account has nothing to give. Flagging
  // them would take their names, not their permissions.
  for (const char* name : {"privesc-AssumeRole-start-user", "privesc-permissive-role-trust"}) {
    EXPECT_FALSE(flagged_by_either(name)) << name;
  }
}

TEST_F(PrivilegeEscalationRealSample, FlagsExploitableConstraints) {
  for (const char* name : {"fn1-privesc3-partial-user", "fn1-privesc3-partial-role"}) {
    ASSERT_TRUE(escalation_.count(name)) << name;
    EXPECT_TRUE(names_set(escalation_.at(name), 3)) << escalation_.at(name).title;
    EXPECT_NE(all_evidence(escalation_.at(name)).find("fn1-passrole-star"), std::string::npos);
    EXPECT_NE(all_evidence(escalation_.at(name)).find("fn1-privesc3-partial"), std::string::npos);
  }
  for (const char* name : {"fn2-exploitableResourceConstraint-user", "fn2-exploitableResourceConstraint-role"}) {
    ASSERT_TRUE(escalation_.count(name)) << name;
    EXPECT_NE(all_evidence(escalation_.at(name)).find(
                  "iam:CreatePolicyVersion allowed by arn:aws:iam::200611803367:policy/fn2-exploitableResourceConstraint "
                  "on arn:aws:iam::200611803367:policy/fn2-exploitableResourceConstraint"),
              std::string::npos)
        << all_evidence(escalation_.at(name));
  }
  for (const char* name : {"fn3-exploitableConditionConstraint-user", "fn3-exploitableConditionConstraint-role"}) {
    ASSERT_TRUE(escalation_.count(name)) << name;
    const core::Finding& finding = escalation_.at(name);
    EXPECT_NE(all_evidence(finding).find("(Condition: DateGreaterThan aws:TokenIssueTime"), std::string::npos)
        << all_evidence(finding);
    EXPECT_EQ(finding.severity, core::Severity::critical) << "the condition is decided, so it does not soften the finding";
  }
  for (const char* name : {"fn4-exploitableNotAction-user", "fn4-exploitableNotAction-role"}) {
    ASSERT_TRUE(escalation_.count(name)) << name;
    EXPECT_TRUE(names_set(escalation_.at(name), 10)) << "NotAction leaves iam:PutUserPolicy allowed";
    EXPECT_FALSE(names_set(escalation_.at(name), 4)) << "NotAction excludes iam:Create*";
  }
}

TEST_F(PrivilegeEscalationRealSample, SkipsNonExploitableScenarios) {
  for (const auto& identity : loaded_.inventory.identities) {
    if (!identity.name.starts_with("fp")) continue;
    EXPECT_FALSE(escalation_.count(identity.name))
        << identity.name << " flagged: " << escalation_.at(identity.name).title << "\n"
        << all_evidence(escalation_.at(identity.name));
    EXPECT_FALSE(wildcard_.count(identity.name)) << identity.name << " flagged: " << wildcard_.at(identity.name).title;
  }
}

TEST_F(PrivilegeEscalationRealSample, SkipsServiceLinkedRoles) {
  int service_linked = 0;
  for (const auto& identity : loaded_.inventory.identities) {
    if (!identity.name.starts_with("AWSServiceRoleFor")) continue;
    ++service_linked;
    EXPECT_FALSE(flagged_by_either(identity.name)) << identity.name;
  }
  EXPECT_EQ(service_linked, 8);
}

TEST_F(PrivilegeEscalationRealSample, FindingsCarryStepsAndChecks) {
  for (const auto& [name, finding] : escalation_) {
    EXPECT_FALSE(finding.remediation.empty()) << name;
    EXPECT_FALSE(finding.remediation_steps.empty()) << name;
    EXPECT_FALSE(finding.check_first.empty()) << name;
    EXPECT_FALSE(finding.evidence.empty()) << name;
  }
  const core::Finding& key_maker = escalation_.at("privesc4-CreateAccessKey-user");
  EXPECT_TRUE(has_step(key_maker, "aws iam detach-user-policy --user-name privesc4-CreateAccessKey-user "
                                  "--policy-arn arn:aws:iam::200611803367:policy/privesc4-CreateAccessKey"));
  bool shared_policy = std::any_of(key_maker.check_first.begin(), key_maker.check_first.end(), [](const std::string& item) {
    return item.find("also applies to privesc4-CreateAccessKey-role") != std::string::npos;
  });
  EXPECT_TRUE(shared_policy) << "the policy is attached to the role too";
}

}  // namespace
}  // namespace keyward::posture
