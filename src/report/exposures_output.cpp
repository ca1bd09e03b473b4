#include "report/exposures_output.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/model_json.hpp"
#include "core/time.hpp"

namespace keyward::report {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<ScanFormat, std::string_view>, 4> kScanFormatNames = {{
    {ScanFormat::table, "table"},
    {ScanFormat::json, "json"},
    {ScanFormat::sarif, "sarif"},
    {ScanFormat::ocsf, "ocsf"},
}};

json location_json(const core::ExposureLocation& location) {
  return {{"path", location.path},
          {"line", location.line},
          {"column", location.column},
          {"commit", location.commit},
          {"author", location.author},
          {"commit_time", core::optional_time_json(location.commit_time)},
          {"encoding", location.encoding}};
}

json exposure_json(const core::Exposure& exposure) {
  json locations = json::array();
  for (const auto& location : exposure.locations) locations.push_back(location_json(location));
  return {{"fingerprint", exposure.fingerprint},
          {"rule_id", exposure.rule_id},
          {"rule_name", exposure.rule_name},
          {"service", exposure.service},
          {"category", exposure.category},
          {"severity", core::to_string(exposure_severity(exposure))},
          {"redacted", exposure.redacted},
          {"checksum_valid", exposure.checksum_valid},
          {"platform", exposure.platform},
          {"credential_kind", exposure.credential_kind},
          {"identifier", exposure.identifier},
          {"join_key", exposure.join_key},
          {"paired_fingerprint", exposure.paired_fingerprint},
          {"verification", exposure.verification},
          {"matched_credential_id", exposure.matched_credential_id},
          {"matched_identity_id", exposure.matched_identity_id},
          {"first_seen", core::optional_time_json(exposure.first_seen)},
          {"last_seen", core::optional_time_json(exposure.last_seen)},
          {"locations", locations}};
}

// Readers for scan_result_from_json that never throw: a missing or mistyped member gives the default.
std::string string_member(const json& object, std::string_view key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

long long integer_member(const json& object, std::string_view key) {
  auto found = object.find(key);
  return found != object.end() && found->is_number_integer() ? found->get<long long>() : 0;
}

bool bool_member(const json& object, std::string_view key) {
  auto found = object.find(key);
  return found != object.end() && found->is_boolean() && found->get<bool>();
}

std::optional<core::UnixTime> time_member(const json& object, std::string_view key) {
  const std::string text = string_member(object, key);
  return text.empty() ? std::nullopt : core::parse_time(text);
}

const json& array_member(const json& object, std::string_view key) {
  static const json kEmpty = json::array();
  auto found = object.find(key);
  return found != object.end() && found->is_array() ? *found : kEmpty;
}

core::ExposureLocation location_from_json(const json& item) {
  core::ExposureLocation location;
  location.path = string_member(item, "path");
  location.line = integer_member(item, "line");
  location.column = integer_member(item, "column");
  location.commit = string_member(item, "commit");
  location.author = string_member(item, "author");
  location.commit_time = time_member(item, "commit_time");
  location.encoding = string_member(item, "encoding");
  return location;
}

core::Exposure exposure_from_json(const json& item) {
  core::Exposure exposure;
  exposure.fingerprint = string_member(item, "fingerprint");
  exposure.rule_id = string_member(item, "rule_id");
  exposure.rule_name = string_member(item, "rule_name");
  exposure.service = string_member(item, "service");
  exposure.category = string_member(item, "category");
  exposure.redacted = string_member(item, "redacted");
  exposure.checksum_valid = bool_member(item, "checksum_valid");
  exposure.platform = string_member(item, "platform");
  exposure.credential_kind = string_member(item, "credential_kind");
  exposure.identifier = string_member(item, "identifier");
  exposure.join_key = string_member(item, "join_key");
  exposure.paired_fingerprint = string_member(item, "paired_fingerprint");
  exposure.verification = string_member(item, "verification");
  exposure.matched_credential_id = string_member(item, "matched_credential_id");
  exposure.matched_identity_id = string_member(item, "matched_identity_id");
  exposure.first_seen = time_member(item, "first_seen");
  exposure.last_seen = time_member(item, "last_seen");
  for (const auto& location : array_member(item, "locations")) {
    if (location.is_object()) exposure.locations.push_back(location_from_json(location));
  }
  return exposure;
}

std::uint64_t count_member(const json& object, std::string_view key) {
  auto found = object.find(key);
  return found != object.end() && found->is_number_unsigned() ? found->get<std::uint64_t>() : 0;
}

}  // namespace

std::string_view to_string(ScanFormat format) {
  for (const auto& [value, name] : kScanFormatNames) {
    if (value == format) return name;
  }
  return "table";
}

std::optional<ScanFormat> parse_scan_format(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [value, name] : kScanFormatNames) {
    if (name == lower) return value;
  }
  return std::nullopt;
}

int exposure_priority(const core::Exposure& exposure) {
  // NOTE: an Exposure does not carry the matched credential's inventory status, so a match with
  // a deleted or inactive credential ranks first too unless --verify found the secret inactive.
  if (exposure.verification == "inactive") return 3;
  if (exposure.verification == "active" || !exposure.matched_credential_id.empty()) return 0;
  if (exposure.checksum_valid) return 1;
  return 2;
}

core::Severity exposure_severity(const core::Exposure& exposure) {
  switch (exposure_priority(exposure)) {
    case 0: return core::Severity::critical;
    case 1: return core::Severity::high;
    case 2: return exposure.category == "generic" ? core::Severity::medium : core::Severity::high;
    default: return core::Severity::low;
  }
}

std::vector<const core::Exposure*> exposures_by_priority(const std::vector<core::Exposure>& exposures) {
  std::vector<const core::Exposure*> ordered;
  ordered.reserve(exposures.size());
  for (const auto& exposure : exposures) ordered.push_back(&exposure);
  std::stable_sort(ordered.begin(), ordered.end(), [](const core::Exposure* a, const core::Exposure* b) {
    return exposure_priority(*a) < exposure_priority(*b);
  });
  return ordered;
}

std::string location_text(const core::ExposureLocation& location) {
  std::string text = location.path;
  if (location.line > 0) text += ":" + std::to_string(location.line);
  if (!location.commit.empty()) text += "@" + location.commit.substr(0, 7);
  return text;
}

json scan_summary_json(const secrets::ScanResult& result) {
  std::uint64_t locations = 0;
  for (const auto& exposure : result.exposures) locations += exposure.locations.size();
  return {{"blobs", result.blobs},
          {"bytes", result.bytes},
          {"binary_blobs", result.binary_blobs},
          {"exposures", result.exposures.size()},
          {"locations", locations},
          {"suppressed", result.suppressed},
          {"baseline_matches", result.baseline_matches},
          {"not_scanned", result.not_scanned.size()}};
}

json not_scanned_json(const secrets::ScanResult& result) {
  json not_scanned = json::array();
  for (const auto& input : result.not_scanned) not_scanned.push_back({{"path", input.path}, {"reason", input.reason}});
  return not_scanned;
}

json exposures_json(const secrets::ScanResult& result) {
  json exposures = json::array();
  for (const auto& exposure : result.exposures) exposures.push_back(exposure_json(exposure));
  return {{"exposures", exposures}, {"not_scanned", not_scanned_json(result)}, {"summary", scan_summary_json(result)}};
}

secrets::ScanResult scan_result_from_json(const json& document) {
  secrets::ScanResult result;
  if (!document.is_object()) return result;
  for (const auto& item : array_member(document, "exposures")) {
    if (item.is_object()) result.exposures.push_back(exposure_from_json(item));
  }
  for (const auto& item : array_member(document, "not_scanned")) {
    if (item.is_object()) result.not_scanned.push_back({string_member(item, "path"), string_member(item, "reason")});
  }
  auto summary = document.find("summary");
  if (summary != document.end() && summary->is_object()) {
    result.blobs = count_member(*summary, "blobs");
    result.bytes = count_member(*summary, "bytes");
    result.binary_blobs = count_member(*summary, "binary_blobs");
    result.suppressed = count_member(*summary, "suppressed");
    result.baseline_matches = count_member(*summary, "baseline_matches");
  }
  return result;
}

const secrets::SecretRule* find_rule(const ScanReportOptions& options, std::string_view id) {
  if (options.rules == nullptr) return nullptr;
  for (const auto& rule : *options.rules) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

std::string dump_json(const json& value, int indent) {
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string render_exposures(const secrets::ScanResult& result, ScanFormat format, const ScanReportOptions& options) {
  switch (format) {
    case ScanFormat::table: return exposures_table(result, options.table_width);
    case ScanFormat::json: return dump_json(exposures_json(result), 2) + "\n";
    case ScanFormat::sarif: return dump_json(exposures_sarif(result, options), 2) + "\n";
    case ScanFormat::ocsf: {
      std::string out;
      for (const auto& exposure : result.exposures) out += dump_json(ocsf_exposure_finding(exposure, options), -1) + "\n";
      out += dump_json(ocsf_scan_activity(result, options), -1) + "\n";
      return out;
    }
  }
  return "";
}

std::string render_exposures(const secrets::ScanResult& result, ReportFormat format, std::size_t table_width) {
  ScanReportOptions options;
  options.rules = &secrets::builtin_rules();
  options.generated = core::now();
  options.table_width = table_width;
  switch (format) {
    case ReportFormat::table: return render_exposures(result, ScanFormat::table, options);
    case ReportFormat::json: return render_exposures(result, ScanFormat::json, options);
    case ReportFormat::sarif: return render_exposures(result, ScanFormat::sarif, options);
    case ReportFormat::ocsf: return render_exposures(result, ScanFormat::ocsf, options);
    case ReportFormat::csv: return exposures_csv(result);
    case ReportFormat::html: return exposures_html(result, options.generated);
  }
  return "";
}

}  // namespace keyward::report
