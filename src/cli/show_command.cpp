#include <fmt/format.h>

#include <map>
#include <set>

#include "cli/context.hpp"
#include "core/model_json.hpp"
#include "inventory/aliases.hpp"
#include "inventory/vendor_catalog.hpp"
#include "inventory/vendors.hpp"
#include "posture/check.hpp"
#include "posture/inventory.hpp"
#include "report/inventory.hpp"
#include "report/table.hpp"

namespace keyward::cli {
namespace {

constexpr core::UnixTime kSecondsPerDay = 86400;

struct ShowArguments {
  std::string identity;
  OutputFormat format = OutputFormat::table;
  int days = 14;
};

// Everything `show` prints about one identity.
struct ShowData {
  const report::InventoryEntry* entry = nullptr;
  const inventory::VendorSummary* vendor = nullptr;
  std::vector<core::ActivitySummary> activity;
  posture::ActivityProfile profile;
  std::vector<std::pair<core::UnixTime, long long>> days;  // per-day event totals, oldest first
  std::vector<core::Finding> findings;
  std::vector<core::Alert> alerts;
};

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

std::string time_or_dash(const std::optional<core::UnixTime>& time) {
  return time ? core::format_time(*time) : "-";
}

// Finds the entries the query names. An exact entry id wins. Otherwise it returns every entry whose identity has
// that id, name, alias, email or login, or that has a credential with that id.
std::vector<const report::InventoryEntry*> find_entries(const std::vector<report::InventoryEntry>& entries,
                                                        const std::string& query) {
  std::vector<const report::InventoryEntry*> exact;
  for (const auto& entry : entries) {
    if (entry.id == query) exact.push_back(&entry);
  }
  if (exact.size() == 1) return exact;
  std::vector<const report::InventoryEntry*> found;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& entry : entries) {
    const bool own_entry = entry.id == entry.identity.id;  // not a human's access key listed apart
    bool named = entry.id == query || (own_entry && inventory::identity_matches(entry.identity, query));
    for (const auto& credential : entry.credentials) named = named || credential.id == query;
    if (named && seen.emplace(entry.platform, entry.id).second) found.push_back(&entry);
  }
  return found;
}

// Whether an identity reference names this entry: its id or one of its aliases on its platform.
bool refers_to(const report::InventoryEntry& entry, const std::set<std::string>& ids, const core::IdentityRef& ref) {
  return (ref.platform.empty() || ref.platform == entry.platform) && ids.contains(ref.id);
}

core::Status collect(store::Store& store, const std::vector<inventory::VendorSummary>& vendors, int days, ShowData& data) {
  const report::InventoryEntry& entry = *data.entry;
  std::set<std::string> ids{entry.id, entry.identity.id};
  for (const auto& alias : inventory::aliases_of(entry.identity)) ids.insert(alias);
  std::set<std::string> credential_ids;
  for (const auto& credential : entry.credentials) credential_ids.insert(credential.id);

  for (const auto& vendor : vendors) {
    for (const auto& connection : vendor.connections) {
      if (connection.platform == entry.platform && connection.id == entry.id) data.vendor = &vendor;
    }
  }

  // Activity is read again (the inventory keeps only totals) with aliases resolved as the
  // inventory resolves them.
  auto identities = store.list_identities(store::IdentityFilter{"", true});
  if (!identities.ok()) return identities.error();
  auto activity = store.list_activity("");
  if (!activity.ok()) return activity.error();
  inventory::resolve_aliases(inventory::AliasIndex(*identities), *activity);
  const bool key_entry = entry.id != entry.identity.id;
  for (auto& summary : *activity) {
    if (summary.platform != entry.platform) continue;
    const bool mine = key_entry ? credential_ids.contains(summary.credential_id) : summary.identity_id == entry.identity.id;
    if (mine) data.activity.push_back(std::move(summary));
  }
  posture::Inventory profiles;
  posture::build_activity_profiles(data.activity, profiles);
  if (auto found = profiles.activity_by_identity.find(entry.identity.id); found != profiles.activity_by_identity.end()) {
    data.profile = found->second;
  }
  std::map<core::UnixTime, long long> per_day;
  for (const auto& summary : data.activity) per_day[summary.day] += summary.count;
  if (!per_day.empty()) {
    const core::UnixTime last_day = per_day.rbegin()->first;
    for (auto& [day, count] : per_day) {
      if (day > last_day - static_cast<core::UnixTime>(days) * kSecondsPerDay) data.days.emplace_back(day, count);
    }
  }

  auto findings = store.list_findings(false);
  if (!findings.ok()) return findings.error();
  for (auto& finding : *findings) {
    const bool about_key = !finding.credential_id.empty() && credential_ids.contains(finding.credential_id);
    if ((key_entry ? about_key : refers_to(entry, ids, finding.identity) || about_key)) data.findings.push_back(std::move(finding));
  }
  auto alerts = store.list_alerts();
  if (!alerts.ok()) return alerts.error();
  for (auto& alert : *alerts) {
    if (alert.status == core::FindingStatus::resolved) continue;
    const bool about_key = !alert.credential_id.empty() && credential_ids.contains(alert.credential_id);
    if ((key_entry ? about_key : refers_to(entry, ids, alert.identity) || about_key)) data.alerts.push_back(std::move(alert));
  }
  return {};
}

nlohmann::json profile_json(const ShowData& data) {
  nlohmann::json days = nlohmann::json::array();
  for (const auto& [day, count] : data.days) days.push_back({{"day", core::format_date(day)}, {"events", count}});
  return {{"events", data.profile.events},
          {"first_seen", core::optional_time_json(data.profile.first_seen)},
          {"last_seen", core::optional_time_json(data.profile.last_seen)},
          {"networks", data.profile.networks},
          {"user_agent_families", data.profile.user_agent_families},
          {"days", days}};
}

void print_json(const ShowData& data) {
  const report::InventoryEntry& entry = *data.entry;
  nlohmann::json grants = nlohmann::json::array();
  for (const auto& grant : entry.grants) grants.push_back(core::to_json(grant));
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& finding : data.findings) findings.push_back(core::to_json(finding));
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& alert : data.alerts) alerts.push_back(core::to_json(alert));
  nlohmann::json out = report::to_json(entry);
  out["identity"] = core::to_json(entry.identity, {});
  out["attributes"] = entry.identity.attributes;
  out["grants"] = grants;
  out["vendor_summary"] = data.vendor != nullptr ? inventory::to_json(*data.vendor) : nlohmann::json(nullptr);
  out["activity"] = profile_json(data);
  out["findings"] = findings;
  out["alerts"] = alerts;
  fmt::print("{}\n", out.dump(2));
}

std::string attribute_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array() && std::all_of(value.begin(), value.end(), [](const nlohmann::json& item) { return item.is_string(); })) {
    std::vector<std::string> items;
    for (const auto& item : value) items.push_back(item.get<std::string>());
    return join(items, ", ");
  }
  return value.dump();
}

void print_owner_and_vendor(const ShowData& data) {
  const report::InventoryEntry& entry = *data.entry;
  const auto& owner = entry.owner_resolution;
  if (owner.status == inventory::OwnerStatus::none) {
    fmt::print("owner:          none named\n");
  } else {
    std::string person_label = !owner.email.empty() ? owner.email : owner.reference;
    if (!owner.name.empty() && owner.name != person_label) person_label += fmt::format(" ({})", owner.name);
    std::vector<std::string> accounts;
    for (const auto& account : owner.accounts) accounts.push_back(fmt::format("{} {}", account.platform, account.status));
    fmt::print("owner:          {}: {}{} [from {} \"{}\"]\n", person_label, inventory::to_string(owner.status),
               accounts.empty() ? " (no directory lists them)" : " (" + join(accounts, ", ") + ")", owner.source,
               owner.reference);
  }
  if (!entry.vendor.empty()) {
    std::string verification = !entry.publisher_verified ? "publisher verification unknown"
                               : *entry.publisher_verified ? "verified publisher"
                                                           : "unverified publisher";
    fmt::print("vendor:         {} ({}, {}{})\n", entry.vendor, entry.vendor_category.empty() ? "category unknown" : entry.vendor_category,
               verification, entry.publisher.empty() ? "" : fmt::format(" \"{}\"", entry.publisher));
    if (data.vendor != nullptr && data.vendor->indirect_access) {
      if (data.vendor->platforms.size() > 1) {
        fmt::print("indirect:       an automation platform, connected on {}: data can flow between them\n",
                   join(data.vendor->platforms, ", "));
      } else {
        fmt::print("indirect:       an automation platform, connected on {} only so far\n", join(data.vendor->platforms, ", "));
      }
    }
    if (entry.generative_ai) fmt::print("generative AI:  yes\n");
  }
  if (entry.shadow) fmt::print("shadow:         yes, created by a person for automation\n");
  fmt::print("privilege:      {}\n", entry.privilege.empty() ? "unknown" : entry.privilege);
  if (!entry.connected_by.empty()) fmt::print("connected by:   {}\n", join(entry.connected_by, ", "));
}

void print_text(const ShowData& data) {
  const report::InventoryEntry& entry = *data.entry;
  const core::Identity& identity = entry.identity;
  fmt::print("{} ({} {})\n", entry.name, entry.platform, entry.kind);
  fmt::print("id:             {}\n", entry.id);
  if (!identity.account.empty()) fmt::print("account:        {}\n", identity.account);
  fmt::print("status:         {}\n", identity.status);
  fmt::print("classification: {}{}\n", entry.classification,
             entry.classification_reason.empty() ? "" : " (" + entry.classification_reason + ")");
  fmt::print("created:        {}\n", time_or_dash(identity.created));
  fmt::print("last used:      {}\n", time_or_dash(entry.last_used));
  print_owner_and_vendor(data);
  if (!entry.scopes.empty()) fmt::print("scopes:         {}\n", join(entry.scopes, " "));

  if (entry.id == identity.id && !identity.attributes.empty()) {
    fmt::print("\nAttributes\n");
    for (const auto& [key, value] : identity.attributes.items()) fmt::print("  {}: {}\n", key, attribute_text(value));
  }

  fmt::print("\nCredentials ({})\n", entry.credentials.size());
  if (!entry.credentials.empty()) {
    report::Table table({{"ID", 10, true}, {"KIND", 6, true}, {"STATUS", 6}, {"CREATED", 10}, {"EXPIRES", 10}, {"LAST USED", 10}});
    for (const auto& credential : entry.credentials) {
      auto date = [](const std::optional<core::UnixTime>& time) { return time ? core::format_date(*time) : "-"; };
      table.add_row({credential.id, credential.kind, credential.status, date(credential.created), date(credential.expires),
                     date(credential.last_used)});
    }
    fmt::print("{}", table.render(table_width()));
  }

  fmt::print("\nGrants ({})\n", entry.grants.size());
  if (!entry.grants.empty()) {
    report::Table table({{"LEVEL", 5}, {"ROLE/SCOPE", 10, true}, {"RESOURCE", 8, true}, {"TYPE", 4, true}, {"GRANTED BY", 6, true}});
    for (const auto& grant : entry.grants) {
      std::string actions = (grant.not_action ? "NOT " : "") + join(grant.actions, ",");
      if (grant.effect == "Deny") actions = "DENY " + actions;
      table.add_row({grant.level.empty() ? "-" : grant.level, actions, join(grant.resources, ","),
                     grant.resource_type.empty() ? "-" : grant.resource_type, grant.granted_by.empty() ? "-" : grant.granted_by});
    }
    fmt::print("{}", table.render(table_width()));
  }

  fmt::print("\nActivity: {} events, first seen {}, last seen {}\n", data.profile.events, time_or_dash(data.profile.first_seen),
             time_or_dash(data.profile.last_seen));
  if (!data.profile.networks.empty()) fmt::print("  networks:    {}\n", join(data.profile.networks, ", "));
  if (!data.profile.user_agent_families.empty()) fmt::print("  user agents: {}\n", join(data.profile.user_agent_families, ", "));
  for (const auto& [day, count] : data.days) fmt::print("  {}  {}\n", core::format_date(day), count);

  fmt::print("\nOpen findings ({})\n", data.findings.size());
  for (const auto& finding : data.findings) {
    fmt::print("  [{}] {} ({})\n", core::to_string(finding.severity), finding.title, finding.rule);
  }
  fmt::print("\nAlerts ({})\n", data.alerts.size());
  for (const auto& alert : data.alerts) {
    fmt::print("  {} [{}] {} ({})\n", core::format_time(alert.time), core::to_string(alert.severity), alert.title, alert.detector);
  }
}

void run_show(const ShowArguments& arguments, CliContext& context) {
  auto catalog = inventory::load_vendor_catalog("");
  if (!catalog) {
    print_error(catalog.error().describe());
    context.exit_code = 1;
    return;
  }
  auto store = open_store(context);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }
  auto entries = report::load_inventory(**store, report::InventoryOptions{true, *catalog ? &**catalog : nullptr});
  if (!entries) {
    print_error(entries.error().describe());
    context.exit_code = 1;
    return;
  }
  const auto matches = find_entries(*entries, arguments.identity);
  if (matches.empty()) {
    print_error(fmt::format("no identity matches '{}'; give an id, a name, an alias, an email or a credential id "
                            "(see `keyward inventory --all`){}",
                            arguments.identity, alert_actor_hint(**store, arguments.identity)));
    context.exit_code = 1;
    return;
  }
  if (matches.size() > 1) {
    std::string candidates;
    for (const auto* match : matches) {
      candidates += fmt::format("\n  {} {} {} ({})", match->platform, match->kind, match->id, match->name);
    }
    print_error(fmt::format("'{}' matches {} identities; give one id:{}", arguments.identity, matches.size(), candidates));
    context.exit_code = 1;
    return;
  }

  ShowData data;
  data.entry = matches.front();
  const auto vendors = inventory::group_vendors(*entries);
  if (auto status = collect(**store, vendors, arguments.days, data); !status) {
    print_error(status.error().describe());
    context.exit_code = 1;
    return;
  }
  if (arguments.format == OutputFormat::json) return print_json(data);
  print_text(data);
}

}  // namespace

void add_show_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<ShowArguments>();
  CLI::App* command = app.add_subcommand("show", "Show everything known about one identity: owner, vendor, credentials, grants, activity, findings and alerts");
  command->add_option("identity", arguments->identity, "Id, name, alias, email or credential id")->required()->type_name("IDENTITY");
  command->add_option("--format", arguments->format, "Output format: table (text) or json")
      ->transform(CLI::CheckedTransformer(std::map<std::string, OutputFormat>{{"table", OutputFormat::table}, {"json", OutputFormat::json}},
                                          CLI::ignore_case))
      ->default_str("table");
  command->add_option("--days", arguments->days, "Days of per-day activity totals to print, ending at the last active day")
      ->check(CLI::Range(1, 366))
      ->default_str("14");
  command->callback([arguments, &context] { run_show(*arguments, context); });
}

}  // namespace keyward::cli
