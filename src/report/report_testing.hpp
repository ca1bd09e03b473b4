#pragma once

// Sample findings and alerts for the output format tests.

#include "report/findings_output.hpp"

namespace keyward::report::testing {

inline core::Finding sample_finding() {
  core::Finding finding;
  finding.rule = "aws.access_key.unused";
  finding.title = "Access key unused for 120 days";
  finding.severity = core::Severity::high;
  finding.score = 82;
  finding.owasp = "NHI7";
  finding.identity = {"aws", "arn:aws:iam::111122223333:user/deploy-bot", "deploy-bot"};
  finding.credential_id = "AKIAIOSFODNN7EXAMPLE";
  finding.evidence.push_back({"credential report: access_key_1_last_used_date 2026-07-01T00:00:00Z",
                              {"exports/credential-report.csv", 412, ""},
                              1782864000});
  finding.remediation = "Deactivate the key, then delete it after a quiet period.";
  finding.remediation_steps = {"aws iam update-access-key --user-name deploy-bot --access-key-id AKIAIOSFODNN7EXAMPLE --status Inactive"};
  finding.check_first = {"No CloudTrail event used the key in the last 120 days."};
  finding.safe_now = true;
  finding.safe_reason = "unused for 120 days";
  finding.risk_factors = {{"privilege", 20, "administrator: AdministratorAccess"}};
  finding.context.owner = "alice@example.com";
  finding.context.owner_status = "deprovisioned";
  finding.context.environment = "production";
  finding.as_of = 1793000000;
  finding.first_seen = 1792000000;
  finding.last_seen = 1793000000;
  return finding;
}

inline core::Alert sample_alert() {
  core::Alert alert;
  alert.detector = "aws.iam.access_key_created_for_other_user";
  alert.title = "Access key created for another user";
  alert.severity = core::Severity::critical;
  alert.score = 95;
  alert.identity = {"aws", "arn:aws:iam::111122223333:user/ci", "ci"};
  alert.time = 1793100000;
  alert.evidence.push_back({"CreateAccessKey for admin-alice", {"trail/2026/11/02/log.json", 2048, "evt-2"}, 1793100000});
  alert.remediation = "Deactivate the new key and review what the caller did.";
  alert.dedupe_key = "admin-alice";
  return alert;
}

inline ReportInput sample_input() {
  ReportInput input;
  input.findings.push_back(sample_finding());
  core::Finding no_file = sample_finding();
  no_file.rule = "entra.app.owner_departed";
  no_file.title = "App owned by a departed person";
  no_file.severity = core::Severity::medium;
  no_file.score = 55;
  no_file.owasp = "NHI1";
  no_file.identity = {"entra", "00000000-0000-0000-0000-0000000000aa", "payroll-sync"};
  no_file.credential_id.clear();
  no_file.evidence = {{"owner alice@example.com is deprovisioned", {}, std::nullopt}};
  no_file.status = core::FindingStatus::muted;
  no_file.status_reason = "accepted until migration";
  input.findings.push_back(no_file);
  input.alerts.push_back(sample_alert());
  input.rules["aws.access_key.unused"] = {"aws.access_key.unused", "Unused access key",
                                          "A key nobody uses is still a way in.", "NHI7", core::Severity::medium};
  input.identity_kinds[identity_key("aws", "arn:aws:iam::111122223333:user/deploy-bot")] = "iam_user";
  input.generated = 1793000000;
  return input;
}

}  // namespace keyward::report::testing
