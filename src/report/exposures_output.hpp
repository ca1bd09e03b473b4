#pragma once

// Output formats of `keyward scan`: a table for people, a JSON document, a SARIF 2.1.0 log for
// code scanning and OCSF events for a SIEM. Every format shows a secret only as its redacted form
// and keyed fingerprint, and every format lists the inputs that were not scanned.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "report/findings_output.hpp"
#include "secrets/rule.hpp"
#include "secrets/scan_result.hpp"

namespace keyward::report {

enum class ScanFormat { table, json, sarif, ocsf };

std::string_view to_string(ScanFormat format);
// Accepts "table", "json", "sarif" and "ocsf" in any case.
std::optional<ScanFormat> parse_scan_format(std::string_view text);

struct ScanReportOptions {
  // Rule metadata for SARIF rules and OCSF descriptions (the scanner's rules). An exposure whose
  // rule is not listed is described from its own rule_name and service, without a help link.
  const std::vector<secrets::SecretRule>* rules = nullptr;
  core::UnixTime generated = 0;  // when the scan ran: OCSF event time and SARIF run properties
  std::size_t table_width = 80;
};

// Renders `result` in `format`. OCSF is JSON Lines: one Detection Finding per exposure, then one
// Scan Activity event with the counts and the inputs that were not scanned.
std::string render_exposures(const secrets::ScanResult& result, ScanFormat format, const ScanReportOptions& options);
// The same for the formats of `--format` and `-o` shared with findings and alerts, with the
// built-in rules and the current time. CSV has one row per location and one per input not
// scanned; HTML is a static page with the table's content.
std::string render_exposures(const secrets::ScanResult& result, ReportFormat format, std::size_t table_width = 80);

// Priority of an exposure, lower first: 0 verified active or matched to an inventory credential
// (and not verified inactive), 1 checksum valid, 2 any other match, 3 verified inactive.
int exposure_priority(const core::Exposure& exposure);
// Severity from the priority: critical, high, high (medium for generic rules), low.
core::Severity exposure_severity(const core::Exposure& exposure);
// The exposures ordered by priority; equal priorities keep the order of `exposures`.
std::vector<const core::Exposure*> exposures_by_priority(const std::vector<core::Exposure>& exposures);

// "path:line", with "@" and the first 7 digits of the commit when the location is in git history.
std::string location_text(const core::ExposureLocation& location);

std::string exposures_table(const secrets::ScanResult& result, std::size_t width);
// One sentence with the scan's counts: blobs, bytes, exposures, suppressed, not scanned.
std::string scan_summary_text(const secrets::ScanResult& result);
std::string exposures_csv(const secrets::ScanResult& result);
std::string exposures_html(const secrets::ScanResult& result, core::UnixTime generated);

// {"exposures": [...], "not_scanned": [...], "summary": {...}} with every field of every exposure
// and location. scan_result_from_json reads it back; a missing or mistyped member is left at its
// default.
nlohmann::json exposures_json(const secrets::ScanResult& result);
secrets::ScanResult scan_result_from_json(const nlohmann::json& document);
// The "summary" member: blobs, bytes, binary_blobs, exposures, locations, suppressed,
// baseline_matches and not_scanned, all counts.
nlohmann::json scan_summary_json(const secrets::ScanResult& result);
// The "not_scanned" member: [{"path": ..., "reason": ...}].
nlohmann::json not_scanned_json(const secrets::ScanResult& result);

// One SARIF log with one run: a rule per rule id found, one result per exposure location, and a
// tool execution notification per input that was not scanned.
nlohmann::json exposures_sarif(const secrets::ScanResult& result, const ScanReportOptions& options);

// OCSF 1.4.0 Detection Finding (class_uid 2004) for one exposure.
nlohmann::json ocsf_exposure_finding(const core::Exposure& exposure, const ScanReportOptions& options);
// OCSF 1.4.0 Scan Activity (class_uid 6007, activity Completed) with the scan's counts and the
// inputs that were not scanned.
nlohmann::json ocsf_scan_activity(const secrets::ScanResult& result, const ScanReportOptions& options);

// The rule with `id` in options.rules, or nullptr.
const secrets::SecretRule* find_rule(const ScanReportOptions& options, std::string_view id);

// Serializes JSON output; bytes that are not valid UTF-8 (from file names) become U+FFFD
// instead of making the dump throw.
std::string dump_json(const nlohmann::json& value, int indent);

}  // namespace keyward::report
