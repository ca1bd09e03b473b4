#pragma once

// OCSF 1.4.0 events: Compliance Finding (class_uid 2003) for posture findings and Detection
// Finding (class_uid 2004) for alerts, one JSON object per result.

#include <nlohmann/json.hpp>

#include "report/findings_output.hpp"

namespace keyward::report {

inline constexpr std::string_view kOcsfVersion = "1.4.0";
inline constexpr int kOcsfComplianceFinding = 2003;
inline constexpr int kOcsfDetectionFinding = 2004;

// The compliance standard every posture finding is checked against.
inline constexpr std::string_view kOwaspNhiStandard = "OWASP Non-Human Identities Top 10 2025";

nlohmann::json ocsf_compliance_finding(const core::Finding& finding, const ReportInput& input);
nlohmann::json ocsf_detection_finding(const core::Alert& alert, const ReportInput& input);

// OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical.
int ocsf_severity_id(core::Severity severity);

}  // namespace keyward::report
