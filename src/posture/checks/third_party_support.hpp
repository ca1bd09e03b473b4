#pragma once

// What the third-party checks (OWASP NHI3) share: which grants of a third-party app reach beyond
// reading one user's own data, how a finding about an app starts, and the console path or command
// that removes an app on each platform.

#include <string>
#include <vector>

#include "core/model.hpp"
#include "posture/check.hpp"

namespace keyward::posture {

// One grant of a third-party app that is broad: admin over the organization, write access to
// every user's or every repository's data, or a full-access scope such as https://mail.google.com/.
struct BroadAccess {
  std::string scope;     // the scope, permission or role as granted
  std::string reason;    // why it is broad, e.g. "full access to the mailbox (read, send, delete)"
  bool admin = false;    // it administers the organization or tenant
  bool per_user = false; // a user authorized it for their own data (not an admin for everyone)
  std::string granted_by;  // the user or admin who granted it, when recorded
};

// Returns the broad grants of an active third-party inventory entry, one per scope and reason.
std::vector<BroadAccess> find_broad_access(const report::InventoryEntry& entry);

// Whether the entry is a third-party identity that still works (not disabled or deleted).
bool is_active_third_party(const report::InventoryEntry& entry);

// Starts a finding of `check` about the entry's identity.
core::Finding start_app_finding(const Check& check, const report::InventoryEntry& entry);

// The console path or command that removes or blocks the app on its platform, first step first.
std::vector<std::string> remove_app_steps(const report::InventoryEntry& entry);

// Formats a list as "a, b and 2 more" after `limit` items.
std::string join_limited(const std::vector<std::string>& items, size_t limit);

}  // namespace keyward::posture
