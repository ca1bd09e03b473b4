#include "core/model.hpp"

#include "ingest/input_reader.hpp"

namespace keyward::core {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view text) {
  for (Severity severity : {Severity::info, Severity::low, Severity::medium, Severity::high, Severity::critical}) {
    if (to_string(severity) == text) return severity;
  }
  return std::nullopt;
}

std::string_view to_string(Classification classification) {
  switch (classification) {
    case Classification::machine: return "machine";
    case Classification::human: return "human";
    case Classification::unknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_string(FindingStatus status) {
  switch (status) {
    case FindingStatus::open: return "open";
    case FindingStatus::acknowledged: return "acknowledged";
    case FindingStatus::resolved: return "resolved";
    case FindingStatus::muted: return "muted";
  }
  return "open";
}

std::string finding_id(const Finding& finding) {
  std::string key = finding.rule;
  for (const std::string* part : {&finding.identity.platform, &finding.identity.id, &finding.credential_id}) {
    key.push_back('\x1f');
    key.append(*part);
  }
  return ingest::sha256_hex(key).substr(0, 16);
}

}  // namespace keyward::core
