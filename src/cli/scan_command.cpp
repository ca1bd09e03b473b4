// `keyward scan PATH...` finds secrets in files, directories, git history, archives and stdin,
// stores them as exposures joined to the inventory, and prints them as a table, JSON, SARIF or
// OCSF. Exit status: 0 nothing found, 3 exposures found, 1 an error or an input not scanned,
// 2 a usage error.

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/context.hpp"
#include "config/config.hpp"
#include "core/time.hpp"
#include "posture/inventory.hpp"
#include "report/exposures_output.hpp"
#include "secrets/database_cache.hpp"
#include "secrets/input/walk.hpp"
#include "secrets/inventory_join.hpp"
#include "secrets/parallel_scan.hpp"
#include "secrets/secret_text.hpp"
#include "secrets/suppress/suppressions.hpp"

namespace keyward::cli {
namespace {

struct ScanArguments {
  std::vector<std::string> paths;
  ReportOptions report;
  bool no_history = false;
  bool no_store = false;
  bool verify = false;
  unsigned threads = 0;
  int max_decode_depth = 2;
  int max_archive_depth = 4;
  std::uint64_t max_file_mib = 512;
  std::string ignore_file;
  std::string baseline;
  std::string write_baseline;
};

// The ignore file named by --ignore-file, else .keywardignore in the first scanned directory.
core::Result<secrets::IgnoreFile> load_ignore_file(const ScanArguments& arguments) {
  if (!arguments.ignore_file.empty()) return secrets::IgnoreFile::load(arguments.ignore_file);
  for (const std::string& path : arguments.paths) {
    std::error_code error;
    if (path == "-" || !std::filesystem::is_directory(path, error)) continue;
    const std::string candidate = (std::filesystem::path(path) / ".keywardignore").string();
    if (std::filesystem::exists(candidate, error)) return secrets::IgnoreFile::load(candidate);
    break;
  }
  return secrets::IgnoreFile::empty();
}

// The store's fingerprint key, so fingerprints match the inventory's. Without a store, the key
// comes from $KEYWARD_FINGERPRINT_KEY, else a new random key makes fingerprints valid for this
// run only.
core::Result<std::string> fingerprint_key(store::Store* store) {
  if (store != nullptr) return store->fingerprint_key();
  if (const char* key = std::getenv("KEYWARD_FINGERPRINT_KEY"); key != nullptr && *key != '\0') return std::string(key);
  return secrets::new_fingerprint_key();
}

// Stores the exposures, joins them to the inventory and returns the inventory for their context.
core::Result<posture::Inventory> store_and_join(store::Store& store, secrets::ScanResult& result, core::UnixTime now) {
  if (auto stored = store.put_exposures(result.exposures, now); !stored.ok()) return stored.error();
  auto inventory = posture::load_inventory(store);
  if (!inventory.ok()) return inventory.error();
  secrets::join_exposures(*inventory, result.exposures);
  if (auto updated = store.update_exposure_matches(result.exposures); !updated.ok()) return updated.error();
  return std::move(*inventory);
}

// The JSON report with a "match" object on each matched exposure: the same inventory context as
// the table's "Matched to the inventory" section, for tools that read the JSON.
std::string exposures_json_with_matches(const posture::Inventory& inventory, const secrets::ScanResult& result) {
  nlohmann::json document = report::exposures_json(result);
  for (std::size_t i = 0; i < result.exposures.size() && i < document["exposures"].size(); ++i) {
    const auto context = secrets::exposure_context(inventory, result.exposures[i]);
    if (!context) continue;
    nlohmann::json match = {
        {"identity_name", context->identity != nullptr ? context->identity->name : ""},
        {"identity_kind", context->identity != nullptr ? context->identity->kind : ""},
        {"owner", context->owner},
        {"privilege", context->privilege},
        {"permissions", context->permissions},
        {"last_used", context->last_used ? nlohmann::json(core::format_time(*context->last_used)) : nlohmann::json()},
        {"last_used_field", context->last_used_field},
        {"status", context->status},
        {"active", context->active},
        {"matched_by", secrets::to_string(context->basis)},
    };
    document["exposures"][i]["match"] = std::move(match);
  }
  return report::dump_json(document, 2) + "\n";
}

// The inventory's view of each matched exposure: identity, owner, permissions, last use and
// whether the credential still works, for the table output.
std::string matched_context_text(const posture::Inventory& inventory, const secrets::ScanResult& result) {
  std::string text;
  for (const core::Exposure& exposure : result.exposures) {
    const auto context = secrets::exposure_context(inventory, exposure);
    if (!context) continue;
    if (text.empty()) text = "\nMatched to the inventory:\n";
    const std::string identity = context->identity != nullptr ? context->identity->name : exposure.matched_identity_id;
    text += fmt::format("  {} {} -> {} credential {} of {} ({})\n", exposure.rule_id, exposure.redacted,
                        context->active ? "ACTIVE" : "inactive", exposure.matched_credential_id, identity,
                        context->identity != nullptr ? context->identity->kind : "unknown kind");
    text += fmt::format("    owner: {}; privilege: {}; last used: {}{}; matched by {}\n",
                        context->owner.empty() ? "none" : context->owner,
                        context->privilege.empty() ? "unknown" : context->privilege, short_time(context->last_used),
                        context->last_used_field.empty() ? "" : " (" + context->last_used_field + ")",
                        secrets::to_string(context->basis));
    for (std::size_t i = 0; i < context->permissions.size() && i < 5; ++i) {
      text += fmt::format("    {}\n", context->permissions[i]);
    }
    if (context->permissions.size() > 5) {
      text += fmt::format("    ... and {} more grants (keyward show {})\n", context->permissions.size() - 5,
                          exposure.matched_identity_id);
    }
  }
  return text;
}

void run_scan(ScanArguments& arguments, CliContext& context) {
  if (arguments.paths.empty()) arguments.paths.push_back("-");

  std::unique_ptr<store::Store> store;
  if (!arguments.no_store) {
    auto opened = open_store(context, /*create=*/true);
    if (!opened.ok()) {
      print_error(opened.error().message);
      context.exit_code = 1;
      return;
    }
    store = std::move(*opened);
  }
  auto key = fingerprint_key(store.get());
  auto ignore = load_ignore_file(arguments);
  if (!key.ok() || !ignore.ok()) {
    print_error(!key.ok() ? key.error().describe() : ignore.error().describe());
    context.exit_code = 1;
    return;
  }
  std::optional<secrets::Baseline> baseline;
  if (!arguments.baseline.empty()) {
    auto loaded = secrets::Baseline::load(arguments.baseline);
    if (!loaded.ok()) {
      print_error(loaded.error().describe());
      context.exit_code = 1;
      return;
    }
    baseline = std::move(*loaded);
  }
  secrets::Baseline new_baseline = secrets::Baseline::create();

  auto scanner = secrets::Scanner::build(secrets::builtin_rules(), secrets::default_cache_directory());
  if (!scanner.ok()) {
    print_error(scanner.error().message);
    context.exit_code = 1;
    return;
  }

  std::optional<secrets::Verifiers> verifiers;
  if (arguments.verify) {
    auto config = config::load_cli_config(context.config_option);
    if (!config.ok()) {
      print_error(config.error().describe());
      context.exit_code = 2;
      return;
    }
    const secrets::VerifyOptions options = config::make_verify_options(*config);
    if (auto checked = secrets::check_verify_options(options); !checked.ok()) {
      print_error(checked.error().describe());
      context.exit_code = 2;
      return;
    }
    verifiers.emplace(options);
  }

  secrets::PipelineOptions pipeline;
  pipeline.verifiers = verifiers ? &*verifiers : nullptr;
  pipeline.fingerprint_key = *key;
  pipeline.max_decode_depth = arguments.max_decode_depth;
  pipeline.ignore = &*ignore;
  pipeline.baseline = baseline ? &*baseline : nullptr;
  // NOTE: writing a baseline scans on one thread, because Baseline::add is not thread-safe.
  const bool writing_baseline = !arguments.write_baseline.empty();
  if (writing_baseline) pipeline.write_baseline = &new_baseline;
  secrets::ParallelScan scan(*scanner, pipeline, writing_baseline ? 1 : arguments.threads);

  secrets::WalkOptions walk;
  walk.git_history = !arguments.no_history;
  walk.max_archive_depth = arguments.max_archive_depth;
  walk.max_file_bytes = arguments.max_file_mib << 20;
  walk.path_ignored = [&ignore](std::string_view path) { return ignore->path_ignored(path); };
  for (const std::string& path : arguments.paths) {
    const core::Status walked = path == "-" ? secrets::walk_stream(std::cin, "-", walk, scan)
                                            : secrets::walk_path(path, walk, scan);
    if (!walked.ok()) scan.not_scanned(path, walked.error().message);
  }
  secrets::ScanResult result = scan.finish();

  std::optional<posture::Inventory> inventory;
  if (store) {
    auto joined = store_and_join(*store, result, core::now());
    if (joined.ok()) {
      inventory = std::move(*joined);
    } else {
      print_error(fmt::format("the exposures could not be stored or matched to the inventory: {}",
                              joined.error().message));
      context.exit_code = 1;
    }
  }
  if (writing_baseline) {
    if (auto saved = new_baseline.save(arguments.write_baseline); !saved.ok()) {
      print_error(saved.error().message);
      context.exit_code = 1;
    }
  }

  const bool written = write_report(
      arguments.report,
      [&](report::ReportFormat format) {
        if (format == report::ReportFormat::json && inventory) return exposures_json_with_matches(*inventory, result);
        std::string text = report::render_exposures(result, format, table_width());
        if (format == report::ReportFormat::table && inventory) text += matched_context_text(*inventory, result);
        return text;
      },
      context);
  if (!written) return;
  if (!result.exposures.empty() && !writing_baseline) {
    context.exit_code = kGateFailedExitCode;
  } else if (!result.not_scanned.empty() && context.exit_code == 0) {
    print_error(fmt::format("{} input(s) could not be scanned; see the not scanned list", result.not_scanned.size()));
    context.exit_code = 1;
  }
}

}  // namespace

void add_scan_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<ScanArguments>();
  CLI::App* command = app.add_subcommand(
      "scan",
      "Find secrets in files, directories, git history (every commit of every ref), archives and stdin,\n"
      "and match them to the inventory's credentials. Exits 3 when secrets are found.");
  command->add_option("paths", arguments->paths, "Files, directories, repositories or archives; '-' or none reads stdin")
      ->type_name("PATH");
  add_report_options(command, arguments->report, "exposures");
  command->add_flag("--no-history", arguments->no_history, "Scan a repository's working tree only, not its history");
  command->add_flag("--no-store", arguments->no_store,
                    "Do not store exposures or match them to the inventory (fingerprints then use "
                    "$KEYWARD_FINGERPRINT_KEY or a key for this run only)");
  command->add_flag("--verify", arguments->verify,
                    "Ask each secret's service whether it is live (sends the secret to that service's API; "
                    "endpoints in the config file's secrets.verify section)");
  command->add_option("--threads", arguments->threads, "Scanning threads (default: one per CPU)")->type_name("N");
  command->add_option("--max-decode-depth", arguments->max_decode_depth,
                      "Layers of base64, percent and JSON escaping decoded and scanned again (default 2)")
      ->type_name("N")
      ->check(CLI::Range(0, 8));
  command->add_option("--max-archive-depth", arguments->max_archive_depth,
                      "Archives opened inside archives, counting the outer one (default 4)")
      ->type_name("N")
      ->check(CLI::Range(0, 16));
  command->add_option("--max-file-size", arguments->max_file_mib,
                      "Files and blobs larger than this many MiB are reported as not scanned (default 512)")
      ->type_name("MIB")
      ->check(CLI::Range(1, 1 << 16));
  command->add_option("--ignore-file", arguments->ignore_file,
                      "Ignore file of path patterns, fingerprint: and rule: lines (default: .keywardignore in "
                      "the scanned directory)")
      ->type_name("FILE");
  command->add_option("--baseline", arguments->baseline, "Report only secrets not in this baseline file")
      ->type_name("FILE");
  command->add_option("--write-baseline", arguments->write_baseline,
                      "Write every secret found to this baseline file and exit 0")
      ->type_name("FILE");
  command->callback([arguments, &context] { run_scan(*arguments, context); });
}

}  // namespace keyward::cli
