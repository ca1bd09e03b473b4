#include "report/ocsf.hpp"

#include "core/model_json.hpp"

namespace keyward::report {
namespace {

using nlohmann::json;

// OCSF timestamp_t is milliseconds since the Unix epoch.
long long ocsf_time(core::UnixTime time) { return static_cast<long long>(time) * 1000; }

std::string_view severity_caption(int severity_id) {
  switch (severity_id) {
    case 1: return "Informational";
    case 2: return "Low";
    case 3: return "Medium";
    case 4: return "High";
    case 5: return "Critical";
  }
  return "Unknown";
}

// Finding status_id: 1 New, 2 In Progress, 3 Suppressed, 4 Resolved. OCSF has no
// "acknowledged", so an acknowledged result is In Progress.
std::pair<int, std::string_view> ocsf_status(core::FindingStatus status) {
  switch (status) {
    case core::FindingStatus::open: return {1, "New"};
    case core::FindingStatus::acknowledged: return {2, "In Progress"};
    case core::FindingStatus::muted: return {3, "Suppressed"};
    case core::FindingStatus::resolved: return {4, "Resolved"};
  }
  return {1, "New"};
}

// activity_id 1 Create for a result that holds, 3 Close for one that was resolved.
std::pair<int, std::string_view> ocsf_activity(core::FindingStatus status) {
  if (status == core::FindingStatus::resolved) return {3, "Close"};
  return {1, "Create"};
}

json metadata_json() {
  return {{"version", kOcsfVersion},
          {"product", {{"name", kToolName}, {"vendor_name", kToolVendor}, {"version", tool_version()}}}};
}

json resource_json(const core::IdentityRef& identity, const std::string& kind, const std::string& credential_id) {
  json resource = {{"uid", identity.id},
                   {"name", identity.name.empty() ? identity.id : identity.name},
                   {"type", kind.empty() ? "unknown" : kind}};
  resource["labels"] = json::array({"platform:" + identity.platform});
  if (!credential_id.empty()) resource["labels"].push_back("credential:" + credential_id);
  return resource;
}

std::string kind_of(const ReportInput& input, const core::IdentityRef& identity) {
  auto found = input.identity_kinds.find(identity_key(identity.platform, identity.id));
  return found != input.identity_kinds.end() ? found->second : "unknown";
}

json remediation_json(const std::string& summary, const std::vector<std::string>& steps,
                      const std::vector<std::string>& check_first) {
  std::string desc = summary;
  if (!check_first.empty()) {
    desc += "\nCheck first:";
    for (const auto& item : check_first) desc += "\n- " + item;
  }
  json out = {{"desc", desc.empty() ? "No remediation recorded." : desc}};
  // OCSF remediation.references holds URLs or other references; the exact commands go there too.
  if (!steps.empty()) out["references"] = steps;
  return out;
}

void fill_classification(json& event, int class_uid, std::string_view class_name, core::FindingStatus status,
                         core::Severity severity) {
  const auto [activity_id, activity_name] = ocsf_activity(status);
  const auto [status_id, status_name] = ocsf_status(status);
  const int severity_id = ocsf_severity_id(severity);
  event["category_uid"] = 2;
  event["category_name"] = "Findings";
  event["class_uid"] = class_uid;
  event["class_name"] = class_name;
  event["activity_id"] = activity_id;
  event["activity_name"] = activity_name;
  event["type_uid"] = class_uid * 100 + activity_id;
  event["severity_id"] = severity_id;
  event["severity"] = severity_caption(severity_id);
  event["status_id"] = status_id;
  event["status"] = status_name;
}

}  // namespace

int ocsf_severity_id(core::Severity severity) {
  switch (severity) {
    case core::Severity::info: return 1;
    case core::Severity::low: return 2;
    case core::Severity::medium: return 3;
    case core::Severity::high: return 4;
    case core::Severity::critical: return 5;
  }
  return 0;
}

json ocsf_compliance_finding(const core::Finding& finding, const ReportInput& input) {
  json event;
  fill_classification(event, kOcsfComplianceFinding, "Compliance Finding", finding.status, finding.severity);
  const core::UnixTime time = finding.as_of.value_or(input.generated);
  event["time"] = ocsf_time(time);
  event["metadata"] = metadata_json();
  event["message"] = finding.title;

  std::string description;
  if (auto rule = input.rules.find(finding.rule); rule != input.rules.end()) description = rule->second.description;
  json info = {{"uid", core::finding_id(finding)},
               {"title", finding.title},
               {"desc", description.empty() ? finding.title : description},
               {"types", json::array({finding.rule})}};
  if (finding.first_seen) {
    info["created_time"] = ocsf_time(*finding.first_seen);
    info["first_seen_time"] = ocsf_time(*finding.first_seen);
  }
  if (finding.last_seen) info["last_seen_time"] = ocsf_time(*finding.last_seen);
  event["finding_info"] = info;

  // Compliance status_id: 1 Pass, 3 Fail. A finding that holds is a failed control.
  const bool resolved = finding.status == core::FindingStatus::resolved;
  json compliance = {{"standards", json::array({kOwaspNhiStandard})},
                     {"status_id", resolved ? 1 : 3},
                     {"status", resolved ? "Pass" : "Fail"}};
  if (!finding.owasp.empty()) {
    compliance["control"] = finding.owasp;
    compliance["requirements"] = json::array({finding.owasp});
  }
  event["compliance"] = compliance;
  event["resources"] = json::array({resource_json(finding.identity, kind_of(input, finding.identity), finding.credential_id)});
  event["remediation"] = remediation_json(finding.remediation, finding.remediation_steps, finding.check_first);
  event["risk_score"] = finding.score;

  // What OCSF has no attribute for stays under unmapped, in keyward's JSON form.
  json unmapped = core::finding_details_json(finding);
  unmapped["evidence"] = core::to_json(finding.evidence);
  unmapped["platform"] = finding.identity.platform;
  unmapped["recurring"] = finding.recurring;
  if (!finding.status_reason.empty()) unmapped["status_reason"] = finding.status_reason;
  event["unmapped"] = unmapped;
  return event;
}

json ocsf_detection_finding(const core::Alert& alert, const ReportInput& input) {
  json event;
  fill_classification(event, kOcsfDetectionFinding, "Detection Finding", alert.status, alert.severity);
  event["time"] = ocsf_time(alert.time);
  event["metadata"] = metadata_json();
  event["message"] = alert.title;
  event["is_alert"] = alert.status != core::FindingStatus::resolved;

  std::string description;
  if (auto rule = input.rules.find(alert.detector); rule != input.rules.end()) description = rule->second.description;
  json info = {{"uid", alert_id(alert)},
               {"title", alert.title},
               {"desc", description.empty() ? alert.title : description},
               {"types", json::array({alert.detector})},
               {"created_time", ocsf_time(alert.time)},
               {"first_seen_time", ocsf_time(alert.time)},
               {"last_seen_time", ocsf_time(alert.time)}};
  event["finding_info"] = info;
  event["resources"] = json::array({resource_json(alert.identity, kind_of(input, alert.identity), alert.credential_id)});
  event["remediation"] = remediation_json(alert.remediation, {}, {});
  event["risk_score"] = alert.score;
  event["unmapped"] = {{"evidence", core::to_json(alert.evidence)}, {"platform", alert.identity.platform}};
  return event;
}

}  // namespace keyward::report
