#pragma once

// SARIF 2.1.0 (OASIS) log of findings and alerts, shaped for GitHub code scanning uploads.

#include <nlohmann/json.hpp>

#include "report/findings_output.hpp"

namespace keyward::report {

// Returns one SARIF log with one run: tool.driver "keyward" with a rule per check or detector
// that produced a result, and one result per finding and alert of `input`. Every result has a
// physicalLocation, because GitHub code scanning rejects results without one: the evidence file
// when evidence names one, else the pseudo path "keyward/<platform>/<identity id>" (see
// docs/outputs.md). The identity is also given as a logicalLocation.
nlohmann::json sarif_log(const ReportInput& input, bool include_findings, bool include_alerts);

// GitHub's security-severity (0.0 to 10.0, as a string) from a 0-100 risk score.
std::string security_severity(int score);

}  // namespace keyward::report
