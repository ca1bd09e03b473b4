#include "cli/context.hpp"

#include <sys/ioctl.h>
#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace keyward::cli {

core::Result<std::unique_ptr<store::Store>> open_store(const CliContext& context, bool create) {
  std::string path = context.db_option;
  if (path.empty()) {
    const char* from_environment = std::getenv("KEYWARD_DB");
    path = from_environment && *from_environment ? from_environment : "keyward.db";
  }
  std::error_code error;
  if (!create && !std::filesystem::exists(path, error)) {
    return core::make_error(core::ErrorCode::not_found,
                            fmt::format("database {} not found; ingest exports first (keyward ingest PATH...) or name "
                                        "the database with --db or $KEYWARD_DB",
                                        path));
  }
  return store::open_sqlite_store(path);
}

void add_format_option(CLI::App* command, OutputFormat& format) {
  command
      ->add_option("--format", format, "Output format: table (fits 80 columns), json (an array of objects) or csv")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, OutputFormat>{{"table", OutputFormat::table}, {"json", OutputFormat::json}, {"csv", OutputFormat::csv}},
          CLI::ignore_case))
      ->default_str("table");
}

void add_report_options(CLI::App* command, ReportOptions& options, const std::string& results) {
  command
      ->add_option_function<std::string>(
          "--format",
          [&options](const std::string& text) {
            auto format = report::parse_report_format(text);
            if (!format) {
              throw CLI::ValidationError("--format", fmt::format("invalid format '{}': use table, json, csv, sarif, ocsf or html", text));
            }
            options.format = *format;
          },
          "Format on stdout: table (fits 80 columns), json (an array of objects), csv, sarif (SARIF 2.1.0), ocsf "
          "(OCSF 1.4.0 events, one per line) or html (a standalone report). Default: table")
      ->type_name("FORMAT");
  command
      ->add_option_function<std::vector<std::string>>(
          "-o,--output",
          [&options](const std::vector<std::string>& values) {
            for (const auto& value : values) {
              const auto equals = value.find('=');
              if (equals == std::string::npos || equals == 0 || equals + 1 == value.size()) {
                throw CLI::ValidationError("--output", fmt::format("invalid output '{}': expected FORMAT=FILE, e.g. sarif=keyward.sarif", value));
              }
              const std::string name = value.substr(0, equals);
              auto format = report::parse_report_format(name);
              if (!format) {
                throw CLI::ValidationError(
                    "--output", fmt::format("invalid output format '{}' in '{}': use table, json, csv, sarif, ocsf or html", name, value));
              }
              options.files.emplace_back(*format, value.substr(equals + 1));
            }
          },
          "Also write " + results + " to FILE in FORMAT (FORMAT=FILE, repeatable); stdout still gets --format")
      ->type_name("FORMAT=FILE")
      ->allow_extra_args(false);
  command
      ->add_option_function<std::string>(
          "--fail-on",
          [&options](const std::string& text) {
            auto severity = core::parse_severity(text);
            if (!severity) {
              throw CLI::ValidationError("--fail-on", fmt::format("invalid severity '{}': use info, low, medium, high or critical", text));
            }
            options.fail_on = severity;
          },
          fmt::format("Exit with status {} when any listed open {} is at or above SEVERITY (info, low, medium, high, "
                      "critical); acknowledged, muted and resolved ones do not count",
                      kGateFailedExitCode, results.substr(0, results.size() - 1)))
      ->type_name("SEVERITY");
}

bool write_report(const ReportOptions& options, const std::function<std::string(report::ReportFormat)>& render,
                  CliContext& context) {
  // Each file is written beside its target under a temporary name and renamed over it only when
  // every file was written, so a failed run leaves earlier reports (e.g. the last good SARIF) intact.
  std::vector<std::string> temporary_paths;
  const auto remove_temporary_files = [&temporary_paths] {
    std::error_code ignored;
    for (const auto& path : temporary_paths) std::filesystem::remove(path, ignored);
  };
  std::vector<std::ofstream> files;
  for (const auto& [format, path] : options.files) {
    temporary_paths.push_back(path + ".keyward-tmp");
    files.emplace_back(temporary_paths.back(), std::ios::binary | std::ios::trunc);
    if (!files.back()) {
      print_error(fmt::format("cannot write {} output to {}: {}", report::to_string(format), path, std::strerror(errno)));
      files.clear();
      remove_temporary_files();
      context.exit_code = 1;
      return false;
    }
  }
  for (size_t i = 0; i < files.size(); ++i) {
    const auto& [format, path] = options.files[i];
    files[i] << render(format);
    files[i].close();
    if (!files[i]) {
      print_error(fmt::format("failed writing {} output to {}", report::to_string(format), path));
      remove_temporary_files();
      context.exit_code = 1;
      return false;
    }
  }
  for (size_t i = 0; i < files.size(); ++i) {
    std::error_code error;
    std::filesystem::rename(temporary_paths[i], options.files[i].second, error);
    if (error) {
      print_error(fmt::format("cannot replace {}: {}", options.files[i].second, error.message()));
      remove_temporary_files();
      context.exit_code = 1;
      return false;
    }
  }
  fmt::print("{}", render(options.format));
  std::fflush(stdout);
  return true;
}

void add_as_of_option(CLI::App* command, std::optional<core::UnixTime>& as_of) {
  command
      ->add_option_function<std::string>(
          "--as-of",
          [&as_of](const std::string& text) {
            auto parsed = core::parse_time(text);
            if (!parsed) {
              throw CLI::ValidationError("--as-of", fmt::format("invalid date '{}': use YYYY-MM-DD or an RFC 3339 time such as 2025-01-31T00:00:00Z", text));
            }
            as_of = parsed;
          },
          "Measure ages against this date (YYYY-MM-DD or RFC 3339, UTC) instead of the credential report's time or now")
      ->type_name("DATE");
}

void print_error(const std::string& message) { fmt::print(stderr, "keyward: error: {}\n", message); }

std::string short_time(const std::optional<core::UnixTime>& time) {
  if (!time) return "-";
  return core::format_time(*time).substr(0, 16).replace(10, 1, " ");
}

size_t table_width() {
  constexpr size_t kDefaultWidth = 80;
  constexpr size_t kMaxWidth = 240;
  // Piped output (grep, less, a file) is cut only when $COLUMNS sets a width, so no title or id
  // is lost to "…" there.
  constexpr size_t kUncutWidth = 100'000;
  if (::isatty(STDOUT_FILENO) == 0) {
    const char* columns = std::getenv("COLUMNS");
    if (columns == nullptr || *columns == '\0') return kUncutWidth;
    char* end = nullptr;
    const unsigned long requested = std::strtoul(columns, &end, 10);
    return *end == '\0' && requested >= 40 ? static_cast<size_t>(requested) : kUncutWidth;
  }
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_col <= kDefaultWidth) return kDefaultWidth;
  return std::min<size_t>(size.ws_col, kMaxWidth);
}

std::string alert_actor_hint(store::Store& store, const std::string& name) {
  constexpr size_t kMaxIds = 5;
  auto alerts = store.list_alerts();
  if (!alerts) return {};
  std::vector<std::string> ids;
  for (const auto& alert : *alerts) {
    if (alert.identity.name != name || alert.identity.id == name) continue;
    if (std::find(ids.begin(), ids.end(), alert.identity.id) == ids.end()) ids.push_back(alert.identity.id);
  }
  if (ids.empty()) return {};
  std::string listed;
  for (size_t i = 0; i < ids.size() && i < kMaxIds; ++i) listed += (i == 0 ? "" : ", ") + ids[i];
  if (ids.size() > kMaxIds) listed += fmt::format(" and {} more", ids.size() - kMaxIds);
  return fmt::format(". Alerts name '{}' as the actor of: {}; give one of those ids", name, listed);
}

// The login name recorded with a change: $USER, else the name of the process's user id (cron
// jobs and containers often leave $USER unset), else "uid <number>".
std::string current_user() {
  const char* user = std::getenv("USER");
  if (user != nullptr && *user != '\0') return user;
  if (const passwd* entry = getpwuid(getuid()); entry != nullptr && entry->pw_name != nullptr) return entry->pw_name;
  return "uid " + std::to_string(getuid());
}

}  // namespace keyward::cli
