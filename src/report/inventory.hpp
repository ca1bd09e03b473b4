#pragma once

// The inventory view: non-human identities of every platform with their credentials, last use,
// resolved owner, vendor and privilege level, plus the access keys of human users, because a key
// is a non-human credential even when a person owns it. The person is listed as the key's owner.

#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "inventory/owners.hpp"
#include "inventory/vendor_catalog.hpp"
#include "store/store.hpp"

namespace keyward::report {

struct InventoryEntry {
  std::string platform;
  std::string kind;   // identity kind, or the credential kind for a human's key
  std::string id;
  std::string name;
  std::string owner;  // as recorded: the owner field or tag, else empty
  std::string classification;
  std::string classification_reason;
  std::optional<core::UnixTime> last_used;  // latest of the record's own field and activity seen
  std::vector<core::Credential> credentials;
  core::Identity identity;  // the identity itself, or the human holder of the key

  // The owner (or creator) resolved against the people of every directory.
  inventory::OwnerResolution owner_resolution;
  // Vendor name: the catalog's name when the catalog lists the vendor, else Identity::vendor,
  // else the publisher of a third-party identity. Empty for first-party identities.
  std::string vendor;
  std::string vendor_category;  // catalog category, or "" when the catalog does not list it
  std::string publisher;
  std::optional<bool> publisher_verified;
  bool third_party = false;     // attribute third_party, or a vendor is set
  bool shadow = false;          // attribute shadow: created by an individual for automation
  bool generative_ai = false;   // the vendor's category is genai
  bool indirect_access = false; // the vendor is an automation platform
  std::string privilege;        // "read", "write", "admin", or "" when unknown
  std::vector<std::string> scopes;        // attribute scopes, then the actions of non-AWS grants
  std::vector<std::string> connected_by;  // attribute connected_by and the grants' granted_by
  std::vector<core::Grant> grants;        // the identity's grants, aliases resolved
};

struct InventoryOptions {
  bool include_humans = false;  // also list human identities
  // Vendor catalog used to name and categorize vendors; nullptr leaves categories empty.
  const inventory::VendorCatalog* catalog = nullptr;
};

// Loads the inventory. With include_humans, human identities are listed too.
core::Result<std::vector<InventoryEntry>> load_inventory(store::Store& store, bool include_humans);
core::Result<std::vector<InventoryEntry>> load_inventory(store::Store& store, const InventoryOptions& options);

}  // namespace keyward::report

namespace keyward::posture {
struct Inventory;
}

namespace keyward::report {

// Builds the entries from an inventory loaded by posture::load_inventory_records. Adds empty
// credential lists to `inventory` for identities that hold none.
std::vector<InventoryEntry> build_inventory_entries(posture::Inventory& inventory, const InventoryOptions& options);

nlohmann::json to_json(const InventoryEntry& entry);
nlohmann::json to_json(const inventory::OwnerResolution& owner);

// Returns the owner as shown in the table: the person's email (else name, else the recorded
// reference), preceded by the status in brackets unless it is active, or "-" when no owner is
// named.
std::string owner_label(const inventory::OwnerResolution& owner);

}  // namespace keyward::report
