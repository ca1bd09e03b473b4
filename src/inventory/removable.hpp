#pragma once

// The redundant-access view: non-human identities that are safe to remove because nothing has
// used them for N days, with the share of each platform's NHIs they represent.
//
// An NHI is a removal candidate when its latest recorded use (its own last-use field, its
// credentials' and the activity ingested) is older than N days, or when it was never used and
// was created more than N days ago. "Never used" is trusted only for a platform and kind of
// which some other NHI records a use: otherwise the export may not record use at all, and the
// NHI is counted as "use unknown" and never listed. A departed or suspended owner is reported as a reason
// that strengthens the case, never on its own.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "report/inventory.hpp"

namespace keyward::inventory {

struct RemovalCandidate {
  const report::InventoryEntry* entry = nullptr;
  std::optional<core::UnixTime> last_used;  // empty when never used
  std::optional<core::UnixTime> created;
  long long idle_days = 0;                  // days since last use, or since creation when never used
  std::vector<std::string> reasons;         // "unused for 212 days", "owner deprovisioned", ...
};

struct PlatformShare {
  size_t identities = 0;   // non-human identities listed by the inventory
  size_t use_unknown = 0;  // no last use recorded and no activity ingested
  size_t removable = 0;
  size_t credentials = 0;            // credentials held by those identities
  size_t removable_credentials = 0;  // credentials held by removable identities
};

struct RemovalReport {
  std::vector<RemovalCandidate> candidates;  // longest idle first
  std::map<std::string, PlatformShare> platforms;
};

// Builds the report from the inventory entries. People are skipped unless the entry is a
// credential they hold. `as_of` is the time idle days count back from.
RemovalReport find_removable(const std::vector<report::InventoryEntry>& entries, int unused_days, core::UnixTime as_of);

// Returns whether the entry or one of its credentials has a last use, from its export or from
// ingested activity.
bool records_use(const report::InventoryEntry& entry);

}  // namespace keyward::inventory
