#pragma once

// Output formats of `keyward findings` and `keyward alerts`, and what every renderer reads:
// the results, the rules (checks and detectors) that produced them, and the identity kinds.
// See docs/outputs.md for what each format contains.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace keyward::report {

enum class ReportFormat { table, json, csv, sarif, ocsf, html };

std::string_view to_string(ReportFormat format);
std::optional<ReportFormat> parse_report_format(std::string_view text);

// What a check or detector reports, shown as SARIF rules and in the HTML report. Detectors have
// no description or OWASP id yet, so those stay empty for alerts.
struct RuleInfo {
  std::string id;
  std::string title;
  std::string description;
  std::string owasp;  // "NHI7", or empty
  core::Severity severity = core::Severity::medium;
};

// The reason and mute expiry that a person gave an alert's status (`keyward alert ack|mute|...`).
struct AlertStatusNote {
  std::string reason;
  std::optional<core::UnixTime> until;
};

struct ReportInput {
  std::vector<core::Finding> findings;
  std::vector<core::Alert> alerts;
  // Status notes by alert_id(); alerts without a note have no reason recorded.
  std::map<std::string, AlertStatusNote> alert_notes;
  std::map<std::string, RuleInfo> rules;  // by rule or detector id
  // Identity kind ("iam_user", "gcp_service_account", ...) by identity_key(); a missing
  // identity is reported as kind "unknown".
  std::map<std::string, std::string> identity_kinds;
  core::UnixTime generated = 0;  // when the report was made: the posture run's as-of, else now
};

// Key of identity_kinds: "<platform>\x1f<identity id>".
std::string identity_key(std::string_view platform, std::string_view identity_id);

// Stable short id of an alert: 16 hex digits of the SHA-256 of its detector, platform, identity
// id and deduplication key, so SARIF fingerprints and OCSF uids survive re-runs.
std::string alert_id(const core::Alert& alert);

// Renders the findings (or, with alerts_only, the alerts) of `input` in `format`. Table output
// wraps to `table_width` columns.
std::string render_findings(const ReportInput& input, ReportFormat format, size_t table_width = 80);
std::string render_alerts(const ReportInput& input, ReportFormat format, size_t table_width = 80);

// Results that trip `--fail-on minimum`: status open (not acknowledged, muted or resolved) and
// severity at or above `minimum`.
size_t count_gating_findings(const std::vector<core::Finding>& findings, core::Severity minimum);
size_t count_gating_alerts(const std::vector<core::Alert>& alerts, core::Severity minimum);

// The tool as SARIF and OCSF name it; the version is the build's KEYWARD_VERSION.
inline constexpr std::string_view kToolName = "keyward";
inline constexpr std::string_view kToolVendor = "keyward";
// TODO: placeholder until the project has a public home; SARIF shows it as the tool's link.
inline constexpr std::string_view kToolInformationUri = "https://github.com/keyward/keyward";
std::string_view tool_version();

}  // namespace keyward::report
