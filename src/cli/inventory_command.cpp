#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "cli/context.hpp"
#include "inventory/filters.hpp"
#include "inventory/vendor_catalog.hpp"
#include "inventory/vendors.hpp"
#include "report/csv.hpp"
#include "report/inventory.hpp"
#include "report/table.hpp"

namespace keyward::cli {
namespace {

struct InventoryArguments {
  OutputFormat format = OutputFormat::table;
  bool all = false;
  std::optional<core::UnixTime> as_of;
  std::vector<std::string> platforms;
  std::vector<std::string> kinds;
  std::vector<std::string> vendors;
  std::vector<std::string> owner_statuses;
  std::string privilege;
  std::optional<int> unused_days;
  bool third_party = false;
  bool shadow = false;
  bool generative_ai = false;
  bool indirect = false;
};

// Counts credentials that are active and not expired at `as_of`: an expired secret that the
// platform still lists as enabled no longer authenticates.
int active_credentials(const report::InventoryEntry& entry, core::UnixTime as_of) {
  int active = 0;
  for (const auto& credential : entry.credentials) {
    const bool expired = credential.expires && *credential.expires <= as_of;
    active += credential.status == "active" && !expired ? 1 : 0;
  }
  return active;
}

std::string credential_summary(const report::InventoryEntry& entry, core::UnixTime as_of) {
  return fmt::format("{}/{}", active_credentials(entry, as_of), entry.credentials.size());
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

// Short markers for the table: third-party, generative AI, indirect access, shadow, person.
std::string flags_of(const report::InventoryEntry& entry) {
  std::vector<std::string> flags;
  if (entry.third_party) flags.emplace_back("3p");
  if (entry.generative_ai) flags.emplace_back("ai");
  if (entry.indirect_access) flags.emplace_back("ind");
  if (entry.shadow) flags.emplace_back("shadow");
  if (entry.classification == "human") flags.emplace_back("human");
  return join(flags, " ");
}

std::string optional_bool_text(const std::optional<bool>& value) {
  if (!value) return "";
  return *value ? "true" : "false";
}

void print_csv(const std::vector<const report::InventoryEntry*>& entries, core::UnixTime as_of) {
  fmt::print("{}", report::csv_row({"platform", "kind", "id", "name", "owner", "classification", "last_used",
                                    "active_credentials", "credentials", "owner_reference", "owner_source",
                                    "owner_status", "owner_email", "owner_name", "vendor", "vendor_category",
                                    "publisher", "publisher_verified", "third_party", "shadow", "generative_ai",
                                    "indirect_access", "privilege", "scopes", "connected_by", "status", "account"}));
  for (const auto* entry : entries) {
    const auto& owner = entry->owner_resolution;
    fmt::print("{}", report::csv_row({entry->platform, entry->kind, entry->id, entry->name, entry->owner,
                                      entry->classification, entry->last_used ? core::format_time(*entry->last_used) : "",
                                      std::to_string(active_credentials(*entry, as_of)), std::to_string(entry->credentials.size()),
                                      owner.reference, owner.source, std::string(inventory::to_string(owner.status)),
                                      owner.email, owner.name, entry->vendor, entry->vendor_category, entry->publisher,
                                      optional_bool_text(entry->publisher_verified), entry->third_party ? "true" : "false",
                                      entry->shadow ? "true" : "false", entry->generative_ai ? "true" : "false",
                                      entry->indirect_access ? "true" : "false", entry->privilege, join(entry->scopes, " "),
                                      join(entry->connected_by, ";"), entry->identity.status, entry->identity.account}));
  }
}

// The owner for the table: one marker character for the status, so a narrow column cuts the
// address, not the status. JSON and CSV carry the status in words.
std::string owner_cell(const inventory::OwnerResolution& owner) {
  if (owner.status == inventory::OwnerStatus::none) return "-";
  const std::string person = !owner.email.empty() ? owner.email : !owner.name.empty() ? owner.name : owner.reference;
  switch (owner.status) {
    case inventory::OwnerStatus::deprovisioned:
      return "!" + person;
    case inventory::OwnerStatus::suspended:
      return "~" + person;
    case inventory::OwnerStatus::unknown:
      return "?" + person;
    default:
      return person;
  }
}

// The kind without its platform prefix ("github_pat_classic" shows as "pat_classic"), because
// the PLATFORM column or the filter already names the platform.
std::string kind_label(const report::InventoryEntry& entry) {
  const std::string prefix = entry.platform + "_";
  if (entry.kind.size() > prefix.size() && entry.kind.rfind(prefix, 0) == 0) return entry.kind.substr(prefix.size());
  return entry.kind;
}

void print_table(const std::vector<const report::InventoryEntry*>& entries, size_t loaded, const InventoryArguments& arguments) {
  // Columns that would be the same or empty on every row are left out, so NAME and OWNER keep
  // room. The minimum widths keep every header whole and add up to 80 columns with every column
  // shown; a wider terminal gives the flexible columns more.
  std::set<std::string> platforms;
  bool any_vendor = false;
  bool any_flag = false;
  size_t owner_width = 5;
  for (const auto* entry : entries) {
    platforms.insert(entry->platform);
    any_vendor = any_vendor || !entry->vendor.empty();
    any_flag = any_flag || !flags_of(*entry).empty();
    owner_width = std::max(owner_width, std::min<size_t>(10, report::display_width(owner_cell(entry->owner_resolution))));
  }
  const bool show_platform = platforms.size() > 1;
  std::vector<report::Column> columns;
  if (show_platform) columns.push_back({"PLATFORM", 8, true});
  columns.push_back({"KIND", 6, true});
  columns.push_back({"NAME", 10, true});
  columns.push_back({"OWNER", owner_width, true});
  if (any_vendor) columns.push_back({"VENDOR", 6, true});
  columns.push_back({"PRIV", 5});
  columns.push_back({"LAST USED", 10});
  columns.push_back({"KEYS", 4});
  if (any_flag) columns.push_back({"FLAGS", 5, true});
  report::Table table(std::move(columns));
  for (const auto* entry : entries) {
    std::vector<std::string> cells;
    if (show_platform) cells.push_back(entry->platform);
    cells.push_back(kind_label(*entry));
    cells.push_back(entry->name);
    cells.push_back(owner_cell(entry->owner_resolution));
    if (any_vendor) cells.push_back(entry->vendor.empty() ? "-" : entry->vendor);
    cells.push_back(entry->privilege.empty() ? "-" : entry->privilege);
    cells.push_back(entry->last_used ? core::format_date(*entry->last_used) : "-");
    cells.push_back(credential_summary(*entry, arguments.as_of.value_or(core::now())));
    if (any_flag) cells.push_back(flags_of(*entry));
    table.add_row(std::move(cells));
  }
  if (loaded == 0) {
    fmt::print("No identities in the store. Ingest exports first: keyward ingest PATH...\n");
    return;
  }
  if (table.empty()) {
    fmt::print("No entries match the filters ({} entries in the inventory).\n", loaded);
    return;
  }
  fmt::print("{}", table.render(table_width()));
  fmt::print("{} entries; KEYS is active, unexpired/total credentials.\n"
             "OWNER: !name deprovisioned, ~name suspended, ?name in no ingested directory.\n"
             "FLAGS: 3p third-party, ai generative AI, ind indirect access through an\n"
             "automation platform, shadow created by a person for automation.{}\n",
             entries.size(), arguments.all ? "" : "\nNon-human identities and credentials only; --all adds people.");
}

void run_inventory(const InventoryArguments& arguments, CliContext& context) {
  auto filter = inventory::make_inventory_filter(arguments.platforms, arguments.kinds, arguments.vendors,
                                                 arguments.owner_statuses, arguments.privilege);
  if (!filter) {
    print_error(filter.error().describe());
    context.exit_code = 2;
    return;
  }
  filter->unused_days = arguments.unused_days;
  filter->as_of = arguments.as_of.value_or(core::now());
  filter->third_party = arguments.third_party;
  filter->shadow = arguments.shadow;
  filter->generative_ai = arguments.generative_ai;
  filter->indirect_access = arguments.indirect;

  auto catalog = inventory::load_vendor_catalog("");
  if (!catalog) {
    print_error(catalog.error().describe());
    context.exit_code = 1;
    return;
  }
  if (!*catalog && (arguments.generative_ai || arguments.indirect)) {
    print_error("vendors.csv not found in $KEYWARD_DATA or ./data, so no vendor has a category and --ai and "
                "--indirect match nothing; set KEYWARD_DATA to the directory that contains vendors.csv");
    context.exit_code = 1;
    return;
  }

  auto store = open_store(context);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }
  report::InventoryOptions options{arguments.all, *catalog ? &**catalog : nullptr};
  auto entries = report::load_inventory(**store, options);
  if (!entries) {
    print_error(entries.error().describe());
    context.exit_code = 1;
    return;
  }
  std::vector<const report::InventoryEntry*> selected;
  for (const auto& entry : *entries) {
    if (inventory::matches(entry, *filter)) selected.push_back(&entry);
  }

  if (arguments.format == OutputFormat::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto* entry : selected) out.push_back(report::to_json(*entry));
    fmt::print("{}\n", out.dump(2));
    return;
  }
  if (arguments.format == OutputFormat::csv) return print_csv(selected, arguments.as_of.value_or(core::now()));
  print_table(selected, entries->size(), arguments);
}

}  // namespace

void add_inventory_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<InventoryArguments>();
  CLI::App* command = app.add_subcommand("inventory", "List non-human identities of every platform with owner, vendor, privilege and credentials");
  add_format_option(command, arguments->format);
  command->add_flag("--all", arguments->all, "Also list human identities");
  add_as_of_option(command, arguments->as_of);
  command->add_option("--platform", arguments->platforms, "Only these platforms (aws, gcp, entra, okta, github, ...); repeat or separate with commas")
      ->type_name("NAME");
  command->add_option("--kind", arguments->kinds, "Only these identity kinds (e.g. gcp_service_account); repeat or separate with commas")
      ->type_name("KIND");
  command->add_option("--vendor", arguments->vendors, "Only these vendors (e.g. Zapier); repeat or separate with commas")
      ->type_name("NAME");
  command->add_option("--owner-status", arguments->owner_statuses,
                      "Only NHIs whose owner is active, suspended, deprovisioned, unknown (no directory lists them) or none "
                      "(no owner named); repeat or separate with commas")
      ->type_name("STATUS");
  command->add_option("--privilege", arguments->privilege, "Only NHIs with at least this privilege level: read, write or admin")
      ->type_name("LEVEL");
  command->add_option("--unused-days", arguments->unused_days, "Only NHIs not used in the last N days (never used counts), counted back from --as-of or now")
      ->type_name("N")
      ->check(CLI::Range(0, 36500));
  command->add_flag("--third-party", arguments->third_party, "Only identities operated by another organization");
  command->add_flag("--shadow", arguments->shadow, "Only shadow engineering access: tokens and keys a person created for automation");
  command->add_flag("--ai", arguments->generative_ai, "Only identities of generative-AI vendors");
  command->add_flag("--indirect", arguments->indirect, "Only identities of automation platforms, which give indirect access between systems");
  command->callback([arguments, &context] { run_inventory(*arguments, context); });
}

}  // namespace keyward::cli
