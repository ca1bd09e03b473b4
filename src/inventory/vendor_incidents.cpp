#include "inventory/vendor_incidents.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "enrich/asn_table.hpp"
#include "enrich/text_file.hpp"
#include "inventory/vendor_catalog.hpp"

namespace keyward::inventory {
namespace {

constexpr std::size_t kMaxIncidentFileBytes = 1024 * 1024;
constexpr std::string_view kHeader = "vendor,aliases,date,title,reference";

core::Error line_error(const std::string& file, long long line, std::string message) {
  core::Error error = core::make_error(core::ErrorCode::invalid_input, std::move(message));
  error.file = file;
  error.line = line;
  return error;
}

std::vector<std::string> split_aliases(std::string_view text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view item = enrich::trim(text.substr(start, end - start));
    if (!item.empty()) items.emplace_back(item);
    start = end + 1;
  }
  return items;
}

// A date written as YYYY-MM-DD, nothing more, because a time of day would suggest a precision
// the public reports do not give.
std::optional<core::UnixTime> parse_day(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  return core::parse_time(text);
}

bool contains_sequence(const std::vector<std::string>& words, const std::vector<std::string>& sequence) {
  if (sequence.empty() || sequence.size() > words.size()) return false;
  return std::search(words.begin(), words.end(), sequence.begin(), sequence.end()) != words.end();
}

}  // namespace

core::Result<VendorIncidentList> VendorIncidentList::parse(std::string_view text, const std::string& file) {
  VendorIncidentList list;
  list.file_ = file;
  std::optional<core::Error> failure;
  std::vector<std::string> fields;
  enrich::for_each_line(text, [&](std::string_view raw, long long number) {
    if (failure) return;
    const std::string_view line = enrich::trim(raw);
    if (line.empty() || line.front() == '#' || line == kHeader) return;
    if (!enrich::split_csv_line(line, fields)) {
      failure = line_error(file, number, "invalid CSV: a quote is not closed, or text follows a closing quote");
      return;
    }
    if (fields.size() != 5) {
      failure = line_error(file, number,
                           fmt::format("expected 5 fields ({}), found {}; quote a title that contains a comma",
                                       kHeader, fields.size()));
      return;
    }
    VendorIncident incident;
    incident.line = number;
    incident.vendor = std::string(enrich::trim(fields[0]));
    incident.aliases = split_aliases(fields[1]);
    incident.title = std::string(enrich::trim(fields[3]));
    incident.reference = std::string(enrich::trim(fields[4]));
    if (name_words(incident.vendor).empty()) {
      failure = line_error(file, number, "the vendor name is empty; give the vendor's usual name in the first field");
      return;
    }
    const std::string date_text(enrich::trim(fields[2]));
    const auto date = parse_day(date_text);
    if (!date) {
      failure = line_error(file, number, fmt::format("invalid date '{}' for {}; write the disclosure day as YYYY-MM-DD",
                                                     date_text, incident.vendor));
      return;
    }
    incident.date = *date;
    if (incident.title.empty()) {
      failure = line_error(file, number, fmt::format("the title of the {} incident is empty; say what was exposed",
                                                     incident.vendor));
      return;
    }
    if (!incident.reference.starts_with("https://")) {
      failure = line_error(file, number,
                           fmt::format("invalid reference '{}' for {}; give the https:// URL of the public report",
                                       incident.reference, incident.vendor));
      return;
    }
    const size_t index = list.incidents_.size();
    list.keys_.push_back({name_words(incident.vendor), index});
    for (const auto& alias : incident.aliases) {
      auto words = name_words(alias);
      if (!words.empty()) list.keys_.push_back({std::move(words), index});
    }
    list.incidents_.push_back(std::move(incident));
  });
  if (failure) return *failure;
  if (list.incidents_.empty()) {
    core::Error error = core::make_error(core::ErrorCode::invalid_input,
                                         fmt::format("no incidents listed; expected lines {}", kHeader));
    error.file = file;
    return error;
  }
  return list;
}

core::Result<VendorIncidentList> VendorIncidentList::load(const std::string& path) {
  auto text = enrich::read_text_file(path, kMaxIncidentFileBytes);
  if (!text.ok()) return text.error();
  return parse(*text, path);
}

std::vector<const VendorIncident*> VendorIncidentList::match(const std::vector<std::string>& names) const {
  std::vector<std::vector<std::string>> name_word_lists;
  for (const auto& name : names) {
    if (!name.empty()) name_word_lists.push_back(name_words(name));
  }
  std::vector<const VendorIncident*> matched;
  for (const auto& key : keys_) {
    const VendorIncident* incident = &incidents_[key.incident];
    if (std::find(matched.begin(), matched.end(), incident) != matched.end()) continue;
    for (const auto& words : name_word_lists) {
      if (contains_sequence(words, key.words)) {
        matched.push_back(incident);
        break;
      }
    }
  }
  std::sort(matched.begin(), matched.end(),
            [](const VendorIncident* a, const VendorIncident* b) { return a->line < b->line; });
  return matched;
}

std::string find_vendor_incident_file(const std::string& explicit_path) {
  return find_data_file(explicit_path, kVendorIncidentFileName);
}

core::Result<std::optional<VendorIncidentList>> load_vendor_incidents(const std::string& explicit_path) {
  const std::string path = find_vendor_incident_file(explicit_path);
  if (path.empty()) return std::optional<VendorIncidentList>();
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    core::Error missing = core::make_error(core::ErrorCode::not_found, "vendor incident file not found");
    missing.file = path;
    return missing;
  }
  auto list = VendorIncidentList::load(path);
  if (!list.ok()) return list.error();
  return std::optional<VendorIncidentList>(std::move(list).value());
}

}  // namespace keyward::inventory
