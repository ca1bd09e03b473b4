#include "posture/inventory.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <unordered_map>

#include "inventory/aliases.hpp"
#include "secrets/inventory_join.hpp"
#include "sources/aws/user_placeholder.hpp"

namespace keyward::posture {
namespace {

// The credential report and list-access-keys both print whole-second times of the same event.
constexpr core::UnixTime kSameCreationTolerance = 1;

bool is_report_slot(const core::Credential& credential) {
  return credential.kind == "aws_access_key" && credential.attributes.contains("slot") &&
         credential.id.find("#access_key_") != std::string::npos;
}

bool is_real_key(const core::Credential& credential) {
  return credential.kind == "aws_access_key" && credential.id.find('#') == std::string::npos;
}

core::Credential merge_pair(const core::Credential& slot, core::Credential real) {
  if (slot.last_used && (!real.last_used || *slot.last_used > *real.last_used)) {
    real.last_used = slot.last_used;
    real.last_used_service = slot.last_used_service;
    real.last_used_region = slot.last_used_region;
  }
  if (!real.last_rotated) real.last_rotated = slot.last_rotated;
  real.attributes["report_slot"] = slot.attributes["slot"];
  real.attributes["report_credential_id"] = slot.id;
  // The two snapshots may have been taken at different times; the key listing is kept as the
  // status, and a disagreement is recorded so that evidence can mention it.
  if (slot.status != real.status) real.attributes["report_status"] = slot.status;
  return real;
}

// Adds one summary to a profile; `networks` and `families` collect distinct values.
struct ProfileBuilder {
  ActivityProfile profile;
  std::set<std::string> networks;
  std::set<std::string> families;
  std::set<std::string> actions;

  void add(const core::ActivitySummary& summary) {
    profile.events += summary.count;
    if (!profile.first_seen || summary.first_seen < *profile.first_seen) profile.first_seen = summary.first_seen;
    if (!profile.last_seen || summary.last_seen > *profile.last_seen) profile.last_seen = summary.last_seen;
    if (!summary.network.empty()) networks.insert(summary.network);
    if (!summary.user_agent_family.empty()) families.insert(summary.user_agent_family);
    if (!summary.action.empty() && summary.error_code.empty()) actions.insert(summary.action);
  }

  ActivityProfile finish() {
    profile.networks.assign(networks.begin(), networks.end());
    profile.user_agent_families.assign(families.begin(), families.end());
    profile.actions.assign(actions.begin(), actions.end());
    return std::move(profile);
  }
};

}  // namespace

void resolve_user_placeholders(const std::vector<core::Identity>& identities,
                               std::vector<core::Credential>& credentials) {
  // User name -> id of the single IAM user with that name, or "" when several accounts share it.
  std::unordered_map<std::string, std::string> user_ids;
  for (const auto& identity : identities) {
    if (identity.platform != "aws" || identity.kind != "iam_user") continue;
    auto [entry, inserted] = user_ids.emplace(identity.name, identity.id);
    if (!inserted && entry->second != identity.id) entry->second.clear();
  }
  for (auto& credential : credentials) {
    const std::string_view name = sources::aws::user_name_of_placeholder(credential.identity_id);
    if (name.empty()) continue;
    auto found = user_ids.find(std::string(name));
    if (found != user_ids.end() && !found->second.empty()) credential.identity_id = found->second;
  }
}

std::vector<core::Credential> merge_report_slots(std::vector<core::Credential> credentials) {
  std::vector<bool> consumed(credentials.size(), false);
  std::vector<core::Credential> merged;
  merged.reserve(credentials.size());
  for (size_t i = 0; i < credentials.size(); ++i) {
    if (!is_report_slot(credentials[i]) || !credentials[i].created) continue;
    for (size_t j = 0; j < credentials.size(); ++j) {
      const core::Credential& candidate = credentials[j];
      if (consumed[j] || !is_real_key(candidate) || !candidate.created) continue;
      if (std::llabs(*candidate.created - *credentials[i].created) > kSameCreationTolerance) continue;
      merged.push_back(merge_pair(credentials[i], candidate));
      consumed[i] = consumed[j] = true;
      break;
    }
  }
  for (size_t i = 0; i < credentials.size(); ++i) {
    if (!consumed[i]) merged.push_back(std::move(credentials[i]));
  }
  std::sort(merged.begin(), merged.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return merged;
}

void build_activity_profiles(const std::vector<core::ActivitySummary>& summaries, Inventory& inventory) {
  std::unordered_map<std::string, ProfileBuilder> by_identity;
  std::unordered_map<std::string, ProfileBuilder> by_credential;
  for (const auto& summary : summaries) {
    if (!summary.identity_id.empty()) by_identity[summary.identity_id].add(summary);
    if (!summary.credential_id.empty()) by_credential[summary.credential_id].add(summary);
  }
  for (auto& [id, builder] : by_identity) inventory.activity_by_identity.emplace(id, builder.finish());
  for (auto& [id, builder] : by_credential) inventory.activity_by_credential.emplace(id, builder.finish());
}

core::Result<Inventory> load_inventory_records(store::Store& store) {
  Inventory inventory;
  auto identities = store.list_identities(store::IdentityFilter{"", true});
  if (!identities.ok()) return identities.error();
  inventory.identities = std::move(identities).value();
  // Records keyed by another id of an identity (attributes "aliases") are attached to it, so
  // checks and listings see one identity per platform principal.
  const keyward::inventory::AliasIndex aliases(inventory.identities);

  auto credentials = store.list_all_credentials();
  if (!credentials.ok()) return credentials.error();
  resolve_user_placeholders(inventory.identities, *credentials);
  keyward::inventory::resolve_aliases(aliases, *credentials);
  std::map<std::string, std::vector<core::Credential>> by_identity;
  for (auto& credential : *credentials) by_identity[credential.identity_id].push_back(std::move(credential));
  // A slot and a real-id key are the same key only within one identity, so merging per identity
  // also keeps the pairwise search small (at most a few keys each).
  for (auto& [identity_id, list] : by_identity) inventory.credentials.emplace(identity_id, merge_report_slots(std::move(list)));

  auto grants = store.list_all_grants();
  if (!grants.ok()) return grants.error();
  keyward::inventory::resolve_aliases(aliases, *grants);
  for (auto& grant : *grants) inventory.grants[grant.identity_id].push_back(std::move(grant));

  auto activity = store.list_activity("");
  if (!activity.ok()) return activity.error();
  keyward::inventory::resolve_aliases(aliases, *activity);
  build_activity_profiles(*activity, inventory);
  inventory.activity = std::move(activity).value();

  // Matched against the inventory as loaded now, so a key ingested after the scan still matches.
  auto exposures = store.list_exposures();
  if (!exposures.ok()) return exposures.error();
  inventory.exposures = std::move(exposures).value();
  secrets::join_exposures(inventory, inventory.exposures);
  return inventory;
}

core::Result<Inventory> load_inventory(store::Store& store) {
  auto loaded = load_inventory_records(store);
  if (!loaded.ok()) return loaded.error();
  Inventory& inventory = *loaded;
  auto catalog = keyward::inventory::load_vendor_catalog("");
  if (!catalog.ok()) return catalog.error();
  if (catalog->has_value()) {
    inventory.catalog = std::make_shared<const keyward::inventory::VendorCatalog>(std::move(**catalog));
  }
  inventory.entries = report::build_inventory_entries(inventory, report::InventoryOptions{true, inventory.catalog.get()});
  for (size_t i = 0; i < inventory.entries.size(); ++i) {
    const auto& entry = inventory.entries[i];
    inventory.entry_index.emplace(entry.identity.platform + '\x1f' + entry.identity.id, i);
  }
  return loaded;
}

}  // namespace keyward::posture
