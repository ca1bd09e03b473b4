// End-to-end: the real iam-vulnerable authorization-details export goes through format
// detection, ingest into a fresh SQLite store and the posture engine. Every privesc1 to
// privesc21 principal must come out with an aws.iam.privilege_escalation finding that names its
// own permission set. The fp1 to fp3 principals, whose access an explicit Deny cancels, must not.
// The other scenario principals (fn*, fp4, fp5, privesc-*) need resource, condition or
// trust-chain analysis, so this suite does not assert on them.

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "ingest/ingest.hpp"
#include "posture/engine.hpp"
#include "store/store.hpp"
#include "tests/cli_harness.hpp"

namespace keyward {
namespace {

namespace fs = std::filesystem;

const std::string kRealSample =
    std::string(KEYWARD_SHARED_DATA) + "/aws_iam_authz/cloudsplaining_example_authz_details.json";
constexpr std::string_view kRule = "aws.iam.privilege_escalation";

bool names_set(const core::Finding& finding, int number) {
  std::string prefix = "privesc" + std::to_string(number) + " ";
  for (const auto& evidence : finding.evidence) {
    if (evidence.description.starts_with(prefix)) return true;
  }
  return false;
}

class PrivescEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kRealSample)) GTEST_SKIP() << "real sample not found: " << kRealSample;
    auto opened = store::open_sqlite_store((temp_ / "keyward.db").string());
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    store_ = std::move(opened).value();

    ingest::IngestReport report = ingest::ingest_paths(*store_, {kRealSample}, ingest::IngestOptions{});
    ASSERT_TRUE(report.all_inputs_ok()) << (report.inputs.empty() || !report.inputs[0].error
                                                ? std::string("no input report")
                                                : report.inputs[0].error->describe());
    ASSERT_EQ(report.inputs.size(), 1u);
    ASSERT_EQ(report.inputs[0].source, "aws-authorization-details");
    ASSERT_TRUE(report.record_errors.empty()) << report.record_errors.front().message;

    auto run = posture::run_posture(*store_, posture::PostureOptions{});
    ASSERT_TRUE(run.ok()) << run.error().describe();
    for (auto& finding : run->findings) {
      if (finding.rule == kRule) privesc_[finding.identity.name] = std::move(finding);
    }
  }

  testing::TempDir temp_;
  std::unique_ptr<store::Store> store_;
  std::map<std::string, core::Finding> privesc_;  // aws.iam.privilege_escalation by principal name
};

TEST_F(PrivescEndToEnd, ScenarioPrincipalsNameTheirSet) {
  auto identities = store_->list_identities(store::IdentityFilter{"aws", true});
  ASSERT_TRUE(identities.ok()) << identities.error().describe();

  std::regex scenario("^privesc([0-9]+)-.*-(user|role)$");
  int checked = 0;
  for (const auto& identity : *identities) {
    std::smatch match;
    if (!std::regex_match(identity.name, match, scenario)) continue;
    ++checked;
    auto finding = privesc_.find(identity.name);
    ASSERT_NE(finding, privesc_.end()) << identity.name << ": no " << kRule << " finding";
    EXPECT_TRUE(names_set(finding->second, std::stoi(match[1])))
        << identity.name << ": finding does not name privesc" << match[1] << ": " << finding->second.title;
  }
  EXPECT_EQ(checked, 42) << "expected privesc1 to privesc21, each as -user and -role";
}

TEST_F(PrivescEndToEnd, DeniedScenariosAreNotFlagged) {
  for (const char* name : {"fp1-allow-and-deny-user", "fp1-allow-and-deny-role",
                           "fp2-allow-and-deny-multiple-policies-user", "fp2-allow-and-deny-multiple-policies-role",
                           "fp3-deny-iam-user", "fp3-deny-iam-role"}) {
    auto finding = privesc_.find(name);
    EXPECT_EQ(finding, privesc_.end()) << name << ": unexpected finding: "
                                       << (finding == privesc_.end() ? "" : finding->second.title);
  }
}

}  // namespace
}  // namespace keyward
