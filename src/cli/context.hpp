#pragma once

// Shared plumbing of the subcommands: the store location, output format and common options.

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/time.hpp"
#include "store/store.hpp"

namespace keyward::cli {

enum class OutputFormat { table, json, csv };

struct CliContext {
  std::string db_option;  // --db
  int exit_code = 0;
};

// Opens the store named by --db, else $KEYWARD_DB, else ./keyward.db. Only ingest creates a
// missing database: a reading command on a wrong path must not look like an empty account.
core::Result<std::unique_ptr<store::Store>> open_store(const CliContext& context, bool create = false);

// Adds --format table|json|csv.
void add_format_option(CLI::App* command, OutputFormat& format);

// Adds --as-of DATE (RFC 3339 or YYYY-MM-DD), parsed into `as_of`.
void add_as_of_option(CLI::App* command, std::optional<core::UnixTime>& as_of);

// Prints an error line on stderr: "keyward: error: ...".
void print_error(const std::string& message);

// Returns "-" for an absent time, else the date and time without seconds.
std::string short_time(const std::optional<core::UnixTime>& time);

// Width for tables: the terminal's width when stdout is a terminal wider than 80 columns, else 80,
// so piped and redirected output stays the same everywhere.
size_t table_width();

void add_ingest_command(CLI::App& app, CliContext& context);
void add_inventory_command(CLI::App& app, CliContext& context);
void add_show_command(CLI::App& app, CliContext& context);
void add_vendors_command(CLI::App& app, CliContext& context);
void add_findings_command(CLI::App& app, CliContext& context);
void add_alerts_command(CLI::App& app, CliContext& context);
void add_timeline_command(CLI::App& app, CliContext& context);
void add_demo_command(CLI::App& app, CliContext& context);

}  // namespace keyward::cli
