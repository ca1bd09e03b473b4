#pragma once

// A standalone HTML report of findings or alerts: one file with inline CSS, SVG charts and a
// small script, which loads nothing from the network and so works offline.

#include <string>
#include <string_view>

#include "report/findings_output.hpp"

namespace keyward::report {

// Returns the report page. Every string from a result is escaped, because titles, names and
// evidence come from logs an attacker can write to.
std::string html_report(const ReportInput& input, bool include_findings, bool include_alerts);

// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

}  // namespace keyward::report
