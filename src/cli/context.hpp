#pragma once

// Shared plumbing of the subcommands: the store location, output format and common options.

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "report/findings_output.hpp"
#include "store/store.hpp"

namespace keyward::cli {

enum class OutputFormat { table, json, csv };

struct CliContext {
  std::string db_option;      // --db
  std::string config_option;  // --config
  int exit_code = 0;
};

// Opens the store named by --db, else $KEYWARD_DB, else ./keyward.db. Only ingest creates a
// missing database: a reading command on a wrong path must not look like an empty account.
core::Result<std::unique_ptr<store::Store>> open_store(const CliContext& context, bool create = false);

// Adds --format table|json|csv.
void add_format_option(CLI::App* command, OutputFormat& format);

// Exit status of `findings` and `alerts` when --fail-on finds a result. Usage errors exit 2
// (main.cpp), so the gate has its own code and CI can tell the two apart.
inline constexpr int kGateFailedExitCode = 3;

// Outputs of a reporting command: --format for stdout, -o FORMAT=FILE for files, --fail-on.
struct ReportOptions {
  report::ReportFormat format = report::ReportFormat::table;
  std::vector<std::pair<report::ReportFormat, std::string>> files;
  std::optional<core::Severity> fail_on;
};

// Adds --format table|json|csv|sarif|ocsf|html, repeatable -o/--output FORMAT=FILE and
// --fail-on SEVERITY. `results` names what is listed ("findings", "alerts") in the help.
void add_report_options(CLI::App* command, ReportOptions& options, const std::string& results);

// Opens every -o file first, then prints `render(format)` on stdout and writes each file. When a
// file cannot be opened or written, it prints an error naming the file, sets exit code 1 and
// returns false. Nothing reaches stdout when a file cannot be opened.
bool write_report(const ReportOptions& options, const std::function<std::string(report::ReportFormat)>& render,
                  CliContext& context);

// The login name recorded with a state change of a finding or alert: $USER, else the name of the
// process's user id (cron jobs and containers often leave $USER unset), else "uid <number>".
std::string current_user();

// Adds --as-of DATE (RFC 3339 or YYYY-MM-DD), parsed into `as_of`.
void add_as_of_option(CLI::App* command, std::optional<core::UnixTime>& as_of);

// Prints an error line on stderr: "keyward: error: ...".
void print_error(const std::string& message);

// Returns "-" for an absent time, else the date and time without seconds.
std::string short_time(const std::optional<core::UnixTime>& time);

// Width for tables. On a terminal: its width, at least 80 and at most 240 columns. Piped or
// redirected: $COLUMNS when set (40 or more), else wide enough that no cell is cut, so the output
// is the same everywhere and grep finds whole titles.
size_t table_width();

// Returns a hint for a name that matches no identity but names the actor of stored alerts (a
// GitHub or Okta token's owner, as the IDENTITY column of `keyward alerts` shows it): " Alerts
// name 'x' as the actor of: token:1, token:2; give one of those ids." Empty when none does.
std::string alert_actor_hint(store::Store& store, const std::string& name);

void add_ingest_command(CLI::App& app, CliContext& context);
void add_inventory_command(CLI::App& app, CliContext& context);
void add_show_command(CLI::App& app, CliContext& context);
void add_vendors_command(CLI::App& app, CliContext& context);
void add_findings_command(CLI::App& app, CliContext& context);
void add_alerts_command(CLI::App& app, CliContext& context);
void add_timeline_command(CLI::App& app, CliContext& context);
void add_alert_command(CLI::App& app, CliContext& context);
void add_watch_command(CLI::App& app, CliContext& context);
void add_demo_command(CLI::App& app, CliContext& context);
void add_rules_command(CLI::App& app, CliContext& context);
void add_finding_command(CLI::App& app, CliContext& context);
void add_removable_command(CLI::App& app, CliContext& context);
void add_scan_command(CLI::App& app, CliContext& context);
void add_exposures_command(CLI::App& app, CliContext& context);
// Adds `keyward rules secrets` under the `rules` command.
void add_secret_rules_command(CLI::App* rules);

}  // namespace keyward::cli
