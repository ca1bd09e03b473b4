#include "inventory/owners.hpp"

#include <algorithm>
#include <set>

#include "inventory/attribute_values.hpp"

namespace keyward::inventory {

std::string_view to_string(OwnerStatus status) {
  switch (status) {
    case OwnerStatus::active: return "active";
    case OwnerStatus::suspended: return "suspended";
    case OwnerStatus::deprovisioned: return "deprovisioned";
    case OwnerStatus::unknown: return "unknown";
    case OwnerStatus::none: return "none";
  }
  return "unknown";
}

std::optional<OwnerStatus> parse_owner_status(std::string_view text) {
  const std::string lowered = lower_ascii(text);
  for (OwnerStatus status : {OwnerStatus::active, OwnerStatus::suspended, OwnerStatus::deprovisioned,
                             OwnerStatus::unknown, OwnerStatus::none}) {
    if (lowered == to_string(status)) return status;
  }
  return std::nullopt;
}

int owner_status_rank(std::string_view status) {
  const std::string lowered = lower_ascii(status);
  if (lowered == "deprovisioned" || lowered == "deleted") return 2;
  if (lowered == "suspended" || lowered == "disabled") return 1;
  return 0;
}

OwnerDirectory::OwnerDirectory(const std::vector<core::Identity>& identities) {
  for (const auto& identity : identities) {
    if (identity.classification == core::Classification::human) people_.push_back(identity);
  }
  for (size_t i = 0; i < people_.size(); ++i) {
    const core::Identity& person = people_[i];
    std::set<std::string> keys;
    keys.insert(lower_ascii(person.id));
    for (const auto& alias : string_list_attribute(person.attributes, core::attribute::kAliases)) keys.insert(lower_ascii(alias));
    const std::string email = lower_ascii(string_attribute(person.attributes, core::attribute::kEmail));
    const std::string login = lower_ascii(string_attribute(person.attributes, core::attribute::kLogin));
    if (!email.empty()) {
      keys.insert(email);
      by_email_.emplace(email, i);
    }
    if (!login.empty()) keys.insert(login);
    for (const auto& key : keys) {
      if (!key.empty()) by_key_.emplace(key, i);
    }
  }
}

std::vector<const core::Identity*> OwnerDirectory::matches(std::string_view key) const {
  std::set<size_t> found;
  const std::string lowered = lower_ascii(key);
  auto [first, last] = by_key_.equal_range(lowered);
  for (auto it = first; it != last; ++it) found.insert(it->second);
  // Accounts of the same person on other directories share the email.
  std::set<std::string> emails;
  for (size_t index : found) {
    const std::string email = lower_ascii(string_attribute(people_[index].attributes, core::attribute::kEmail));
    if (!email.empty()) emails.insert(email);
  }
  for (const auto& email : emails) {
    auto [email_first, email_last] = by_email_.equal_range(email);
    for (auto it = email_first; it != email_last; ++it) found.insert(it->second);
  }
  std::vector<const core::Identity*> people;
  for (size_t index : found) people.push_back(&people_[index]);
  std::sort(people.begin(), people.end(), [](const core::Identity* a, const core::Identity* b) {
    return std::tie(a->platform, a->id) < std::tie(b->platform, b->id);
  });
  return people;
}

OwnerResolution OwnerDirectory::resolve(std::string_view reference) const {
  OwnerResolution resolution;
  resolution.reference = std::string(reference);
  if (reference.empty()) return resolution;
  const auto people = matches(reference);
  if (people.empty()) {
    resolution.status = OwnerStatus::unknown;
    return resolution;
  }
  int rank = 0;
  for (const core::Identity* person : people) {
    resolution.accounts.push_back({person->platform, person->id, person->status});
    rank = std::max(rank, owner_status_rank(person->status));
    if (resolution.email.empty()) resolution.email = string_attribute(person->attributes, core::attribute::kEmail);
    if (resolution.name.empty() && !person->name.empty()) resolution.name = person->name;
  }
  resolution.status = OwnerStatus::active;
  if (rank == 1) resolution.status = OwnerStatus::suspended;
  if (rank == 2) resolution.status = OwnerStatus::deprovisioned;
  return resolution;
}

OwnerResolution OwnerDirectory::resolve_owner_of(const core::Identity& identity) const {
  if (!identity.owner.empty()) {
    OwnerResolution resolution = resolve(identity.owner);
    resolution.source = "owner";
    return resolution;
  }
  const std::string created_by = string_attribute(identity.attributes, core::attribute::kCreatedBy);
  OwnerResolution resolution = resolve(created_by);
  if (!created_by.empty()) resolution.source = "created_by";
  return resolution;
}

}  // namespace keyward::inventory
