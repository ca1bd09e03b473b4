#pragma once

// The inventory view: non-human identities with their credentials and last use, plus the access
// keys of human users, because a key is a non-human credential even when a person owns it.
// The person is listed as the key's owner.

#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace keyward::report {

struct InventoryEntry {
  std::string platform;
  std::string kind;   // identity kind, or the credential kind for a human's key
  std::string id;
  std::string name;
  std::string owner;
  std::string classification;
  std::string classification_reason;
  std::optional<core::UnixTime> last_used;  // latest of the record's own field and activity seen
  std::vector<core::Credential> credentials;
  core::Identity identity;  // the identity itself, or the human holder of the key
};

// Loads the inventory. With include_humans, human identities are listed too.
core::Result<std::vector<InventoryEntry>> load_inventory(store::Store& store, bool include_humans);

nlohmann::json to_json(const InventoryEntry& entry);

}  // namespace keyward::report
