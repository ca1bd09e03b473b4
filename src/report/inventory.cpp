#include "report/inventory.hpp"

#include <fmt/format.h>

#include <set>

#include "core/model_json.hpp"
#include "inventory/attribute_values.hpp"
#include "inventory/privilege.hpp"
#include "posture/check.hpp"
#include "posture/inventory.hpp"

namespace keyward::report {
namespace {

void keep_latest(std::optional<core::UnixTime>& target, const std::optional<core::UnixTime>& candidate) {
  if (candidate && (!target || *candidate > *target)) target = candidate;
}

std::string owner_from_tags(const core::Identity& identity) {
  if (!identity.owner.empty()) return identity.owner;
  const auto& tags = identity.attributes.find("tags");
  if (tags == identity.attributes.end() || !tags->is_array()) return {};
  for (const auto& tag : *tags) {
    if (!tag.is_object()) continue;
    std::string key = tag.value("Key", "");
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key == "owner" || key == "team" || key == "contact") return tag.value("Value", "");
  }
  return {};
}

InventoryEntry make_entry(std::string platform, std::string kind, std::string id, std::string name, std::string owner,
                          std::string classification, std::string classification_reason,
                          std::optional<core::UnixTime> last_used, std::vector<core::Credential> credentials,
                          const core::Identity& identity) {
  InventoryEntry entry;
  entry.platform = std::move(platform);
  entry.kind = std::move(kind);
  entry.id = std::move(id);
  entry.name = std::move(name);
  entry.owner = std::move(owner);
  entry.classification = std::move(classification);
  entry.classification_reason = std::move(classification_reason);
  entry.last_used = last_used;
  entry.credentials = std::move(credentials);
  entry.identity = identity;
  return entry;
}

void append_unique(std::vector<std::string>& list, std::set<std::string>& seen, const std::string& value) {
  if (!value.empty() && seen.insert(value).second) list.push_back(value);
}

// Fills the vendor, privilege, scope and connection fields of an NHI entry.
void describe_access(InventoryEntry& entry, const inventory::VendorCatalog* catalog,
                     const inventory::OwnerDirectory& directory) {
  using namespace keyward::inventory;
  const core::Identity& identity = entry.identity;
  entry.publisher = string_attribute(identity.attributes, core::attribute::kPublisher);
  entry.publisher_verified = bool_attribute(identity.attributes, core::attribute::kPublisherVerified);
  entry.shadow = bool_attribute(identity.attributes, core::attribute::kShadow).value_or(false);
  // The source's third_party attribute wins (Entra sets it false on Microsoft's own apps).
  // Without it, a named vendor means the identity belongs to another organization.
  entry.third_party =
      bool_attribute(identity.attributes, core::attribute::kThirdParty).value_or(!identity.vendor.empty());
  if (entry.third_party || !identity.vendor.empty()) {
    const VendorInfo* known = catalog != nullptr ? catalog->match_identity(identity) : nullptr;
    if (known != nullptr) {
      entry.vendor = known->name;
      entry.vendor_category = known->category;
    } else {
      entry.vendor = !identity.vendor.empty() ? identity.vendor : !entry.publisher.empty() ? entry.publisher : identity.name;
    }
  }
  entry.generative_ai = is_generative_ai_category(entry.vendor_category);
  entry.indirect_access = is_automation_category(entry.vendor_category);
  entry.privilege = privilege_of(identity, entry.grants);

  std::set<std::string> seen_scopes;
  for (const auto& scope : string_list_attribute(identity.attributes, core::attribute::kScopes)) {
    append_unique(entry.scopes, seen_scopes, scope);
  }
  // People are shown by email when a directory lists them, because consent and install records
  // often name them by a platform user id (an Entra object id, a Slack member id).
  auto person_label = [&directory](const std::string& reference) {
    if (reference.empty()) return reference;
    const inventory::OwnerResolution person = directory.resolve(reference);
    return person.email.empty() ? reference : person.email;
  };
  std::set<std::string> seen_people;
  for (const auto& person : string_list_attribute(identity.attributes, core::attribute::kConnectedBy)) {
    append_unique(entry.connected_by, seen_people, person_label(person));
  }
  for (const auto& grant : entry.grants) {
    // AWS statements are policy documents rather than scopes, so only the privilege level summarizes them.
    if (grant.platform != "aws") {
      for (const auto& action : grant.actions) append_unique(entry.scopes, seen_scopes, action);
    }
    append_unique(entry.connected_by, seen_people, person_label(grant.granted_by));
  }
}

}  // namespace

core::Result<std::vector<InventoryEntry>> load_inventory(store::Store& store, bool include_humans) {
  return load_inventory(store, InventoryOptions{include_humans, nullptr});
}

core::Result<std::vector<InventoryEntry>> load_inventory(store::Store& store, const InventoryOptions& options) {
  // The posture inventory already joins the credential report's key slots with real key ids,
  // attaches records keyed by aliases and sums up activity, so the listing shows the same
  // credentials the checks judge.
  auto loaded = posture::load_inventory_records(store);
  if (!loaded) return loaded.error();
  return build_inventory_entries(*loaded, options);
}

std::vector<InventoryEntry> build_inventory_entries(posture::Inventory& inventory, const InventoryOptions& options) {
  const inventory::OwnerDirectory directory(inventory.identities);

  std::vector<InventoryEntry> entries;
  for (const auto& identity : inventory.identities) {
    std::vector<core::Credential> held = inventory.credentials[identity.id];
    for (auto& credential : held) {
      if (auto profile = inventory.activity_by_credential.find(credential.id); profile != inventory.activity_by_credential.end()) {
        keep_latest(credential.last_used, profile->second.last_seen);
      }
    }
    const bool human = identity.classification == core::Classification::human;
    if (!human || options.include_humans) {
      InventoryEntry entry = make_entry(identity.platform, identity.kind, identity.id, identity.name, owner_from_tags(identity),
                                        std::string(core::to_string(identity.classification)),
                                        identity.classification_reason, identity.last_used, held, identity);
      if (auto profile = inventory.activity_by_identity.find(identity.id); profile != inventory.activity_by_identity.end()) {
        keep_latest(entry.last_used, profile->second.last_seen);
      }
      for (const auto& credential : held) keep_latest(entry.last_used, credential.last_used);
      if (auto grants = inventory.grants.find(identity.id); grants != inventory.grants.end()) entry.grants = grants->second;
      if (!human) {
        if (entry.owner.empty()) {
          entry.owner_resolution = directory.resolve_owner_of(identity);
        } else {
          entry.owner_resolution = directory.resolve(entry.owner);
          entry.owner_resolution.source = "owner";
        }
        describe_access(entry, options.catalog, directory);
      }
      entries.push_back(std::move(entry));
    }
    if (!human) continue;
    // A person's access keys are listed on their own, owned by the person.
    for (const auto& credential : held) {
      if (credential.kind != "aws_access_key") continue;
      InventoryEntry entry = make_entry(credential.platform, credential.kind, credential.id, credential.id, identity.name,
                                        "machine", "an access key authenticates software, whoever holds it",
                                        credential.last_used, {credential}, identity);
      entry.owner_resolution = directory.resolve(identity.id);
      entry.owner_resolution.reference = identity.name;
      entry.owner_resolution.source = "holder";
      if (auto grants = inventory.grants.find(identity.id); grants != inventory.grants.end()) entry.grants = grants->second;
      entry.privilege = inventory::privilege_of(identity, entry.grants);
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

nlohmann::json to_json(const inventory::OwnerResolution& owner) {
  nlohmann::json accounts = nlohmann::json::array();
  for (const auto& account : owner.accounts) {
    accounts.push_back({{"platform", account.platform}, {"id", account.id}, {"status", account.status}});
  }
  auto or_null = [](const std::string& text) { return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text); };
  return {{"reference", or_null(owner.reference)},
          {"source", or_null(owner.source)},
          {"status", inventory::to_string(owner.status)},
          {"email", or_null(owner.email)},
          {"name", or_null(owner.name)},
          {"accounts", accounts}};
}

std::string owner_label(const inventory::OwnerResolution& owner) {
  if (owner.status == inventory::OwnerStatus::none) return "-";
  std::string person_label = !owner.email.empty() ? owner.email : !owner.name.empty() ? owner.name : owner.reference;
  if (owner.status == inventory::OwnerStatus::active) return person_label;
  // The status comes first so that a narrow table column cuts the address, not the status.
  return fmt::format("({}) {}", inventory::to_string(owner.status), person_label);
}

nlohmann::json to_json(const InventoryEntry& entry) {
  nlohmann::json credentials = nlohmann::json::array();
  for (const auto& credential : entry.credentials) credentials.push_back(core::to_json(credential));
  auto or_null = [](const std::string& text) { return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text); };
  return {
      {"platform", entry.platform},
      {"kind", entry.kind},
      {"id", entry.id},
      {"name", entry.name},
      {"owner", or_null(entry.owner)},
      {"owner_resolution", to_json(entry.owner_resolution)},
      {"owner_status", inventory::to_string(entry.owner_resolution.status)},
      {"classification", entry.classification},
      {"classification_reason", entry.classification_reason},
      {"account", entry.identity.account},
      {"status", entry.identity.status},
      {"created", core::optional_time_json(entry.kind == "aws_access_key" && !entry.credentials.empty()
                                               ? entry.credentials.front().created
                                               : entry.identity.created)},
      {"last_used", core::optional_time_json(entry.last_used)},
      {"vendor", or_null(entry.vendor)},
      {"vendor_category", or_null(entry.vendor_category)},
      {"publisher", or_null(entry.publisher)},
      {"publisher_verified", entry.publisher_verified ? nlohmann::json(*entry.publisher_verified) : nlohmann::json(nullptr)},
      {"third_party", entry.third_party},
      {"shadow", entry.shadow},
      {"generative_ai", entry.generative_ai},
      {"indirect_access", entry.indirect_access},
      {"privilege", or_null(entry.privilege)},
      {"scopes", entry.scopes},
      {"connected_by", entry.connected_by},
      {"grant_count", entry.grants.size()},
      {"credentials", credentials},
  };
}

}  // namespace keyward::report
