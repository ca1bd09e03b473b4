#pragma once

// Business context and default remediation safety of a finding, read from the inventory: the
// owner, team, environment and vendor of the identity, the resources it reaches,
// and whether removing it now could break something that uses it.

#include "core/model.hpp"
#include "posture/check.hpp"

namespace keyward::posture {

// Builds the context of a finding's identity. `entry` may be nullptr when the inventory has no
// entry for it, and then only the identity's own tags are read.
core::FindingContext build_context(const core::Identity* identity, const report::InventoryEntry* entry);

// Returns the environment named by the identity's tags ("env", "environment", "stage", "tier"),
// else one read from its account, project or name ("prod" gives production; "staging",
// "stage" and "stg" staging; "dev", "test", "qa", "sandbox" development), else "".
// NOTE: names are a guess: an account named "product-analytics" contains "prod" as a word
// prefix only and is not matched, but "prod-reporting" is.
std::string environment_of(const core::Identity& identity);

// When a check left safe_now unset, decides it from the last use of the finding's credential
// (or identity): unused for more than `unused_days` is safe to disable now; recent use is not.
// Adds a check_first line naming the last use when the check gave none.
void fill_default_safety(core::Finding& finding, const Inventory& inventory, int unused_days);

}  // namespace keyward::posture
