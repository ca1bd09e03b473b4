#include "report/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "report/table.hpp"

namespace keyward::report {
namespace {

constexpr std::array<core::Severity, 5> kSeverities = {core::Severity::critical, core::Severity::high,
                                                        core::Severity::medium, core::Severity::low, core::Severity::info};

constexpr std::string_view kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2330;background:#fafbfc}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#5b6475;margin:0 0 16px}
.cards{display:flex;gap:10px;flex-wrap:wrap}
.card{background:#fff;border:1px solid #d8dde6;border-radius:6px;padding:8px 14px;min-width:84px}
.card b{display:block;font-size:20px}
.charts{display:flex;gap:18px;flex-wrap:wrap}
.chart{background:#fff;border:1px solid #d8dde6;border-radius:6px;padding:8px}
.chart h3{font-size:13px;margin:0 0 6px}
.chart text{font-size:11px;fill:#1d2330}
.controls{margin:10px 0;display:flex;gap:8px}
.controls input{flex:1;max-width:420px;padding:5px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e3e7ee;padding:5px 8px;text-align:left;vertical-align:top}
th{cursor:pointer;background:#eef1f5;user-select:none;white-space:nowrap}
tr.row{cursor:pointer}tr.row:hover{background:#f3f6fa}
tr.detail td{background:#fbfcfd}
.sev{font-weight:600;border-radius:3px;padding:1px 6px;font-size:12px}
.sev-critical{background:#7a0916;color:#fff}.sev-high{background:#d1242f;color:#fff}
.sev-medium{background:#f0a202}.sev-low{background:#9ec5fe}.sev-info{background:#e3e7ee}
.detail h4{margin:8px 0 2px;font-size:13px}.detail ul{margin:2px 0 6px 18px;padding:0}
code{font:12px ui-monospace,Menlo,Consolas,monospace;background:#f0f2f5;padding:1px 3px;white-space:pre-wrap;word-break:break-all}
)css";

// Sorts by the clicked column (numbers as numbers) and filters on the row text and severity.
// Each result is one <tbody> holding its row and its hidden detail row, so both move together.
constexpr std::string_view kScript = R"js(
(function(){
  document.querySelectorAll('table.results').forEach(function(table){
    var section = table.closest('section');
    var filter = section.querySelector('input.filter');
    var severity = section.querySelector('select.severity');
    function apply(){
      var text = filter.value.toLowerCase();
      var level = severity.value;
      table.querySelectorAll('tbody.item').forEach(function(item){
        var match = item.textContent.toLowerCase().indexOf(text) >= 0 &&
                    (level === '' || item.dataset.severity === level);
        item.style.display = match ? '' : 'none';
      });
    }
    filter.addEventListener('input', apply);
    severity.addEventListener('change', apply);
    table.querySelectorAll('tr.row').forEach(function(row){
      row.addEventListener('click', function(){
        var detail = row.nextElementSibling;
        detail.hidden = !detail.hidden;
      });
    });
    table.querySelectorAll('th').forEach(function(header, column){
      var ascending = false;
      header.addEventListener('click', function(){
        ascending = !ascending;
        var items = Array.prototype.slice.call(table.querySelectorAll('tbody.item'));
        items.sort(function(a, b){
          var x = a.rows[0].cells[column].dataset.value || a.rows[0].cells[column].textContent;
          var y = b.rows[0].cells[column].dataset.value || b.rows[0].cells[column].textContent;
          var nx = parseFloat(x), ny = parseFloat(y);
          var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return ascending ? order : -order;
        });
        items.forEach(function(item){ table.appendChild(item); });
      });
    });
  });
})();
)js";

std::string severity_badge(core::Severity severity) {
  const std::string name(core::to_string(severity));
  return fmt::format(R"(<span class="sev sev-{0}">{0}</span>)", name);
}

std::string optional_time(const std::optional<core::UnixTime>& time) {
  return time ? core::format_time(*time) : std::string("-");
}

struct Bucket {
  long long risk = 0;
  size_t count = 0;
};

// A horizontal bar chart of total risk score per label, largest first, at most 12 bars.
std::string bar_chart(const std::string& title, const std::map<std::string, Bucket>& buckets) {
  std::vector<std::pair<std::string, Bucket>> bars(buckets.begin(), buckets.end());
  std::stable_sort(bars.begin(), bars.end(), [](const auto& a, const auto& b) { return a.second.risk > b.second.risk; });
  if (bars.size() > 12) bars.resize(12);
  long long max_risk = 1;
  for (const auto& bar : bars) max_risk = std::max(max_risk, bar.second.risk);

  constexpr int kLabelWidth = 130;
  constexpr int kBarWidth = 200;
  constexpr int kRowHeight = 20;
  const int height = std::max<int>(kRowHeight, static_cast<int>(bars.size()) * kRowHeight);
  std::string out = fmt::format(R"(<div class="chart"><h3>{}</h3><svg role="img" width="{}" height="{}" viewBox="0 0 {} {}">)",
                                html_escape(title), kLabelWidth + kBarWidth + 90, height, kLabelWidth + kBarWidth + 90, height);
  out += fmt::format("<title>{}</title>", html_escape(title));
  int y = 0;
  for (const auto& [label, bucket] : bars) {
    const long long width = std::max<long long>(1, bucket.risk * kBarWidth / max_risk);
    // Long labels are cut to fit the label column; the bar's tooltip has the full text.
    const std::string short_label = truncate(label, 22);
    out += fmt::format(R"(<text x="0" y="{}">{}</text>)", y + 14, html_escape(short_label));
    out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="14" fill="#4f6bd8"><title>{}: risk {} in {} results</title></rect>)",
                       kLabelWidth, y + 3, width, html_escape(label), bucket.risk, bucket.count);
    out += fmt::format(R"(<text x="{}" y="{}">{} ({})</text>)", kLabelWidth + width + 4, y + 14, bucket.risk, bucket.count);
    y += kRowHeight;
  }
  if (bars.empty()) out += R"(<text x="0" y="14">no results</text>)";
  out += "</svg></div>";
  return out;
}

std::string list_items(const std::vector<std::string>& items, bool as_code) {
  std::string out = "<ul>";
  for (const auto& item : items) {
    out += as_code ? "<li><code>" + html_escape(item) + "</code></li>" : "<li>" + html_escape(item) + "</li>";
  }
  return out + "</ul>";
}

std::string evidence_list(const std::vector<core::Evidence>& evidence) {
  std::string out = "<ul>";
  for (const auto& item : evidence) {
    out += "<li>";
    if (item.time) out += html_escape(core::format_time(*item.time)) + " ";
    out += html_escape(item.description);
    if (!item.source.file.empty()) {
      std::string where = item.source.file;
      if (item.source.offset >= 0) where += fmt::format(" @{}", item.source.offset);
      if (!item.source.record_id.empty()) where += " " + item.source.record_id;
      out += " <code>" + html_escape(where) + "</code>";
    }
    out += "</li>";
  }
  return out + "</ul>";
}

std::string summary_cards(const std::vector<core::Severity>& severities, size_t open_count) {
  std::map<core::Severity, size_t> counts;
  for (auto severity : severities) ++counts[severity];
  std::string out = R"(<div class="cards">)";
  out += fmt::format(R"(<div class="card"><b>{}</b>total</div>)", severities.size());
  out += fmt::format(R"(<div class="card"><b>{}</b>open</div>)", open_count);
  for (auto severity : kSeverities) {
    out += fmt::format(R"(<div class="card"><b>{}</b>{}</div>)", counts[severity], severity_badge(severity));
  }
  return out + "</div>";
}

std::string controls() {
  std::string out = R"(<div class="controls"><input class="filter" type="search" placeholder="Filter by any text" aria-label="Filter">)";
  out += R"(<select class="severity" aria-label="Severity"><option value="">all severities</option>)";
  for (auto severity : kSeverities) out += fmt::format(R"(<option value="{0}">{0}</option>)", core::to_string(severity));
  return out + "</select></div>";
}

std::string kind_of(const ReportInput& input, const core::IdentityRef& identity) {
  auto found = input.identity_kinds.find(identity_key(identity.platform, identity.id));
  return found != input.identity_kinds.end() ? found->second : "unknown";
}

std::string finding_detail(const core::Finding& finding, const ReportInput& input) {
  std::string out;
  if (auto rule = input.rules.find(finding.rule); rule != input.rules.end() && !rule->second.description.empty()) {
    out += "<p>" + html_escape(rule->second.description) + "</p>";
  }
  out += fmt::format("<p>Identity <code>{}</code> ({}, {}). Finding id <code>{}</code>. First seen {}, last seen {}.</p>",
                     html_escape(finding.identity.id), html_escape(finding.identity.platform),
                     html_escape(kind_of(input, finding.identity)), html_escape(core::finding_id(finding)),
                     html_escape(optional_time(finding.first_seen)), html_escape(optional_time(finding.last_seen)));
  if (!finding.credential_id.empty()) out += "<p>Credential <code>" + html_escape(finding.credential_id) + "</code></p>";
  if (!finding.status_reason.empty()) out += "<p>Status reason: " + html_escape(finding.status_reason) + "</p>";
  if (finding.recurring) out += "<p>Recurring: it was resolved before and returned.</p>";

  out += "<h4>Evidence</h4>" + evidence_list(finding.evidence);
  if (!finding.risk_factors.empty()) {
    out += "<h4>Risk factors</h4><ul>";
    for (const auto& factor : finding.risk_factors) {
      out += fmt::format("<li>{} +{}: {}</li>", html_escape(factor.name), factor.points, html_escape(factor.detail));
    }
    out += "</ul>";
  }

  const core::FindingContext& context = finding.context;
  std::vector<std::string> context_lines;
  if (!context.owner.empty()) context_lines.push_back("owner: " + context.owner + " (" + context.owner_status + ")");
  if (!context.team.empty()) context_lines.push_back("team: " + context.team);
  if (!context.vendor.empty()) context_lines.push_back("vendor: " + context.vendor);
  if (!context.environment.empty()) context_lines.push_back("environment: " + context.environment);
  for (const auto& target : context.connects_to) context_lines.push_back("connects to: " + target);
  if (!context_lines.empty()) out += "<h4>Context</h4>" + list_items(context_lines, false);

  out += "<h4>Remediation</h4><p>" + html_escape(finding.remediation) + "</p>";
  if (!finding.check_first.empty()) out += "<h4>Check first</h4>" + list_items(finding.check_first, false);
  if (!finding.remediation_steps.empty()) out += "<h4>Steps</h4>" + list_items(finding.remediation_steps, true);
  if (finding.safe_now) {
    out += fmt::format("<p>Safe to apply now: {}{}</p>", *finding.safe_now ? "yes" : "no",
                       finding.safe_reason.empty() ? "" : ". " + html_escape(finding.safe_reason));
  }
  return out;
}

std::string findings_section(const ReportInput& input) {
  std::map<std::string, Bucket> by_platform, by_kind, by_owasp;
  std::vector<core::Severity> severities;
  size_t open_count = 0;
  for (const auto& finding : input.findings) {
    for (auto* buckets : {&by_platform, &by_kind, &by_owasp}) {
      const std::string label = buckets == &by_platform ? finding.identity.platform
                                : buckets == &by_kind   ? kind_of(input, finding.identity)
                                                        : (finding.owasp.empty() ? "none" : finding.owasp);
      (*buckets)[label].risk += finding.score;
      ++(*buckets)[label].count;
    }
    severities.push_back(finding.severity);
    if (finding.status == core::FindingStatus::open) ++open_count;
  }
  std::string out = "<section><h2>Findings</h2>" + summary_cards(severities, open_count);
  out += R"(<div class="charts">)" + bar_chart("Risk by platform", by_platform) + bar_chart("Risk by identity kind", by_kind) +
         bar_chart("Risk by OWASP NHI id", by_owasp) + "</div>";
  out += controls();
  out += "<table class=\"results\"><thead><tr><th>Score</th><th>Severity</th><th>Platform</th><th>Identity</th>"
         "<th>Title</th><th>Rule</th><th>OWASP</th><th>Status</th></tr></thead>";
  for (const auto& finding : input.findings) {
    const std::string severity(core::to_string(finding.severity));
    out += fmt::format(R"(<tbody class="item" data-severity="{}"><tr class="row">)", severity);
    out += fmt::format("<td>{}</td><td data-value=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                       finding.score, static_cast<int>(finding.severity), severity_badge(finding.severity),
                       html_escape(finding.identity.platform),
                       html_escape(finding.identity.name.empty() ? finding.identity.id : finding.identity.name),
                       html_escape(finding.title), html_escape(finding.rule), html_escape(finding.owasp),
                       html_escape(core::to_string(finding.status)));
    out += R"(</tr><tr class="detail" hidden><td colspan="8">)" + finding_detail(finding, input) + "</td></tr></tbody>";
  }
  return out + "</table></section>";
}

std::string alerts_section(const ReportInput& input) {
  std::map<std::string, Bucket> by_platform, by_kind, by_detector;
  std::vector<core::Severity> severities;
  size_t open_count = 0;
  for (const auto& alert : input.alerts) {
    by_platform[alert.identity.platform].risk += alert.score;
    ++by_platform[alert.identity.platform].count;
    by_kind[kind_of(input, alert.identity)].risk += alert.score;
    ++by_kind[kind_of(input, alert.identity)].count;
    by_detector[alert.detector].risk += alert.score;
    ++by_detector[alert.detector].count;
    severities.push_back(alert.severity);
    if (alert.status == core::FindingStatus::open) ++open_count;
  }
  std::string out = "<section><h2>Alerts</h2>" + summary_cards(severities, open_count);
  out += R"(<div class="charts">)" + bar_chart("Risk by platform", by_platform) + bar_chart("Risk by identity kind", by_kind) +
         bar_chart("Risk by detector", by_detector) + "</div>";
  out += controls();
  out += "<table class=\"results\"><thead><tr><th>Time</th><th>Score</th><th>Severity</th><th>Platform</th><th>Identity</th>"
         "<th>Title</th><th>Detector</th><th>Status</th></tr></thead>";
  for (const auto& alert : input.alerts) {
    const std::string severity(core::to_string(alert.severity));
    out += fmt::format(R"(<tbody class="item" data-severity="{}"><tr class="row">)", severity);
    out += fmt::format("<td>{}</td><td>{}</td><td data-value=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                       html_escape(core::format_time(alert.time)), alert.score, static_cast<int>(alert.severity),
                       severity_badge(alert.severity), html_escape(alert.identity.platform),
                       html_escape(alert.identity.name.empty() ? alert.identity.id : alert.identity.name),
                       html_escape(alert.title), html_escape(alert.detector), html_escape(core::to_string(alert.status)));
    std::string detail = fmt::format("<p>Identity <code>{}</code> ({}). Alert id <code>{}</code>.</p>",
                                     html_escape(alert.identity.id), html_escape(alert.identity.platform),
                                     html_escape(alert_id(alert)));
    if (!alert.credential_id.empty()) detail += "<p>Credential <code>" + html_escape(alert.credential_id) + "</code></p>";
    detail += "<h4>Evidence</h4>" + evidence_list(alert.evidence);
    detail += "<h4>Containment</h4><p>" + html_escape(alert.remediation) + "</p>";
    out += R"(</tr><tr class="detail" hidden><td colspan="8">)" + detail + "</td></tr></tbody>";
  }
  return out + "</table></section>";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string html_report(const ReportInput& input, bool include_findings, bool include_alerts) {
  const std::string title = include_findings ? "keyward findings report" : "keyward alerts report";
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  out += "<title>" + html_escape(title) + "</title><style>" + std::string(kStyle) + "</style></head><body>";
  out += "<h1>" + html_escape(title) + "</h1>";
  out += fmt::format("<p class=\"meta\">Generated {} by keyward {}. Click a row for evidence and remediation; click a "
                     "column header to sort.</p>",
                     html_escape(core::format_time(input.generated)), html_escape(tool_version()));
  if (include_findings) out += findings_section(input);
  if (include_alerts) out += alerts_section(input);
  out += "<script>" + std::string(kScript) + "</script></body></html>\n";
  return out;
}

}  // namespace keyward::report
