#include <fmt/format.h>

#include "core/model_json.hpp"
#include "report/exposures_output.hpp"
#include "report/findings_output.hpp"
#include "report/ocsf.hpp"

namespace keyward::report {
namespace {

using nlohmann::json;

constexpr int kOcsfScanActivity = 6007;

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

json metadata_json() {
  return {{"version", kOcsfVersion},
          {"product", {{"name", kToolName}, {"vendor_name", kToolVendor}, {"version", tool_version()}}}};
}

// confidence_id 1 Low, 2 Medium, 3 High: a passed checksum or an active verification is
// near-certain, a specific format is likely, a generic keyword match is a guess.
std::pair<int, std::string_view> confidence(const core::Exposure& exposure) {
  if (exposure.checksum_valid || exposure.verification == "active") return {3, "High"};
  if (exposure.category == "generic") return {1, "Low"};
  return {2, "Medium"};
}

std::string base_name(const std::string& path) {
  const std::size_t slash = path.find_last_of("/!");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// One Evidence Artifacts object per location, with the file and, in data, where in it.
json evidences_json(const core::Exposure& exposure) {
  json evidences = json::array();
  for (const auto& location : exposure.locations) {
    const std::string name = base_name(location.path);
    json data = {{"line", location.line}, {"column", location.column}};
    if (!location.commit.empty()) {
      data["commit"] = location.commit;
      data["author"] = location.author;
      data["commit_time"] = core::optional_time_json(location.commit_time);
    }
    if (!location.encoding.empty()) data["encoding"] = location.encoding;
    evidences.push_back({{"file", {{"name", name.empty() ? location.path : name}, {"path", location.path}, {"type_id", 1}}},
                         {"data", data}});
  }
  return evidences;
}

json unmapped_json(const core::Exposure& exposure) {
  json locations = json::array();
  for (const auto& location : exposure.locations) {
    locations.push_back({{"path", location.path}, {"line", location.line}, {"column", location.column}, {"commit", location.commit}});
  }
  return {{"fingerprint", exposure.fingerprint},
          {"redacted", exposure.redacted},
          {"rule_id", exposure.rule_id},
          {"service", exposure.service},
          {"category", exposure.category},
          {"checksum_valid", exposure.checksum_valid},
          {"verification", exposure.verification},
          {"platform", exposure.platform},
          {"credential_kind", exposure.credential_kind},
          {"identifier", exposure.identifier},
          {"paired_fingerprint", exposure.paired_fingerprint},
          {"matched_credential_id", exposure.matched_credential_id},
          {"matched_identity_id", exposure.matched_identity_id},
          {"locations", locations}};
}

}  // namespace

json ocsf_exposure_finding(const core::Exposure& exposure, const ScanReportOptions& options) {
  json event;
  const int severity_id = ocsf_severity_id(exposure_severity(exposure));
  event["category_uid"] = 2;
  event["category_name"] = "Findings";
  event["class_uid"] = kOcsfDetectionFinding;
  event["class_name"] = "Detection Finding";
  event["activity_id"] = 1;
  event["activity_name"] = "Create";
  event["type_uid"] = kOcsfDetectionFinding * 100 + 1;
  event["severity_id"] = severity_id;
  event["severity"] = severity_caption(severity_id);
  event["status_id"] = 1;
  event["status"] = "New";

  event["time"] = ocsf_time(options.generated != 0 ? options.generated : exposure.last_seen.value_or(0));
  event["metadata"] = metadata_json();
  event["is_alert"] = true;
  const auto [confidence_id, confidence_name] = confidence(exposure);
  event["confidence_id"] = confidence_id;
  event["confidence"] = confidence_name;

  const secrets::SecretRule* rule = find_rule(options, exposure.rule_id);
  const std::string title = exposure.rule_name.empty() ? exposure.rule_id : exposure.rule_name;
  event["message"] = fmt::format("{} {} found in {} location{}", title, exposure.redacted, exposure.locations.size(),
                                 exposure.locations.size() == 1 ? "" : "s");
  json info = {{"uid", exposure.fingerprint},
               {"title", title},
               {"desc", fmt::format("{} credential exposed in files or history", exposure.service.empty() ? "A" : exposure.service)},
               {"types", json::array({exposure.rule_id})}};
  if (exposure.first_seen) {
    info["created_time"] = ocsf_time(*exposure.first_seen);
    info["first_seen_time"] = ocsf_time(*exposure.first_seen);
  }
  if (exposure.last_seen) info["last_seen_time"] = ocsf_time(*exposure.last_seen);
  event["finding_info"] = info;
  event["evidences"] = evidences_json(exposure);

  if (!exposure.matched_identity_id.empty()) {
    json resource = {{"uid", exposure.matched_identity_id}, {"name", exposure.matched_identity_id}, {"type", "identity"}};
    resource["labels"] = json::array();
    if (!exposure.platform.empty()) resource["labels"].push_back("platform:" + exposure.platform);
    if (!exposure.matched_credential_id.empty()) resource["labels"].push_back("credential:" + exposure.matched_credential_id);
    event["resources"] = json::array({resource});
  }
  event["remediation"] = {
      {"desc", fmt::format("Revoke or rotate the credential at {} first, because anyone who could read these files may "
                           "have copied it. Then remove it from the files and rewrite the git history that contains it.",
                           exposure.service.empty() ? "its issuer" : exposure.service)}};
  event["unmapped"] = unmapped_json(exposure);
  // Where the credential format is documented, as the SARIF rule's helpUri.
  if (rule && !rule->reference.empty()) event["unmapped"]["reference"] = rule->reference;
  return event;
}

json ocsf_scan_activity(const secrets::ScanResult& result, const ScanReportOptions& options) {
  // Severity Informational, or Medium when inputs were not scanned: the scan then does not
  // prove those inputs clean.
  const int severity_id = result.not_scanned.empty() ? 1 : 3;
  json event;
  event["category_uid"] = 6;
  event["category_name"] = "Application Activity";
  event["class_uid"] = kOcsfScanActivity;
  event["class_name"] = "Scan Activity";
  event["activity_id"] = 2;
  event["activity_name"] = "Completed";
  event["type_uid"] = kOcsfScanActivity * 100 + 2;
  event["severity_id"] = severity_id;
  event["severity"] = severity_caption(severity_id);
  event["status_id"] = 1;
  event["status"] = "Success";

  event["time"] = ocsf_time(options.generated);
  event["metadata"] = metadata_json();
  event["message"] = fmt::format("Secret scan completed: {} blob{} scanned, {} exposure{}, {} input{} not scanned",
                                 result.blobs, result.blobs == 1 ? "" : "s", result.exposures.size(),
                                 result.exposures.size() == 1 ? "" : "s", result.not_scanned.size(),
                                 result.not_scanned.size() == 1 ? "" : "s");

  // scan.type_id 99 Other: OCSF's scan types describe what started a malware scan, which does
  // not apply here.
  event["scan"] = {{"type_id", 99}, {"type", "secret scan"}, {"name", "keyward scan"}};
  event["num_files"] = result.blobs;
  event["total"] = result.blobs;
  event["num_detections"] = result.exposures.size();
  event["num_skipped_items"] = result.not_scanned.size();
  event["unmapped"] = {{"summary", scan_summary_json(result)}, {"not_scanned", not_scanned_json(result)}};
  return event;
}

}  // namespace keyward::report
