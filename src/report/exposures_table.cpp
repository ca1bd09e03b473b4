#include <fmt/format.h>

#include "core/model_json.hpp"
#include "report/csv.hpp"
#include "report/exposures_output.hpp"
#include "report/table.hpp"

namespace keyward::report {
namespace {

// File names and reasons can hold control characters (an attacker can name a file with terminal
// escapes), so they are shown as spaces, as Table does for its cells.
std::string printable(std::string text) {
  for (auto& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return text;
}

std::string plural(std::uint64_t count, std::string_view singular, std::string_view plural_form) {
  return fmt::format("{} {}", count, count == 1 ? singular : plural_form);
}

}  // namespace

std::string scan_summary_text(const secrets::ScanResult& result) {
  std::string line = fmt::format("Scanned {} ({}", plural(result.blobs, "blob", "blobs"), plural(result.bytes, "byte", "bytes"));
  if (result.binary_blobs > 0) line += fmt::format(", {} binary", result.binary_blobs);
  line += fmt::format("): {}, {} suppressed", plural(result.exposures.size(), "exposure", "exposures"), result.suppressed);
  if (result.baseline_matches > 0) line += fmt::format(" ({} by the baseline)", result.baseline_matches);
  line += fmt::format(", {} not scanned.", plural(result.not_scanned.size(), "input", "inputs"));
  return line;
}

std::string exposures_table(const secrets::ScanResult& result, std::size_t width) {
  std::string out;
  if (result.exposures.empty()) {
    out += "No secrets found.\n";
  } else {
    // The identity column is shown only when the inventory join matched something, so that a
    // scan without a store keeps room for the rule and location.
    bool any_identity = false;
    for (const auto& exposure : result.exposures) any_identity = any_identity || !exposure.matched_identity_id.empty();
    std::vector<Column> columns = {{"RULE", 10, true}, {"SERVICE", 6, true}, {"SECRET", 8}, {"LOCATION", 16, true}, {"COUNT", 5}};
    if (any_identity) columns.push_back({"IDENTITY", 10, true});
    Table table(std::move(columns));
    for (const core::Exposure* exposure : exposures_by_priority(result.exposures)) {
      const std::string first = exposure->locations.empty() ? "-" : location_text(exposure->locations.front());
      std::vector<std::string> row = {exposure->rule_id, exposure->service, exposure->redacted, first,
                                      std::to_string(exposure->locations.size())};
      if (any_identity) row.push_back(exposure->matched_identity_id.empty() ? "-" : exposure->matched_identity_id);
      table.add_row(std::move(row));
    }
    out += table.render(width);
  }

  if (!result.not_scanned.empty()) {
    // Reasons are printed whole, never cut to the width, because they end with the fix.
    out += fmt::format("\nNot scanned ({}):\n", result.not_scanned.size());
    for (const auto& input : result.not_scanned) out += fmt::format("  {}: {}\n", printable(input.path), printable(input.reason));
  }
  out += "\n" + scan_summary_text(result) + "\n";
  return out;
}

std::string exposures_csv(const secrets::ScanResult& result) {
  // One record per location, then one per input not scanned, which has only path and reason.
  std::string out = csv_row({"kind", "fingerprint", "rule_id", "service", "severity", "redacted", "checksum_valid",
                             "verification", "path", "line", "column", "commit", "author", "encoding",
                             "matched_identity_id", "matched_credential_id", "reason"});
  for (const core::Exposure* exposure : exposures_by_priority(result.exposures)) {
    for (const auto& location : exposure->locations) {
      out += csv_row({"exposure", exposure->fingerprint, exposure->rule_id, exposure->service,
                      std::string(core::to_string(exposure_severity(*exposure))), exposure->redacted,
                      exposure->checksum_valid ? "true" : "false", exposure->verification, location.path,
                      std::to_string(location.line), std::to_string(location.column), location.commit, location.author,
                      location.encoding, exposure->matched_identity_id, exposure->matched_credential_id, ""});
    }
  }
  for (const auto& input : result.not_scanned) {
    out += csv_row({"not_scanned", "", "", "", "", "", "", "", input.path, "", "", "", "", "", "", "", input.reason});
  }
  return out;
}

}  // namespace keyward::report
