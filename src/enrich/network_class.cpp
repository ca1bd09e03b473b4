#include "enrich/network_class.hpp"

#include <fmt/format.h>

#include <charconv>
#include <vector>

#include "enrich/asn_table.hpp"
#include "enrich/text_file.hpp"

namespace keyward::enrich {

namespace {

constexpr std::size_t kMaxListBytes = 64u << 20;

void count_bad_line(ListLoadReport& report, long long line) {
  ++report.bad_lines;
  if (report.first_bad_line < 0) report.first_bad_line = line;
}

core::Error empty_list_error(const std::string& name, const ListLoadReport& report, std::string_view expected) {
  core::Error error = core::make_error(
      core::ErrorCode::invalid_input,
      fmt::format("no valid entry found ({} bad line(s), first at line {}); expected {}", report.bad_lines,
                  report.first_bad_line, expected));
  error.file = name;
  return error;
}

}  // namespace

core::Result<ListLoadReport> NetworkClassifier::load_asn_classes(const std::string& path) {
  auto text = read_text_file(path, kMaxListBytes);
  if (!text.ok()) return text.error();
  return load_asn_classes_text(*text, path);
}

core::Result<ListLoadReport> NetworkClassifier::load_asn_classes_text(std::string_view text, const std::string& name) {
  ListLoadReport report;
  std::vector<std::string> fields;
  for_each_line(text, [&](std::string_view line, long long number) {
    line = trim(line);
    if (line.empty() || line.front() == '#' || line.starts_with("asn,")) return;
    if (!split_csv_line(line, fields) || fields.size() < 2) return count_bad_line(report, number);
    std::string_view asn_text = trim(fields[0]);
    std::uint32_t asn = 0;
    auto [end, error] = std::from_chars(asn_text.data(), asn_text.data() + asn_text.size(), asn);
    std::string network_class(trim(fields[1]));
    bool known_class = network_class == "cloud" || network_class == "hosting" || network_class == "vpn" ||
                       network_class == "residential" || network_class == "mobile";
    if (error != std::errc() || end != asn_text.data() + asn_text.size() || asn == 0 || !known_class) {
      return count_bad_line(report, number);
    }
    asn_classes_[asn] = std::move(network_class);
    ++report.entries;
  });
  if (report.entries == 0) return empty_list_error(name, report, "lines asn,class,organization");
  return report;
}

core::Result<ListLoadReport> NetworkClassifier::load_tor_exits(const std::string& path) {
  auto text = read_text_file(path, kMaxListBytes);
  if (!text.ok()) return text.error();
  return load_tor_exits_text(*text, path);
}

core::Result<ListLoadReport> NetworkClassifier::load_tor_exits_text(std::string_view text, const std::string& name) {
  ListLoadReport report;
  for_each_line(text, [&](std::string_view line, long long number) {
    line = trim(line.substr(0, line.find('#')));
    if (line.empty()) return;
    if (line.starts_with("ExitAddress ")) {
      line = trim(line.substr(12));
      line = line.substr(0, line.find(' '));
    } else if (line.find(' ') != std::string_view::npos) {
      return;  // other keys of the exit-addresses format: ExitNode, Published, LastStatus
    }
    auto address = parse_ip(line);
    if (!address) return count_bad_line(report, number);
    tor_exits_.insert(address->mapped_v4().value_or(*address));
    ++report.entries;
  });
  if (report.entries == 0) return empty_list_error(name, report, "one IP address per line");
  return report;
}

std::string_view NetworkClassifier::classify(const IpAddress& address, std::uint32_t asn) const {
  if (!tor_exits_.empty()) {
    IpAddress key = address.mapped_v4().value_or(address);
    if (tor_exits_.count(key) != 0) return "tor";
  }
  auto found = asn_classes_.find(asn);
  if (found != asn_classes_.end()) return found->second;
  return "";
}

}  // namespace keyward::enrich
