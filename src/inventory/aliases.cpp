#include "inventory/aliases.hpp"

#include "inventory/attribute_values.hpp"

namespace keyward::inventory {

AliasIndex::AliasIndex(const std::vector<core::Identity>& identities) {
  for (const auto& identity : identities) identity_ids_.emplace(identity.platform, identity.id);
  for (const auto& identity : identities) {
    for (const auto& alias : aliases_of(identity)) {
      if (alias == identity.id) continue;
      Key key{identity.platform, alias};
      // An identity's own id is never taken over by another identity's alias.
      if (identity_ids_.contains(key)) continue;
      auto [entry, inserted] = targets_.emplace(std::move(key), identity.id);
      if (!inserted && entry->second != identity.id) entry->second.clear();
    }
  }
}

const std::string& AliasIndex::resolve(const std::string& platform, const std::string& id) const {
  auto found = targets_.find(Key{platform, id});
  if (found == targets_.end() || found->second.empty()) return id;
  return found->second;
}

std::vector<std::string> aliases_of(const core::Identity& identity) {
  return string_list_attribute(identity.attributes, core::attribute::kAliases);
}

size_t AliasIndex::size() const {
  size_t resolvable = 0;
  for (const auto& [key, target] : targets_) resolvable += !target.empty();
  return resolvable;
}

namespace {

template <class Record>
size_t rewrite_identity_ids(const AliasIndex& index, std::vector<Record>& records) {
  if (index.size() == 0) return 0;
  size_t rewritten = 0;
  for (auto& record : records) {
    const std::string& resolved = index.resolve(record.platform, record.identity_id);
    if (&resolved == &record.identity_id) continue;
    record.identity_id = resolved;
    ++rewritten;
  }
  return rewritten;
}

}  // namespace

size_t resolve_aliases(const AliasIndex& index, std::vector<core::Credential>& credentials) {
  return rewrite_identity_ids(index, credentials);
}

size_t resolve_aliases(const AliasIndex& index, std::vector<core::Grant>& grants) {
  return rewrite_identity_ids(index, grants);
}

size_t resolve_aliases(const AliasIndex& index, std::vector<core::ActivitySummary>& activity) {
  return rewrite_identity_ids(index, activity);
}

bool identity_matches(const core::Identity& identity, std::string_view query) {
  if (query.empty()) return false;
  if (identity.id == query || identity.name == query) return true;
  for (const auto& alias : string_list_attribute(identity.attributes, core::attribute::kAliases)) {
    if (alias == query) return true;
  }
  const std::string lowered = lower_ascii(query);
  for (std::string_view key : {core::attribute::kEmail, core::attribute::kLogin}) {
    const std::string value = string_attribute(identity.attributes, key);
    if (!value.empty() && lower_ascii(value) == lowered) return true;
  }
  return false;
}

}  // namespace keyward::inventory
