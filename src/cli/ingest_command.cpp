#include <fmt/format.h>

#include "cli/context.hpp"
#include "config/config.hpp"
#include "detect/detection_config.hpp"
#include "ingest/ingest.hpp"
#include "notify/notifier.hpp"
#include "sources/source.hpp"

namespace keyward::cli {
namespace {

constexpr size_t kMaxRecordErrorsShown = 20;

struct IngestArguments {
  std::vector<std::string> paths;
  std::string source;
  std::optional<core::UnixTime> as_of;
  std::string geoip;
  std::string asn;
  std::string tor_exits;
  std::optional<int> dormant_days;  // --dormant-days; else the configuration, else 90
  bool verbose = false;
};

std::string source_list() {
  std::string text = "Sources (detected from content; --source forces one):\n";
  for (const auto& source : sources::all_sources()) {
    text += fmt::format("  {:<28} {}\n", source->name(), source->description());
  }
  return text;
}

void print_summary(const ingest::IngestReport& report) {
  long long records = 0, alerts = 0;
  size_t ingested = 0, duplicates = 0, failed = 0;
  for (const auto& input : report.inputs) {
    if (input.error) {
      ++failed;
    } else if (input.already_ingested) {
      ++duplicates;
    } else {
      ++ingested;
      records += input.records;
      alerts += input.alerts;
    }
  }
  fmt::print("ingested {} input(s): {} records, {} alert(s)", ingested, records, alerts);
  if (duplicates > 0) fmt::print("; {} already ingested and skipped", duplicates);
  if (failed > 0) fmt::print("; {} failed", failed);
  if (!report.record_errors.empty()) fmt::print("; {} bad record(s) skipped", report.record_errors.size());
  fmt::print("\n");
}

void print_record_errors(const ingest::IngestReport& report) {
  size_t shown = 0;
  for (const auto& error : report.record_errors) {
    if (shown++ == kMaxRecordErrorsShown) break;
    std::string where = error.file;
    if (error.line >= 0) where += fmt::format(":{}", error.line);
    if (error.offset >= 0) where += fmt::format(" (byte {})", error.offset);
    fmt::print(stderr, "keyward: skipped record: {}: {}\n", where, error.message);
  }
  if (report.record_errors.size() > kMaxRecordErrorsShown) {
    fmt::print(stderr, "keyward: {} more bad records not shown\n", report.record_errors.size() - kMaxRecordErrorsShown);
  }
}

void run_ingest(const IngestArguments& arguments, CliContext& context) {
  if (!arguments.source.empty() && !sources::find_source(arguments.source)) {
    print_error(fmt::format("unknown source '{}'\n{}", arguments.source, source_list()));
    context.exit_code = 2;
    return;
  }

  auto config = config::load_cli_config(context.config_option);
  if (!config) {
    print_error(config.error().describe());
    context.exit_code = 2;
    return;
  }
  for (const auto& warning : config->warnings) fmt::print(stderr, "keyward: warning: {}\n", warning);
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

  ingest::IngestOptions options;
  store::Store& opened = **store;
  // The new alerts of all inputs go out in one delivery at the end. One delivery per input would
  // spend a down channel's retry budget within one command and would never reach the batch size
  // at which Slack gets a summary.
  std::vector<core::Alert> new_alerts;
  options.on_new_alerts = [&new_alerts](const std::vector<core::Alert>& alerts) {
    new_alerts.insert(new_alerts.end(), alerts.begin(), alerts.end());
  };
  options.forced_source = arguments.source;
  options.as_of = arguments.as_of;
  options.enrich.geoip_path = arguments.geoip;
  options.enrich.asn_path = arguments.asn;
  options.enrich.tor_exit_path = arguments.tor_exits;
  auto detect_options = detect::read_detection_config(*config);
  if (!detect_options) {
    print_error(detect_options.error().describe());
    context.exit_code = 2;
    return;
  }
  options.detect = *detect_options;
  if (arguments.dormant_days) options.detect.dormant_days = *arguments.dormant_days;
  options.progress = true;
  options.on_status = [&arguments](const std::string& line) {
    if (arguments.verbose || line.starts_with("error:") || line.starts_with("warning:")) {
      fmt::print(stderr, "keyward: {}\n", line);
    }
  };

  ingest::IngestReport report = ingest::ingest_paths(opened, arguments.paths, options);
  // A channel that cannot deliver is reported, but the ingest itself succeeded. Each delivery
  // also resends the channel's alerts that failed before, and retry_failed() gives channels
  // without new alerts that try too.
  if (!new_alerts.empty()) {
    for (const auto& failure : notifier->notify(new_alerts, &opened)) print_error(failure.message);
  }
  for (const auto& failure : notifier->retry_failed(opened)) print_error(failure.message);
  print_record_errors(report);
  for (size_t i = 0; i < report.enrichment_problems.size() && i < kMaxRecordErrorsShown; ++i) {
    fmt::print(stderr, "keyward: warning: enrichment data: {}\n", report.enrichment_problems[i].describe());
  }
  if (report.enrichment_problems.size() > kMaxRecordErrorsShown) {
    fmt::print(stderr, "keyward: warning: {} more enrichment data problems not shown\n",
               report.enrichment_problems.size() - kMaxRecordErrorsShown);
  }
  if (!report.geo_enabled || !report.asn_enabled) {
    std::string_view missing = "geo or ASN";
    std::string_view detections_off = "new-country, impossible-travel and new-ASN detections are";
    if (report.asn_enabled) {
      missing = "geo";
      detections_off = "new-country and impossible-travel detections are";
    } else if (report.geo_enabled) {
      missing = "ASN";
      detections_off = "new-ASN detection and network classes (cloud, hosting, residential) are";
    }
    fmt::print(stderr,
               "keyward: note: no {} data found (--geoip/--asn, $KEYWARD_DATA, ./data), so {} off. "
               "`scripts/fetch-data.sh` downloads the DB-IP and ASN files.\n",
               missing, detections_off);
  }
  print_summary(report);
  context.exit_code = report.all_inputs_ok() ? 0 : 1;
}

}  // namespace

void add_ingest_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<IngestArguments>();
  CLI::App* command = app.add_subcommand("ingest", "Read exports and logs into the store");
  command->footer(source_list() +
                  "\nEach input is one transaction: re-ingesting the same content adds nothing, and a bad record is\n"
                  "skipped and reported with its position. Exit status: 0 when every input was read, 1 when an\n"
                  "input could not be read or recognized (the others are still ingested), 2 on usage errors.");
  command->add_option("paths", arguments->paths, "Files or directories (recursive); .gz is decompressed; - reads stdin")
      ->required()
      ->type_name("PATH");
  command->add_option("--source", arguments->source, "Read every input as this source instead of detecting it")
      ->type_name("NAME");
  add_as_of_option(command, arguments->as_of);
  command->add_option("--geoip", arguments->geoip, "City or country MMDB (DB-IP lite or MaxMind layout)")->type_name("PATH");
  command->add_option("--asn", arguments->asn, "ASN data: asn-ipv4.csv (with asn-ipv6.csv beside it) or an ASN MMDB")
      ->type_name("PATH");
  command->add_option("--tor-exits", arguments->tor_exits, "File of Tor exit addresses, one per line")->type_name("PATH");
  command->add_option("--dormant-days", arguments->dormant_days, "Alert when a credential unused this many days is used again (default: detection.dormant_days, else 90)")
      ->check(CLI::Range(1, 3650));
  command->add_flag("-v,--verbose", arguments->verbose, "Print one line per input");
  command->callback([arguments, &context] { run_ingest(*arguments, context); });
}

}  // namespace keyward::cli
