#pragma once

// Owner resolution: the person an NHI's owner (or, when no owner is recorded, its creator) names,
// looked up in the people of every directory export (identities with classification human), and
// that person's status merged across directories.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace keyward::inventory {

// Merged owner status. "disabled" and "suspended" accounts both count as suspended, and
// "deleted" as deprovisioned.
enum class OwnerStatus { active, suspended, deprovisioned, unknown, none };

std::string_view to_string(OwnerStatus status);
std::optional<OwnerStatus> parse_owner_status(std::string_view text);

// One directory account the owner matched.
struct OwnerAccount {
  std::string platform;
  std::string id;
  std::string status;  // as the directory states it
};

struct OwnerResolution {
  std::string reference;  // the owner or created_by value resolved, as recorded
  std::string source;     // "owner", "created_by", or "" when the NHI names no one
  OwnerStatus status = OwnerStatus::none;
  std::string email;      // the person's email, when a matched account has one
  std::string name;       // the person's display name, when a matched account has one
  std::vector<OwnerAccount> accounts;  // every matching account, ordered by platform and id
};

// Index of the people in an inventory, by id, aliases, email and login (compared ignoring case).
class OwnerDirectory {
 public:
  OwnerDirectory() = default;
  explicit OwnerDirectory(const std::vector<core::Identity>& identities);

  // Resolves one reference (an email, a login or a platform user id). A person listed by
  // several directories is one owner when the accounts share an email: the reference matches
  // one account, and the other accounts with the same email are merged in. Deprovisioned on
  // any directory wins over suspended, and suspended over active. An empty reference gives
  // status none; a reference no directory lists gives unknown.
  OwnerResolution resolve(std::string_view reference) const;

  // Resolves the NHI's owner, or its created_by attribute when the owner is empty.
  OwnerResolution resolve_owner_of(const core::Identity& identity) const;

  size_t people() const { return people_.size(); }

 private:
  std::vector<const core::Identity*> matches(std::string_view key) const;

  std::vector<core::Identity> people_;
  std::multimap<std::string, size_t> by_key_;    // lower-case id, alias, email or login -> person
  std::multimap<std::string, size_t> by_email_;  // lower-case email -> person
};

// Returns the rank of a directory account status: active 0, suspended/disabled 1,
// deprovisioned/deleted 2. Other values count as active.
int owner_status_rank(std::string_view status);

}  // namespace keyward::inventory
