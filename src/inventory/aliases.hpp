#pragma once

// Alias resolution: a platform may name one identity by several ids (an Entra application's
// appId and its service principal's object id, a GCP service account's email and numeric unique
// id). Sources list the other ids in attributes "aliases". Records keyed by an alias are attached
// to the identity that lists it, on the same platform only.

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.hpp"

namespace keyward::inventory {

class AliasIndex {
 public:
  AliasIndex() = default;
  explicit AliasIndex(const std::vector<core::Identity>& identities);

  // Returns the id of the identity on `platform` that lists `id` as an alias. Returns `id`
  // unchanged when it is an identity's own id, when no identity lists it, and when several
  // identities of the platform list it (the owner is then unknown).
  const std::string& resolve(const std::string& platform, const std::string& id) const;

  // Number of aliases that resolve to exactly one identity.
  size_t size() const;

 private:
  using Key = std::pair<std::string, std::string>;  // (platform, id)
  std::set<Key> identity_ids_;
  std::map<Key, std::string> targets_;  // alias -> identity id, "" when several identities list it
};

// Returns the aliases of one identity, as its attributes list them.
std::vector<std::string> aliases_of(const core::Identity& identity);

// Rewrites identity_id of each record whose id is an alias (see AliasIndex::resolve) and returns
// how many were rewritten.
size_t resolve_aliases(const AliasIndex& index, std::vector<core::Credential>& credentials);
size_t resolve_aliases(const AliasIndex& index, std::vector<core::Grant>& grants);
size_t resolve_aliases(const AliasIndex& index, std::vector<core::ActivitySummary>& activity);

// Returns true when `query` names the identity: its id, name or one of its aliases exactly, or
// its email or login attribute ignoring case.
bool identity_matches(const core::Identity& identity, std::string_view query);

}  // namespace keyward::inventory
