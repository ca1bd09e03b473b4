#include "report/sarif.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "core/model_json.hpp"

namespace keyward::report {
namespace {

using nlohmann::json;

constexpr std::string_view kSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
// partialFingerprints key; versioned so a change of the id scheme does not match old alerts.
constexpr std::string_view kFingerprintKey = "keywardResultId/v1";

std::string_view sarif_level(core::Severity severity) {
  switch (severity) {
    case core::Severity::critical:
    case core::Severity::high: return "error";
    case core::Severity::medium: return "warning";
    case core::Severity::low:
    case core::Severity::info: return "note";
  }
  return "warning";
}

// Returns the 1-based line that holds byte `offset` of `path`, or nothing when the file cannot
// be read or is shorter. Ingested files may have moved since, so this is best effort.
std::optional<long long> line_at_offset(const std::string& path, long long offset) {
  if (path.empty() || path == "-" || offset < 0) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  long long line = 1;
  long long position = 0;
  char buffer[65536];
  while (position < offset && in) {
    const auto wanted = static_cast<std::streamsize>(std::min<long long>(sizeof buffer, offset - position));
    in.read(buffer, wanted);
    const std::streamsize got = in.gcount();
    if (got <= 0) break;
    line += std::count(buffer, buffer + got, '\n');
    position += got;
  }
  if (position < offset) return std::nullopt;
  return line;
}

// A relative path stays relative (GitHub resolves it against the repository root); an absolute
// path becomes a file:// URI. Characters outside RFC 3986 unreserved and "/" are percent-encoded.
std::string path_to_uri(const std::string& path) {
  std::string out;
  if (!path.empty() && path.front() == '/') out = "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

json location_for(const core::IdentityRef& identity, const std::vector<core::Evidence>& evidence) {
  json physical;
  const core::Evidence* with_file = nullptr;
  for (const auto& item : evidence) {
    if (!item.source.file.empty() && item.source.file != "-") {
      with_file = &item;
      break;
    }
  }
  json region;
  if (with_file) {
    physical["artifactLocation"] = {{"uri", path_to_uri(with_file->source.file)}};
    if (with_file->source.offset >= 0) {
      region["byteOffset"] = with_file->source.offset;
      if (auto line = line_at_offset(with_file->source.file, with_file->source.offset)) region["startLine"] = *line;
    }
  } else {
    physical["artifactLocation"] = {{"uri", path_to_uri("keyward/" + identity.platform + "/" + identity.id)}};
  }
  // GitHub code scanning requires region.startLine; line 1 stands for "the whole artifact" when
  // no line is known.
  if (!region.contains("startLine")) region["startLine"] = 1;
  physical["region"] = region;
  const std::string qualified = identity.platform + "/" + identity.id;
  json logical = {{"name", identity.name.empty() ? identity.id : identity.name},
                  {"fullyQualifiedName", qualified},
                  {"kind", "resource"}};
  return {{"physicalLocation", physical}, {"logicalLocations", json::array({logical})}};
}

json rule_json(const RuleInfo& rule, int max_score) {
  const std::string title = rule.title.empty() ? rule.id : rule.title;
  json out = {{"id", rule.id},
              {"name", rule.id},
              {"shortDescription", {{"text", title}}},
              {"defaultConfiguration", {{"level", sarif_level(rule.severity)}}}};
  if (!rule.description.empty()) {
    out["fullDescription"] = {{"text", rule.description}};
    out["help"] = {{"text", rule.description}};
  }
  json tags = json::array({"security", "non-human-identity"});
  if (!rule.owasp.empty()) tags.push_back("owasp-nhi-2025:" + rule.owasp);
  out["properties"] = {{"tags", tags}, {"security-severity", security_severity(max_score)}};
  if (!rule.owasp.empty()) out["properties"]["owasp"] = rule.owasp;
  return out;
}

std::string message_text(const std::string& title, const core::IdentityRef& identity, const std::string& remediation) {
  std::string text = fmt::format("{}: {} ({})", title, identity.name.empty() ? identity.id : identity.name, identity.platform);
  if (!remediation.empty()) text += ". " + remediation;
  return text;
}

}  // namespace

std::string security_severity(int score) {
  const int clamped = std::clamp(score, 0, 100);
  return fmt::format("{:.1f}", clamped / 10.0);
}

json sarif_log(const ReportInput& input, bool include_findings, bool include_alerts) {
  // Rules first: one per rule id that produced a result, with the highest score among them as
  // its security-severity, because GitHub reads security-severity from the rule only.
  std::map<std::string, int> max_score;
  std::map<std::string, RuleInfo> used;
  auto note_rule = [&](const std::string& id, const std::string& title, core::Severity severity, const std::string& owasp,
                       int score) {
    auto known = input.rules.find(id);
    RuleInfo rule = known != input.rules.end() ? known->second : RuleInfo{id, title, "", owasp, severity};
    if (rule.owasp.empty()) rule.owasp = owasp;
    used.emplace(id, rule);
    max_score[id] = std::max(max_score[id], score);
  };
  if (include_findings) {
    for (const auto& finding : input.findings) note_rule(finding.rule, finding.title, finding.severity, finding.owasp, finding.score);
  }
  if (include_alerts) {
    for (const auto& alert : input.alerts) note_rule(alert.detector, alert.title, alert.severity, "", alert.score);
  }
  json rules = json::array();
  std::map<std::string, size_t> rule_index;
  for (const auto& [id, rule] : used) {
    rule_index[id] = rules.size();
    rules.push_back(rule_json(rule, max_score[id]));
  }

  json results = json::array();
  if (include_findings) {
    for (const auto& finding : input.findings) {
      json result = {
          {"ruleId", finding.rule},
          {"ruleIndex", rule_index[finding.rule]},
          {"level", sarif_level(finding.severity)},
          {"message", {{"text", message_text(finding.title, finding.identity, finding.remediation)}}},
          {"locations", json::array({location_for(finding.identity, finding.evidence)})},
          {"partialFingerprints", {{kFingerprintKey, core::finding_id(finding)}}},
      };
      json properties = {{"id", core::finding_id(finding)},
                         {"score", finding.score},
                         {"severity", core::to_string(finding.severity)},
                         {"status", core::to_string(finding.status)},
                         {"identity", core::to_json(finding.identity)},
                         {"evidence", core::to_json(finding.evidence)}};
      if (!finding.owasp.empty()) properties["owasp"] = finding.owasp;
      if (!finding.credential_id.empty()) properties["credential"] = finding.credential_id;
      properties.update(core::finding_details_json(finding));
      if (!finding.status_reason.empty()) properties["status_reason"] = finding.status_reason;
      properties["recurring"] = finding.recurring;
      result["properties"] = properties;
      // SARIF's own triage states: muted and acknowledged results are suppressed, resolved ones absent.
      if (finding.status == core::FindingStatus::muted || finding.status == core::FindingStatus::acknowledged) {
        json suppression = {{"kind", "external"}, {"status", "accepted"}};
        if (!finding.status_reason.empty()) suppression["justification"] = finding.status_reason;
        result["suppressions"] = json::array({suppression});
      }
      if (finding.status == core::FindingStatus::resolved) result["baselineState"] = "absent";
      results.push_back(result);
    }
  }
  if (include_alerts) {
    for (const auto& alert : input.alerts) {
      json result = {
          {"ruleId", alert.detector},
          {"ruleIndex", rule_index[alert.detector]},
          {"level", sarif_level(alert.severity)},
          {"message", {{"text", message_text(alert.title, alert.identity, alert.remediation)}}},
          {"locations", json::array({location_for(alert.identity, alert.evidence)})},
          {"partialFingerprints", {{kFingerprintKey, alert_id(alert)}}},
          {"properties",
           {{"id", alert_id(alert)},
            {"score", alert.score},
            {"severity", core::to_string(alert.severity)},
            {"status", core::to_string(alert.status)},
            {"time", core::format_time(alert.time)},
            {"identity", core::to_json(alert.identity)},
            {"evidence", core::to_json(alert.evidence)}}},
      };
      if (!alert.credential_id.empty()) result["properties"]["credential"] = alert.credential_id;
      results.push_back(result);
    }
  }

  json driver = {{"name", kToolName},
                 {"version", tool_version()},
                 {"semanticVersion", tool_version()},
                 {"informationUri", kToolInformationUri},
                 {"rules", rules}};
  json run = {{"tool", {{"driver", driver}}},
              {"automationDetails", {{"id", include_alerts && !include_findings ? "keyward/alerts/" : "keyward/findings/"}}},
              {"columnKind", "unicodeCodePoints"},
              {"results", results},
              {"properties", {{"generated", core::format_time(input.generated)}}}};
  return {{"$schema", kSchemaUri}, {"version", "2.1.0"}, {"runs", json::array({run})}};
}

}  // namespace keyward::report
