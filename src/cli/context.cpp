#include "cli/context.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

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
  if (::isatty(STDOUT_FILENO) == 0) return kDefaultWidth;
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_col <= kDefaultWidth) return kDefaultWidth;
  return std::min<size_t>(size.ws_col, kMaxWidth);
}

}  // namespace keyward::cli
