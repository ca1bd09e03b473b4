#include <fmt/format.h>

#include "cli/context.hpp"
#include "report/csv.hpp"
#include "report/inventory.hpp"
#include "report/table.hpp"

namespace keyward::cli {
namespace {

struct InventoryArguments {
  OutputFormat format = OutputFormat::table;
  bool all = false;
  std::optional<core::UnixTime> as_of;
};

std::string credential_summary(const report::InventoryEntry& entry) {
  int active = 0;
  for (const auto& credential : entry.credentials) {
    if (credential.status == "active") ++active;
  }
  return fmt::format("{}/{}", active, entry.credentials.size());
}

void run_inventory(const InventoryArguments& arguments, CliContext& context) {
  auto store = open_store(context);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }
  auto entries = report::load_inventory(**store, arguments.all);
  if (!entries) {
    print_error(entries.error().describe());
    context.exit_code = 1;
    return;
  }

  if (arguments.format == OutputFormat::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& entry : *entries) out.push_back(report::to_json(entry));
    fmt::print("{}\n", out.dump(2));
    return;
  }
  if (arguments.format == OutputFormat::csv) {
    fmt::print("{}", report::csv_row({"platform", "kind", "id", "name", "owner", "classification", "last_used", "active_credentials", "credentials"}));
    for (const auto& entry : *entries) {
      int active = 0;
      for (const auto& credential : entry.credentials) active += credential.status == "active";
      fmt::print("{}", report::csv_row({entry.platform, entry.kind, entry.id, entry.name, entry.owner, entry.classification,
                                        entry.last_used ? core::format_time(*entry.last_used) : "",
                                        std::to_string(active), std::to_string(entry.credentials.size())}));
    }
    return;
  }

  report::Table table({{"KIND", 8, true}, {"NAME", 12, true}, {"CLASS", 7}, {"OWNER", 5, true}, {"LAST USED", 16}, {"KEYS", 4}});
  for (const auto& entry : *entries) {
    table.add_row({entry.kind, entry.name, entry.classification, entry.owner.empty() ? "-" : entry.owner,
                   short_time(entry.last_used), credential_summary(entry)});
  }
  if (table.empty()) {
    fmt::print("No identities in the store. Ingest exports first: keyward ingest PATH...\n");
    return;
  }
  fmt::print("{}", table.render());
  fmt::print("{} entries; KEYS is active/total credentials.{}\n", entries->size(),
             arguments.all ? "" : "\nNon-human identities and credentials only; --all adds people.");
}

}  // namespace

void add_inventory_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<InventoryArguments>();
  CLI::App* command = app.add_subcommand("inventory", "List non-human identities and their credentials");
  add_format_option(command, arguments->format);
  command->add_flag("--all", arguments->all, "Also list human identities");
  add_as_of_option(command, arguments->as_of);
  command->callback([arguments, &context] { run_inventory(*arguments, context); });
}

}  // namespace keyward::cli
