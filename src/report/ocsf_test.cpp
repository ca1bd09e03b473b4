#include "report/ocsf.hpp"

#include <gtest/gtest.h>

#include "report/report_testing.hpp"

namespace keyward::report {
namespace {

using nlohmann::json;

// Attributes with requirement "required" in OCSF 1.4.0 (the OCSF schema browser and the
// ocsf-schema files events/findings/finding.json and compliance_finding.json), for the classes
// keyward writes. Base event: activity_id, category_uid, class_uid, metadata, severity_id, time,
// type_uid. Finding adds finding_info; Compliance Finding adds compliance. Objects: metadata
// needs product and version, finding_info needs uid, compliance needs standards.
const std::vector<std::string> kBaseEventRequired = {"activity_id", "category_uid", "class_uid", "metadata",
                                                     "severity_id", "time",         "type_uid"};
const std::vector<std::string> kComplianceFindingRequired = {"finding_info", "compliance"};
const std::vector<std::string> kDetectionFindingRequired = {"finding_info"};

void expect_required(const json& event, const std::vector<std::string>& attributes) {
  for (const auto& name : attributes) {
    ASSERT_TRUE(event.contains(name)) << name << " missing in " << event.dump();
    EXPECT_FALSE(event[name].is_null()) << name << " is null";
  }
  EXPECT_TRUE(event["metadata"].contains("product")) << event["metadata"].dump();
  EXPECT_EQ(event["metadata"]["version"], kOcsfVersion);
  EXPECT_TRUE(event["finding_info"]["uid"].is_string());
  EXPECT_EQ(event["category_uid"], 2);
  EXPECT_EQ(event["type_uid"], event["class_uid"].get<int>() * 100 + event["activity_id"].get<int>());
  EXPECT_TRUE(event["time"].is_number_integer());
}

TEST(Ocsf, ComplianceFindingRequiredAttributes) {
  const ReportInput input = testing::sample_input();
  const json event = ocsf_compliance_finding(input.findings[0], input);
  expect_required(event, kBaseEventRequired);
  expect_required(event, kComplianceFindingRequired);
  EXPECT_EQ(event["class_uid"], kOcsfComplianceFinding);
  EXPECT_EQ(event["compliance"]["standards"], json::array({"OWASP Non-Human Identities Top 10 2025"}));
  EXPECT_EQ(event["compliance"]["control"], "NHI7");
  EXPECT_EQ(event["compliance"]["status_id"], 3);
}

TEST(Ocsf, ComplianceFindingContent) {
  const ReportInput input = testing::sample_input();
  const json event = ocsf_compliance_finding(input.findings[0], input);
  EXPECT_EQ(event["finding_info"]["uid"], core::finding_id(input.findings[0]));
  EXPECT_EQ(event["finding_info"]["title"], "Access key unused for 120 days");
  EXPECT_EQ(event["finding_info"]["desc"], "A key nobody uses is still a way in.");
  EXPECT_EQ(event["finding_info"]["types"], json::array({"aws.access_key.unused"}));
  EXPECT_EQ(event["finding_info"]["first_seen_time"], 1792000000LL * 1000);
  EXPECT_EQ(event["severity_id"], 4);
  EXPECT_EQ(event["status_id"], 1);
  EXPECT_EQ(event["metadata"]["product"]["name"], "keyward");
  EXPECT_EQ(event["metadata"]["product"]["vendor_name"], "keyward");
  EXPECT_EQ(event["resources"][0]["uid"], "arn:aws:iam::111122223333:user/deploy-bot");
  EXPECT_EQ(event["resources"][0]["type"], "iam_user");
  EXPECT_TRUE(event["remediation"]["desc"].is_string());
  EXPECT_EQ(event["remediation"]["references"].size(), 1u);
  EXPECT_EQ(event["unmapped"]["context"]["owner"], "alice@example.com");
}

TEST(Ocsf, MutedFindingIsSuppressed) {
  const ReportInput input = testing::sample_input();
  const json event = ocsf_compliance_finding(input.findings[1], input);
  EXPECT_EQ(event["status_id"], 3);
  EXPECT_EQ(event["resources"][0]["type"], "unknown");
}

TEST(Ocsf, DetectionFindingRequiredAttributes) {
  const ReportInput input = testing::sample_input();
  const json event = ocsf_detection_finding(input.alerts[0], input);
  expect_required(event, kBaseEventRequired);
  expect_required(event, kDetectionFindingRequired);
  EXPECT_EQ(event["class_uid"], kOcsfDetectionFinding);
  EXPECT_EQ(event["type_uid"], 200401);
  EXPECT_EQ(event["severity_id"], 5);
  EXPECT_EQ(event["time"], 1793100000LL * 1000);
  EXPECT_EQ(event["finding_info"]["uid"], alert_id(input.alerts[0]));
  EXPECT_FALSE(event.contains("compliance"));
}

TEST(Ocsf, RenderWritesOneEventPerLine) {
  const std::string out = render_findings(testing::sample_input(), ReportFormat::ocsf);
  size_t lines = 0;
  for (size_t start = 0, end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
    EXPECT_FALSE(json::parse(out.substr(start, end - start), nullptr, false).is_discarded());
    ++lines;
  }
  EXPECT_EQ(lines, 2u);
}

}  // namespace
}  // namespace keyward::report
