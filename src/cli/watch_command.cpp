// keyward watch: follows log files, folders and stdin, and raises alerts as events arrive.

#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include "cli/context.hpp"
#include "config/config.hpp"
#include "detect/detection_config.hpp"
#include "ingest/follow.hpp"
#include "notify/notifier.hpp"

namespace keyward::cli {
namespace {

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int) { stop_requested = true; }

struct WatchArguments {
  std::vector<std::string> paths;
  double interval_seconds = 2.0;
  bool once = false;
  std::string source;
  std::string geoip, asn, tor_exits;
  std::optional<int> dormant_days;  // --dormant-days; else the configuration, else 90
};

// Bytes of stdin kept before they are ingested even without a poll interval passing.
constexpr size_t kStdinFlushBytes = 1 << 20;

void print_new_alerts(const std::vector<core::Alert>& alerts) {
  for (const auto& alert : alerts) {
    fmt::print("{} {} {} {} {}/{}: {}\n", report::alert_id(alert), core::format_time(alert.time),
               core::to_string(alert.severity), alert.detector, alert.identity.platform,
               alert.identity.name.empty() ? alert.identity.id : alert.identity.name, alert.title);
  }
  std::fflush(stdout);
}

void report_poll(const ingest::FollowReport& report) {
  for (const auto& error : report.errors) print_error(error.describe());
  for (const auto& error : report.record_errors) {
    print_error(fmt::format("{}{}: {}", error.file, error.offset >= 0 ? fmt::format("@{}", error.offset) : "",
                            error.message));
  }
}

// Reads what stdin has without blocking longer than `timeout_ms`. Returns false at end of input.
bool read_stdin(std::string& buffer, int timeout_ms) {
  pollfd descriptor{STDIN_FILENO, POLLIN, 0};
  if (::poll(&descriptor, 1, timeout_ms) <= 0) return true;
  char chunk[65536];
  const ssize_t got = ::read(STDIN_FILENO, chunk, sizeof chunk);
  if (got <= 0) return false;
  buffer.append(chunk, static_cast<size_t>(got));
  return true;
}

void run_watch(const WatchArguments& arguments, CliContext& context) {
  auto config = config::load_cli_config(context.config_option);
  if (!config) {
    print_error(config.error().describe());
    context.exit_code = 2;
    return;
  }
  auto notifier = notify::Notifier::from_config(*config);
  if (!notifier) {
    print_error(notifier.error().describe());
    context.exit_code = 2;
    return;
  }
  // Opened after the configuration is accepted, so a rejected configuration creates no database.
  auto store = open_store(context, /*create=*/true);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }

  ingest::FollowOptions options;
  options.ingest.forced_source = arguments.source;
  options.ingest.enrich.geoip_path = arguments.geoip;
  options.ingest.enrich.asn_path = arguments.asn;
  options.ingest.enrich.tor_exit_path = arguments.tor_exits;
  auto detect_options = detect::read_detection_config(*config);
  if (!detect_options) {
    print_error(detect_options.error().describe());
    context.exit_code = 2;
    return;
  }
  options.ingest.detect = *detect_options;
  if (arguments.dormant_days) options.ingest.detect.dormant_days = *arguments.dormant_days;
  store::Store& opened = **store;
  options.ingest.on_new_alerts = [&notifier, &opened](const std::vector<core::Alert>& alerts) {
    print_new_alerts(alerts);
    for (const auto& failure : notifier->notify(alerts, &opened)) print_error(failure.message);
  };
  options.ingest_unsettled_files = arguments.once;

  std::vector<std::string> files;
  bool follow_stdin = false;
  for (const auto& path : arguments.paths) {
    if (path == "-") {
      follow_stdin = true;
    } else {
      files.push_back(path);
    }
  }
  ingest::Follower follower(**store, files, options);

  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  if (!arguments.once) {
    fmt::print(stderr, "keyward: watching {} path(s){}; stop with Ctrl-C\n", files.size(), follow_stdin ? " and stdin" : "");
  }

  const auto interval = std::chrono::milliseconds(static_cast<long long>(arguments.interval_seconds * 1000));
  std::string stdin_buffer;
  long long stdin_offset = 0;
  bool stdin_open = follow_stdin;
  bool had_errors = false;
  while (true) {
    const auto started = std::chrono::steady_clock::now();
    ingest::FollowReport report = follower.poll();

    // Stdin: read for up to one interval, then ingest its complete lines.
    while (stdin_open && !stop_requested && std::chrono::steady_clock::now() - started < interval &&
           stdin_buffer.size() < kStdinFlushBytes) {
      stdin_open = read_stdin(stdin_buffer, 100);
    }
    if (follow_stdin) {
      const size_t complete = stdin_open ? stdin_buffer.rfind('\n') : stdin_buffer.size() - 1;
      if (!stdin_buffer.empty() && complete != std::string::npos) {
        std::string lines = stdin_buffer.substr(0, complete + 1);
        stdin_buffer.erase(0, complete + 1);
        ingest::FollowReport from_stdin = follower.ingest_text(lines, "<stdin>", stdin_offset);
        stdin_offset += static_cast<long long>(lines.size());
        report_poll(from_stdin);
        had_errors = had_errors || !from_stdin.errors.empty();
      }
    }
    report_poll(report);
    had_errors = had_errors || !report.errors.empty();
    // Alerts a channel failed to deliver earlier; retry_failed waits Notifier::kRetryInterval
    // between attempts per channel.
    for (const auto& failure : notifier->retry_failed(opened)) print_error(failure.message);

    if (arguments.once || stop_requested) break;
    if (follow_stdin && !stdin_open && files.empty()) break;
    while (!stop_requested && std::chrono::steady_clock::now() - started < interval) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (stop_requested) break;
  }
  context.exit_code = had_errors ? 1 : 0;
}

}  // namespace

void add_watch_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<WatchArguments>();
  CLI::App* command = app.add_subcommand("watch", "Follow log files, folders and stdin, and raise alerts as events arrive");
  command->footer(
      "JSON-lines files are followed line by line from where the last run stopped; other files (JSON arrays,\n"
      "CSV, .gz) are read whole once their size stops changing, and new files in the folders are picked up.\n"
      "Read positions are kept in the store, so a restarted watch neither skips nor repeats events. New\n"
      "alerts are printed one per line (id, time, severity, detector, identity, title) and sent to the\n"
      "channels of the notifications: configuration. Ingest logs oldest first: baselines learn in that order.\n"
      "Exit status: 0 after a clean stop (Ctrl-C, SIGTERM, end of stdin, or --once), 1 when an input could\n"
      "not be read, 2 on usage errors.");
  command->add_option("paths", arguments->paths, "Files or folders to follow; - follows stdin")->required()->type_name("PATH");
  command->add_option("--interval", arguments->interval_seconds, "Seconds between scans for new data")
      ->default_val(2.0)
      ->check(CLI::Range(0.05, 3600.0));
  command->add_flag("--once", arguments->once, "Scan once, ingest what is new, and exit (for cron or tests)");
  command->add_option("--source", arguments->source, "Read every input as this source instead of detecting it")
      ->type_name("NAME");
  command->add_option("--geoip", arguments->geoip, "City or country MMDB (DB-IP lite or MaxMind layout)")->type_name("PATH");
  command->add_option("--asn", arguments->asn, "ASN data: asn-ipv4.csv (with asn-ipv6.csv beside it) or an ASN MMDB")
      ->type_name("PATH");
  command->add_option("--tor-exits", arguments->tor_exits, "File of Tor exit addresses, one per line")->type_name("PATH");
  command->add_option("--dormant-days", arguments->dormant_days, "Alert when a credential unused this many days is used again (default: detection.dormant_days, else 90)")
      ->check(CLI::Range(1, 3650));
  command->callback([arguments, &context] { run_watch(*arguments, context); });
}

}  // namespace keyward::cli
