#include <fmt/format.h>

#include <cctype>
#include <map>

#include "core/model_json.hpp"
#include "ingest/input_reader.hpp"
#include "report/exposures_output.hpp"
#include "report/findings_output.hpp"

namespace keyward::report {
namespace {

using nlohmann::json;

constexpr std::string_view kSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
// partialFingerprints keys, versioned so a change of scheme does not match old results. The first
// is the secret's keyed fingerprint. The second adds the path, so that one secret in two files
// stays two alerts in GitHub code scanning.
constexpr std::string_view kSecretFingerprintKey = "keywardSecretFingerprint/v1";
constexpr std::string_view kSecretLocationKey = "keywardSecretLocation/v1";
constexpr std::string_view kNotScannedId = "keyward.scan.not_scanned";

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

// GitHub's security-severity: above 9.0 is critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, below 4.0 low.
std::string_view security_severity_of(core::Severity severity) {
  switch (severity) {
    case core::Severity::critical: return "9.5";
    case core::Severity::high: return "8.0";
    case core::Severity::medium: return "5.5";
    case core::Severity::low: return "3.0";
    case core::Severity::info: return "1.0";
  }
  return "5.5";
}

// A relative path stays relative (GitHub resolves it against the repository root) without a
// leading "./", and an absolute one becomes a file:// URI. Bytes outside RFC 3986 unreserved
// characters and "/" are percent-encoded, so "outer.zip!inner/file" becomes "outer.zip%21inner/file".
std::string path_to_uri(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
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

json rule_json(const core::Exposure& exposure, const secrets::SecretRule* rule, core::Severity max_severity) {
  const std::string name = rule ? std::string(rule->name) : exposure.rule_name;
  const std::string service = rule ? std::string(rule->service) : exposure.service;
  const std::string title = name.empty() ? exposure.rule_id : name;
  const std::string help = fmt::format(
      "A {} credential was found in files or history. Revoke or rotate it at {} first, because anyone who could read "
      "it may have copied it. Then remove it from the files and rewrite the history that contains it.",
      service.empty() ? "secret" : service, service.empty() ? "its issuer" : service);
  json out = {{"id", exposure.rule_id},
              {"name", exposure.rule_id},
              {"shortDescription", {{"text", title}}},
              {"fullDescription", {{"text", title + (service.empty() ? "" : " (" + service + ")")}}},
              {"help", {{"text", help}}},
              {"defaultConfiguration", {{"level", sarif_level(max_severity)}}}};
  if (rule && std::string_view(rule->reference).starts_with("https://")) out["helpUri"] = rule->reference;
  json tags = json::array({"security", "secret"});
  if (!exposure.category.empty()) tags.push_back(exposure.category);
  out["properties"] = {{"tags", tags}, {"security-severity", security_severity_of(max_severity)}};
  return out;
}

json result_json(const core::Exposure& exposure, const core::ExposureLocation& location, std::size_t rule_index) {
  std::string text =
      fmt::format("{} {}", exposure.rule_name.empty() ? exposure.rule_id : exposure.rule_name, exposure.redacted);
  if (exposure.locations.size() > 1) {
    text += fmt::format(" (location {} of {})", &location - exposure.locations.data() + 1, exposure.locations.size());
  }
  if (!exposure.matched_identity_id.empty()) text += ". It authenticates " + exposure.matched_identity_id;
  if (!exposure.verification.empty()) text += ". Verification: " + exposure.verification;
  text += ".";

  json region = {{"startLine", std::max(1LL, location.line)}};
  if (location.column >= 1) region["startColumn"] = location.column;
  json physical = {{"artifactLocation", {{"uri", path_to_uri(location.path)}}}, {"region", region}};

  json properties = {{"fingerprint", exposure.fingerprint},
                     {"redacted", exposure.redacted},
                     {"checksum_valid", exposure.checksum_valid},
                     {"severity", core::to_string(exposure_severity(exposure))}};
  if (!location.commit.empty()) {
    properties["commit"] = location.commit;
    properties["author"] = location.author;
    properties["commit_time"] = core::optional_time_json(location.commit_time);
  }
  if (!location.encoding.empty()) properties["encoding"] = location.encoding;
  if (!exposure.verification.empty()) properties["verification"] = exposure.verification;
  if (!exposure.matched_identity_id.empty()) {
    properties["matched_identity_id"] = exposure.matched_identity_id;
    properties["matched_credential_id"] = exposure.matched_credential_id;
  }
  const std::string location_key = ingest::sha256_hex(exposure.fingerprint + '\x1f' + location.path).substr(0, 32);
  return {{"ruleId", exposure.rule_id},
          {"ruleIndex", rule_index},
          {"level", sarif_level(exposure_severity(exposure))},
          {"message", {{"text", text}}},
          {"locations", json::array({{{"physicalLocation", physical}}})},
          {"partialFingerprints", {{kSecretFingerprintKey, exposure.fingerprint}, {kSecretLocationKey, location_key}}},
          {"properties", properties}};
}

json invocation_json(const secrets::ScanResult& result) {
  json notifications = json::array();
  for (const auto& input : result.not_scanned) {
    json location = {{"physicalLocation", {{"artifactLocation", {{"uri", path_to_uri(input.path)}}}}}};
    notifications.push_back({{"level", "warning"},
                             {"message", {{"text", fmt::format("Not scanned: {}: {}", input.path, input.reason)}}},
                             {"descriptor", {{"id", kNotScannedId}}},
                             {"locations", json::array({location})}});
  }
  // The scan finished, so the execution succeeded even when some inputs could not be read.
  return {{"executionSuccessful", true}, {"toolExecutionNotifications", notifications}};
}

}  // namespace

json exposures_sarif(const secrets::ScanResult& result, const ScanReportOptions& options) {
  // One rule per rule id, at the highest severity among its exposures, because GitHub reads
  // security-severity from the rule only.
  std::map<std::string, const core::Exposure*> first_exposure;
  std::map<std::string, core::Severity> max_severity;
  for (const auto& exposure : result.exposures) {
    first_exposure.emplace(exposure.rule_id, &exposure);
    auto [entry, inserted] = max_severity.emplace(exposure.rule_id, exposure_severity(exposure));
    if (!inserted) entry->second = std::max(entry->second, exposure_severity(exposure));
  }
  json rules = json::array();
  std::map<std::string, std::size_t> rule_index;
  for (const auto& [id, exposure] : first_exposure) {
    rule_index[id] = rules.size();
    rules.push_back(rule_json(*exposure, find_rule(options, id), max_severity[id]));
  }

  json results = json::array();
  for (const auto& exposure : result.exposures) {
    for (const auto& location : exposure.locations) results.push_back(result_json(exposure, location, rule_index[exposure.rule_id]));
  }

  json driver = {{"name", kToolName},
                 {"version", tool_version()},
                 {"semanticVersion", tool_version()},
                 {"informationUri", kToolInformationUri},
                 {"rules", rules}};
  json properties = {{"summary", scan_summary_json(result)}};
  if (options.generated != 0) properties["generated"] = core::format_time(options.generated);
  // NOTE: ExposureLocation::column counts bytes while SARIF counts code points, so startColumn
  // is exact only where the line before the secret is ASCII.
  json run = {{"tool", {{"driver", driver}}},
              {"automationDetails", {{"id", "keyward/scan/"}}},
              {"columnKind", "unicodeCodePoints"},
              {"invocations", json::array({invocation_json(result)})},
              {"results", results},
              {"properties", properties}};
  return {{"$schema", kSchemaUri}, {"version", "2.1.0"}, {"runs", json::array({run})}};
}

}  // namespace keyward::report
