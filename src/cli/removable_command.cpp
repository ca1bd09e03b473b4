// `keyward removable`: the redundant-access view. Lists non-human identities that nothing has
// used for N days (see inventory/removable.hpp for the rule) and the share of each platform's
// NHIs and credentials they represent.

#include <fmt/format.h>

#include "cli/context.hpp"
#include "core/model_json.hpp"
#include "inventory/filters.hpp"
#include "inventory/removable.hpp"
#include "posture/engine.hpp"
#include "report/csv.hpp"
#include "report/table.hpp"

namespace keyward::cli {
namespace {

struct RemovableArguments {
  OutputFormat format = OutputFormat::table;
  int unused_days = 90;
  std::optional<core::UnixTime> as_of;
  std::vector<std::string> platforms;
};

std::string percent(size_t part, size_t whole) {
  return whole == 0 ? "-" : fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string joined_reasons(const inventory::RemovalCandidate& candidate) {
  return fmt::format("{}", fmt::join(candidate.reasons, "; "));
}

nlohmann::json to_json(const inventory::RemovalReport& report) {
  nlohmann::json candidates = nlohmann::json::array();
  for (const auto& candidate : report.candidates) {
    candidates.push_back({{"platform", candidate.entry->platform},
                          {"kind", candidate.entry->kind},
                          {"id", candidate.entry->id},
                          {"name", candidate.entry->name},
                          {"owner", report::owner_label(candidate.entry->owner_resolution)},
                          {"last_used", core::optional_time_json(candidate.last_used)},
                          {"created", core::optional_time_json(candidate.created)},
                          {"idle_days", candidate.idle_days},
                          {"credentials", candidate.entry->credentials.size()},
                          {"reasons", candidate.reasons}});
  }
  nlohmann::json platforms = nlohmann::json::object();
  for (const auto& [platform, share] : report.platforms) {
    platforms[platform] = {{"identities", share.identities},
                           {"use_unknown", share.use_unknown},
                           {"removable", share.removable},
                           {"credentials", share.credentials},
                           {"removable_credentials", share.removable_credentials}};
  }
  return {{"candidates", candidates}, {"platforms", platforms}};
}

void print_table(const inventory::RemovalReport& report, int unused_days) {
  if (report.candidates.empty()) {
    fmt::print("No non-human identity is unused for more than {} days.\n", unused_days);
  } else {
    report::Table table({{"PLATFORM", 8}, {"KIND", 10, true}, {"NAME", 16, true}, {"IDLE", 5}, {"KEYS", 4},
                         {"REASONS", 20, true}});
    for (const auto& candidate : report.candidates) {
      table.add_row({candidate.entry->platform, candidate.entry->kind,
                     candidate.entry->name.empty() ? candidate.entry->id : candidate.entry->name,
                     std::to_string(candidate.idle_days), std::to_string(candidate.entry->credentials.size()),
                     joined_reasons(candidate)});
    }
    fmt::print("{}\n", table.render(table_width()));
  }
  report::Table shares({{"PLATFORM", 8}, {"NHIS", 5}, {"REMOVABLE", 9}, {"SHARE", 6}, {"KEYS", 5}, {"KEY SHARE", 9},
                        {"USE UNKNOWN", 11}});
  for (const auto& [platform, share] : report.platforms) {
    shares.add_row({platform, std::to_string(share.identities), std::to_string(share.removable),
                    percent(share.removable, share.identities), std::to_string(share.credentials),
                    percent(share.removable_credentials, share.credentials), std::to_string(share.use_unknown)});
  }
  fmt::print("{}", shares.render(table_width()));
  fmt::print("{} NHIs safe to remove: no use in more than {} days. USE UNKNOWN counts NHIs whose exports record\n"
             "no use, which are never listed. Disable first, wait for anything that breaks, then delete.\n",
             report.candidates.size(), unused_days);
}

void print_csv(const inventory::RemovalReport& report) {
  fmt::print("{}", report::csv_row({"platform", "kind", "id", "name", "owner", "last_used", "created", "idle_days",
                                    "credentials", "reasons"}));
  for (const auto& candidate : report.candidates) {
    fmt::print("{}", report::csv_row({candidate.entry->platform, candidate.entry->kind, candidate.entry->id,
                                      candidate.entry->name, report::owner_label(candidate.entry->owner_resolution),
                                      candidate.last_used ? core::format_time(*candidate.last_used) : "",
                                      candidate.created ? core::format_time(*candidate.created) : "",
                                      std::to_string(candidate.idle_days),
                                      std::to_string(candidate.entry->credentials.size()), joined_reasons(candidate)}));
  }
}

void run_removable(const RemovableArguments& arguments, CliContext& context) {
  auto filter = inventory::make_inventory_filter(arguments.platforms, {}, {}, {}, "");
  if (!filter) {
    print_error(filter.error().describe());
    context.exit_code = 2;
    return;
  }
  auto store = open_store(context);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }
  auto entries = report::load_inventory(**store, false);
  if (!entries) {
    print_error(entries.error().describe());
    context.exit_code = 1;
    return;
  }
  std::vector<report::InventoryEntry> selected;
  for (auto& entry : *entries) {
    if (inventory::matches(entry, *filter)) selected.push_back(std::move(entry));
  }
  auto as_of = posture::resolve_posture_as_of(**store, arguments.as_of);
  if (!as_of) {
    print_error(as_of.error().describe());
    context.exit_code = 1;
    return;
  }
  const inventory::RemovalReport report = inventory::find_removable(selected, arguments.unused_days, as_of->first);
  if (arguments.format == OutputFormat::json) {
    fmt::print("{}\n", to_json(report).dump(2));
  } else if (arguments.format == OutputFormat::csv) {
    print_csv(report);
  } else {
    print_table(report, arguments.unused_days);
  }
}

}  // namespace

void add_removable_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<RemovableArguments>();
  CLI::App* command = app.add_subcommand(
      "removable", "List non-human identities safe to remove (unused for N days) and their share per platform");
  add_format_option(command, arguments->format);
  add_as_of_option(command, arguments->as_of);
  command->add_option("--unused-days", arguments->unused_days, "List NHIs with no use in more than this many days")
      ->default_val(90)
      ->check(CLI::Range(1, 3650));
  command->add_option("--platform", arguments->platforms, "Only these platforms; repeat or separate with commas")
      ->type_name("NAME");
  command->callback([arguments, &context] { run_removable(*arguments, context); });
}

}  // namespace keyward::cli
