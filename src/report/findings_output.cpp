#include "report/findings_output.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

#include "core/model_json.hpp"
#include "ingest/input_reader.hpp"
#include "report/csv.hpp"
#include "report/html.hpp"
#include "report/ocsf.hpp"
#include "report/sarif.hpp"
#include "report/table.hpp"

namespace keyward::report {
namespace {

constexpr std::array<std::pair<ReportFormat, std::string_view>, 6> kFormatNames = {{
    {ReportFormat::table, "table"},
    {ReportFormat::json, "json"},
    {ReportFormat::csv, "csv"},
    {ReportFormat::sarif, "sarif"},
    {ReportFormat::ocsf, "ocsf"},
    {ReportFormat::html, "html"},
}};

std::string findings_json(const std::vector<core::Finding>& findings) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& finding : findings) out.push_back(core::to_json(finding));
  return out.dump(2) + "\n";
}

std::string findings_csv(const std::vector<core::Finding>& findings) {
  std::string out = csv_row({"id", "score", "severity", "rule", "owasp", "identity_platform", "identity_id", "identity_name",
                             "credential", "title", "status", "as_of", "remediation"});
  for (const auto& finding : findings) {
    out += csv_row({core::finding_id(finding), std::to_string(finding.score), std::string(core::to_string(finding.severity)), finding.rule, finding.owasp,
                    finding.identity.platform, finding.identity.id, finding.identity.name, finding.credential_id,
                    finding.title, std::string(core::to_string(finding.status)),
                    finding.as_of ? core::format_time(*finding.as_of) : "", finding.remediation});
  }
  return out;
}

std::string findings_table(const std::vector<core::Finding>& findings, size_t width) {
  // The rule id is left to JSON and CSV so the identity and title have room in 80 columns.
  // ID is the first 8 digits of the finding id, which `keyward finding` accepts as a prefix. A
  // status other than open is shown in front of the title.
  Table table({{"ID", 8}, {"SCORE", 5}, {"SEVERITY", 8}, {"IDENTITY", 14, true}, {"TITLE", 20, true}});
  for (const auto& finding : findings) {
    std::string title = finding.title;
    if (finding.status != core::FindingStatus::open) title = fmt::format("[{}] {}", core::to_string(finding.status), title);
    if (finding.recurring && finding.status == core::FindingStatus::open) title = "[recurring] " + title;
    table.add_row({core::finding_id(finding).substr(0, 8), std::to_string(finding.score),
                   std::string(core::to_string(finding.severity)), finding.identity.name, title});
  }
  return table.render(width);
}

const AlertStatusNote* find_note(const ReportInput& input, const std::string& id) {
  auto found = input.alert_notes.find(id);
  return found == input.alert_notes.end() ? nullptr : &found->second;
}

std::string alerts_json(const ReportInput& input) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& alert : input.alerts) {
    const std::string id = alert_id(alert);
    nlohmann::json entry = {{"id", id}};
    entry.update(core::to_json(alert));
    const AlertStatusNote* note = find_note(input, id);
    entry["status_reason"] = note ? note->reason : "";
    entry["status_until"] = core::optional_time_json(note ? note->until : std::nullopt);
    out.push_back(std::move(entry));
  }
  return out.dump(2) + "\n";
}

std::string alerts_csv(const ReportInput& input) {
  std::string out = csv_row({"id", "time", "severity", "score", "detector", "identity_platform", "identity_id",
                             "identity_name", "credential", "title", "status", "status_reason", "status_until",
                             "remediation"});
  for (const auto& alert : input.alerts) {
    const std::string id = alert_id(alert);
    const AlertStatusNote* note = find_note(input, id);
    out += csv_row({id, core::format_time(alert.time), std::string(core::to_string(alert.severity)),
                    std::to_string(alert.score), alert.detector, alert.identity.platform, alert.identity.id,
                    alert.identity.name, alert.credential_id, alert.title, std::string(core::to_string(alert.status)),
                    note ? note->reason : "", note && note->until ? core::format_time(*note->until) : "",
                    alert.remediation});
  }
  return out;
}

// Short status names so the table keeps room for the identity and title in 80 columns.
std::string_view short_status(core::FindingStatus status) {
  return status == core::FindingStatus::acknowledged ? "ack" : core::to_string(status);
}

std::string alerts_table(const std::vector<core::Alert>& alerts, size_t width) {
  // The detector id is left to JSON and CSV so the identity and title have room in 80 columns.
  // The id column shows 8 of the 16 digits; `keyward alert` takes any unique prefix of 6 or more.
  Table table({{"ID", 8}, {"TIME", 16}, {"SEVERITY", 8}, {"STATE", 5}, {"IDENTITY", 12, true}, {"TITLE", 20, true}});
  for (const auto& alert : alerts) {
    table.add_row({alert_id(alert).substr(0, 8), core::format_time(alert.time).substr(0, 16).replace(10, 1, " "),
                   std::string(core::to_string(alert.severity)), std::string(short_status(alert.status)),
                   alert.identity.name, alert.title});
  }
  return table.render(width);
}

}  // namespace

std::string_view to_string(ReportFormat format) {
  for (const auto& [value, name] : kFormatNames) {
    if (value == format) return name;
  }
  return "table";
}

std::optional<ReportFormat> parse_report_format(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [value, name] : kFormatNames) {
    if (name == lower) return value;
  }
  return std::nullopt;
}

std::string identity_key(std::string_view platform, std::string_view identity_id) {
  std::string key(platform);
  key.push_back('\x1f');
  key.append(identity_id);
  return key;
}

std::string alert_id(const core::Alert& alert) {
  std::string key = alert.detector;
  for (const std::string* part : {&alert.identity.platform, &alert.identity.id, &alert.dedupe_key}) {
    key.push_back('\x1f');
    key.append(*part);
  }
  return ingest::sha256_hex(key).substr(0, 16);
}

std::string_view tool_version() { return KEYWARD_VERSION; }

std::string render_findings(const ReportInput& input, ReportFormat format, size_t table_width) {
  switch (format) {
    case ReportFormat::table: return findings_table(input.findings, table_width);
    case ReportFormat::json: return findings_json(input.findings);
    case ReportFormat::csv: return findings_csv(input.findings);
    case ReportFormat::sarif: return sarif_log(input, true, false).dump(2) + "\n";
    case ReportFormat::ocsf: {
      // JSON Lines: one OCSF event per line, the form SIEM file and HTTP collectors take.
      std::string out;
      for (const auto& finding : input.findings) out += ocsf_compliance_finding(finding, input).dump() + "\n";
      return out;
    }
    case ReportFormat::html: return html_report(input, true, false);
  }
  return "";
}

std::string render_alerts(const ReportInput& input, ReportFormat format, size_t table_width) {
  switch (format) {
    case ReportFormat::table: return alerts_table(input.alerts, table_width);
    case ReportFormat::json: return alerts_json(input);
    case ReportFormat::csv: return alerts_csv(input);
    case ReportFormat::sarif: return sarif_log(input, false, true).dump(2) + "\n";
    case ReportFormat::ocsf: {
      std::string out;
      for (const auto& alert : input.alerts) out += ocsf_detection_finding(alert, input).dump() + "\n";
      return out;
    }
    case ReportFormat::html: return html_report(input, false, true);
  }
  return "";
}

size_t count_gating_findings(const std::vector<core::Finding>& findings, core::Severity minimum) {
  size_t count = 0;
  for (const auto& finding : findings) {
    if (finding.status == core::FindingStatus::open && finding.severity >= minimum) ++count;
  }
  return count;
}

size_t count_gating_alerts(const std::vector<core::Alert>& alerts, core::Severity minimum) {
  size_t count = 0;
  for (const auto& alert : alerts) {
    if (alert.status == core::FindingStatus::open && alert.severity >= minimum) ++count;
  }
  return count;
}

}  // namespace keyward::report
