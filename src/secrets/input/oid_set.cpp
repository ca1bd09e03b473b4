#include "secrets/input/oid_set.hpp"

#include <algorithm>
#include <cstring>

namespace keyward::secrets {

namespace {

constexpr OidSet::Id kEmpty{};

OidSet::Id to_id(const unsigned char* bytes) {
  OidSet::Id id;
  std::memcpy(id.data(), bytes, id.size());
  return id;
}

}  // namespace

// Object ids are SHA-1 hashes, so their first bytes are already uniformly distributed.
std::size_t OidSet::find_slot(const Id& id) const {
  std::uint64_t hash = 0;
  std::memcpy(&hash, id.data(), sizeof hash);
  const std::size_t mask = slots_.size() - 1;
  std::size_t slot = static_cast<std::size_t>(hash) & mask;
  while (slots_[slot] != kEmpty && slots_[slot] != id) slot = (slot + 1) & mask;
  return slot;
}

bool OidSet::contains(const unsigned char* bytes) const {
  const Id id = to_id(bytes);
  if (id == kEmpty) return has_zero_;
  if (slots_.empty()) return false;
  return slots_[find_slot(id)] == id;
}

bool OidSet::insert(const unsigned char* bytes) {
  const Id id = to_id(bytes);
  if (id == kEmpty) {
    const bool added = !has_zero_;
    has_zero_ = true;
    return added;
  }
  // Keep the load at or below 70% so probe sequences stay short.
  if ((size_ + 1) * 10 > slots_.size() * 7) grow();
  const std::size_t slot = find_slot(id);
  if (slots_[slot] == id) return false;
  slots_[slot] = id;
  ++size_;
  return true;
}

void OidSet::grow() {
  std::vector<Id> old = std::move(slots_);
  slots_.assign(std::max<std::size_t>(old.size() * 2, 1024), kEmpty);
  for (const Id& id : old) {
    if (id != kEmpty) slots_[find_slot(id)] = id;
  }
}

}  // namespace keyward::secrets
