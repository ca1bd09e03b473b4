#include <fmt/format.h>

#include "core/time.hpp"
#include "report/exposures_output.hpp"
#include "report/html.hpp"

namespace keyward::report {
namespace {

constexpr std::string_view kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2330;background:#fafbfc}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#5b6475;margin:0 0 16px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e3e7ee;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;white-space:nowrap}
code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#f0f2f5;padding:1px 3px;word-break:break-all}
)css";

std::string exposure_row(const core::Exposure& exposure) {
  std::string locations;
  for (const auto& location : exposure.locations) {
    if (!locations.empty()) locations += "<br>";
    locations += "<code>" + html_escape(location_text(location)) + "</code>";
  }
  return fmt::format("<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
                     html_escape(core::to_string(exposure_severity(exposure))), html_escape(exposure.rule_id),
                     html_escape(exposure.service), html_escape(exposure.redacted), locations,
                     html_escape(exposure.matched_identity_id.empty() ? "-" : exposure.matched_identity_id));
}

}  // namespace

std::string exposures_html(const secrets::ScanResult& result, core::UnixTime generated) {
  // Every string from the scan is escaped, because file names and reasons come from the
  // scanned inputs, which an attacker can choose.
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>keyward secret scan</title>"
      "<style>{}</style></head><body>\n<h1>Secret scan</h1>\n<p class=\"meta\">{} &middot; generated {}</p>\n",
      kStyle, html_escape(scan_summary_text(result)), html_escape(core::format_time(generated)));

  out += fmt::format("<h2>Exposures ({})</h2>\n", result.exposures.size());
  if (result.exposures.empty()) {
    out += "<p>No secrets found.</p>\n";
  } else {
    out += "<table><thead><tr><th>Severity</th><th>Rule</th><th>Service</th><th>Secret</th><th>Locations</th>"
           "<th>Identity</th></tr></thead><tbody>\n";
    for (const core::Exposure* exposure : exposures_by_priority(result.exposures)) out += exposure_row(*exposure);
    out += "</tbody></table>\n";
  }

  if (!result.not_scanned.empty()) {
    out += fmt::format("<h2>Not scanned ({})</h2>\n<ul>\n", result.not_scanned.size());
    for (const auto& input : result.not_scanned) {
      out += fmt::format("<li><code>{}</code>: {}</li>\n", html_escape(input.path), html_escape(input.reason));
    }
    out += "</ul>\n";
  }
  out += "</body></html>\n";
  return out;
}

}  // namespace keyward::report
