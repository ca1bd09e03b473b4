#include <fmt/format.h>

#include "cli/context.hpp"
#include "inventory/attribute_values.hpp"
#include "inventory/filters.hpp"
#include "inventory/vendor_catalog.hpp"
#include "inventory/vendors.hpp"
#include "report/csv.hpp"
#include "report/inventory.hpp"
#include "report/table.hpp"

namespace keyward::cli {
namespace {

struct VendorsArguments {
  OutputFormat format = OutputFormat::table;
  std::vector<std::string> categories;
  bool unverified = false;
  bool generative_ai = false;
};

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

void print_csv(const std::vector<const inventory::VendorSummary*>& vendors) {
  fmt::print("{}", report::csv_row({"name", "category", "verification", "connections", "platforms", "privilege",
                                    "generative_ai", "indirect_access", "indirect_platforms", "connected_by", "scopes",
                                    "publishers", "last_used"}));
  for (const auto* vendor : vendors) {
    fmt::print("{}", report::csv_row({vendor->name, vendor->category, vendor->verification,
                                      std::to_string(vendor->connections.size()), join(vendor->platforms, ";"),
                                      vendor->privilege, vendor->generative_ai ? "true" : "false",
                                      vendor->indirect_access ? "true" : "false",
                                      vendor->indirect_access ? join(vendor->platforms, ";") : "",
                                      join(vendor->connected_by, ";"), join(vendor->scopes, " "),
                                      join(vendor->publishers, ";"),
                                      vendor->last_used ? core::format_time(*vendor->last_used) : ""}));
  }
}

void print_table(const std::vector<const inventory::VendorSummary*>& vendors, size_t total) {
  if (total == 0) {
    fmt::print("No third-party apps in the store. Ingest app, grant or token exports first: keyward ingest PATH...\n");
    return;
  }
  if (vendors.empty()) {
    fmt::print("No vendors match the filters ({} vendors connected).\n", total);
    return;
  }
  report::Table table({{"VENDOR", 6, true},
                       {"CATEGORY", 8},
                       {"PUBLISHER", 10},
                       {"APPS", 4},
                       {"PRIV", 5},
                       {"PLATFORMS", 9, true},
                       {"CONNECTED BY", 12, true}});
  for (const auto* vendor : vendors) {
    std::string category = vendor->category.empty() ? "-" : vendor->category;
    if (vendor->indirect_access && vendor->platforms.size() > 1) category += " (bridge)";
    table.add_row({vendor->name, category, vendor->verification, std::to_string(vendor->connections.size()),
                   vendor->privilege.empty() ? "-" : vendor->privilege, join(vendor->platforms, ","),
                   vendor->connected_by.empty() ? "-" : join(vendor->connected_by, ",")});
  }
  fmt::print("{}", table.render(table_width()));
  fmt::print("{} vendors. APPS counts the connected apps and tokens; PRIV is the highest level.\n"
             "A bridge is an automation platform connected to several platforms, so data can\n"
             "flow between them.\n",
             vendors.size());
}

void run_vendors(const VendorsArguments& arguments, CliContext& context) {
  inventory::VendorFilter filter;
  for (const auto& category : inventory::split_option_values(arguments.categories)) {
    const std::string lowered = inventory::lower_ascii(category);
    if (!inventory::is_known_vendor_category(lowered)) {
      print_error(fmt::format("invalid category '{}'; use automation, genai, devtools, crm, analytics, security, "
                              "productivity, observability or cloud",
                              category));
      context.exit_code = 2;
      return;
    }
    filter.categories.push_back(lowered);
  }
  filter.unverified = arguments.unverified;
  filter.generative_ai = arguments.generative_ai;

  auto catalog = inventory::load_vendor_catalog("");
  if (!catalog) {
    print_error(catalog.error().describe());
    context.exit_code = 1;
    return;
  }
  if (!*catalog) {
    fmt::print(stderr, "keyward: note: vendors.csv not found in $KEYWARD_DATA or ./data; vendors are grouped by the "
                       "names the platforms report, without categories\n");
  }
  auto store = open_store(context);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }
  auto entries = report::load_inventory(**store, report::InventoryOptions{false, *catalog ? &**catalog : nullptr});
  if (!entries) {
    print_error(entries.error().describe());
    context.exit_code = 1;
    return;
  }
  const auto vendors = inventory::group_vendors(*entries);
  std::vector<const inventory::VendorSummary*> selected;
  for (const auto& vendor : vendors) {
    if (inventory::matches(vendor, filter)) selected.push_back(&vendor);
  }

  if (arguments.format == OutputFormat::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto* vendor : selected) out.push_back(inventory::to_json(*vendor));
    fmt::print("{}\n", out.dump(2));
    return;
  }
  if (arguments.format == OutputFormat::csv) return print_csv(selected);
  print_table(selected, vendors.size());
}

}  // namespace

void add_vendors_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<VendorsArguments>();
  CLI::App* command = app.add_subcommand("vendors", "List third-party vendors connected to your platforms, grouped across platforms");
  add_format_option(command, arguments->format);
  command->add_option("--category", arguments->categories,
                      "Only these categories: automation, genai, devtools, crm, analytics, security, productivity, "
                      "observability, cloud; repeat or separate with commas")
      ->type_name("NAME");
  command->add_flag("--unverified", arguments->unverified, "Only vendors connected through at least one app whose publisher is not verified");
  command->add_flag("--ai", arguments->generative_ai, "Only generative-AI vendors");
  command->callback([arguments, &context] { run_vendors(*arguments, context); });
}

}  // namespace keyward::cli
