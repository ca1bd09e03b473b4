#include "inventory/removable.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

namespace keyward::inventory {
namespace {

std::optional<core::UnixTime> earliest(std::optional<core::UnixTime> a, std::optional<core::UnixTime> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

std::optional<core::UnixTime> created_of(const report::InventoryEntry& entry) {
  std::optional<core::UnixTime> created = entry.identity.created;
  for (const auto& credential : entry.credentials) created = earliest(created, credential.created);
  return created;
}

bool is_live(const report::InventoryEntry& entry) {
  const std::string& status = entry.identity.status;
  return status != "deleted" && status != "disabled" && status != "inactive" && status != "suspended" &&
         status != "deprovisioned" && status != "revoked";
}

}  // namespace

bool records_use(const report::InventoryEntry& entry) {
  if (entry.last_used) return true;
  for (const auto& credential : entry.credentials) {
    if (credential.last_used) return true;
  }
  return false;
}

RemovalReport find_removable(const std::vector<report::InventoryEntry>& entries, int unused_days, core::UnixTime as_of) {
  RemovalReport report;
  const core::UnixTime limit = as_of - static_cast<core::UnixTime>(unused_days) * core::kSecondsPerDay;
  // A platform and kind whose exports record last use for some entries record it for all, so an
  // entry of that kind without one was never used.
  std::set<std::pair<std::string, std::string>> kinds_recording_use;
  for (const auto& entry : entries) {
    if (records_use(entry)) kinds_recording_use.emplace(entry.platform, entry.kind);
  }
  for (const auto& entry : entries) {
    if (entry.identity.classification == core::Classification::human && entry.credentials.empty()) continue;
    if (!is_live(entry)) continue;
    // AWS creates and deletes service-linked roles with the service that uses them.
    if (entry.kind == "service_linked_role") continue;
    PlatformShare& share = report.platforms[entry.platform];
    ++share.identities;
    share.credentials += entry.credentials.size();
    if (!kinds_recording_use.count({entry.platform, entry.kind})) {
      ++share.use_unknown;
      continue;
    }
    RemovalCandidate candidate;
    candidate.entry = &entry;
    candidate.last_used = entry.last_used;
    candidate.created = created_of(entry);
    if (candidate.last_used) {
      if (*candidate.last_used >= limit) continue;
      candidate.idle_days = (as_of - *candidate.last_used) / core::kSecondsPerDay;
      candidate.reasons.push_back(fmt::format("unused for {} days (last use {})", candidate.idle_days,
                                              core::format_time(*candidate.last_used).substr(0, 10)));
    } else {
      if (!candidate.created || *candidate.created >= limit) continue;
      candidate.idle_days = (as_of - *candidate.created) / core::kSecondsPerDay;
      candidate.reasons.push_back(fmt::format("never used, created {} days ago", candidate.idle_days));
    }
    const OwnerStatus owner = entry.owner_resolution.status;
    if (owner == OwnerStatus::deprovisioned || owner == OwnerStatus::suspended) {
      candidate.reasons.push_back(fmt::format("owner {}", to_string(owner)));
    } else if (owner == OwnerStatus::none) {
      candidate.reasons.push_back("no owner recorded");
    }
    ++share.removable;
    share.removable_credentials += entry.credentials.size();
    report.candidates.push_back(std::move(candidate));
  }
  std::sort(report.candidates.begin(), report.candidates.end(), [](const RemovalCandidate& a, const RemovalCandidate& b) {
    if (a.idle_days != b.idle_days) return a.idle_days > b.idle_days;
    return std::tie(a.entry->platform, a.entry->id) < std::tie(b.entry->platform, b.entry->id);
  });
  return report;
}

}  // namespace keyward::inventory
