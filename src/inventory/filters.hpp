#pragma once

// Filters of `keyward inventory`: every condition set must hold for an entry to be listed.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "inventory/owners.hpp"
#include "report/inventory.hpp"

namespace keyward::inventory {

struct InventoryFilter {
  std::vector<std::string> platforms;  // lower case; empty: all
  std::vector<std::string> kinds;      // lower case; empty: all
  std::vector<std::string> vendors;    // compared by name_words; empty: all
  std::vector<OwnerStatus> owner_statuses;
  int min_privilege = 0;               // privilege_rank: the entry's level is at least this
  std::optional<int> unused_days;      // not used in this many days (never used counts)
  core::UnixTime as_of = 0;            // the time unused_days counts back from
  bool third_party = false;
  bool shadow = false;
  bool generative_ai = false;
  bool indirect_access = false;
};

// Splits option values on commas, trims spaces and drops empty items, so "--platform gcp,okta"
// and "--platform gcp --platform okta" mean the same.
std::vector<std::string> split_option_values(const std::vector<std::string>& values);

// Builds a filter from option values. Fails with invalid_argument naming the bad value and the
// accepted ones.
core::Result<InventoryFilter> make_inventory_filter(const std::vector<std::string>& platforms,
                                                    const std::vector<std::string>& kinds,
                                                    const std::vector<std::string>& vendors,
                                                    const std::vector<std::string>& owner_statuses,
                                                    const std::string& privilege);

bool matches(const report::InventoryEntry& entry, const InventoryFilter& filter);

}  // namespace keyward::inventory
