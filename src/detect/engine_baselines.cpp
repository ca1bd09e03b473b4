#include "detect/engine_baselines.hpp"

#include <algorithm>

namespace keyward::detect {
namespace {

std::string slot_key(const std::string& entity, const std::string& dimension, const std::string& value) {
  std::string key;
  key.reserve(entity.size() + dimension.size() + value.size() + 2);
  key.append(entity).append(1, '\x1f').append(dimension).append(1, '\x1f').append(value);
  return key;
}

void merge(std::optional<store::BaselineEntry>& into, const std::string& entity, const std::string& dimension,
           const std::string& value, core::UnixTime time) {
  if (!into) {
    into = store::BaselineEntry{entity, dimension, value, time, time, 1};
    return;
  }
  into->first_seen = std::min(into->first_seen, time);
  into->last_seen = std::max(into->last_seen, time);
  ++into->count;
}

}  // namespace

BaselineCache::Slot& BaselineCache::slot_for(const std::string& entity, const std::string& dimension,
                                             const std::string& value) {
  auto [it, inserted] = slots_.try_emplace(slot_key(entity, dimension, value));
  if (inserted) {
    auto stored = store_.get_baseline(entity, dimension, value);
    if (stored) {
      it->second.current = std::move(*stored);
    } else {
      ++read_errors_;
    }
  }
  return it->second;
}

std::optional<store::BaselineEntry> BaselineCache::observe(const std::string& entity, const std::string& dimension,
                                                           const std::string& value, core::UnixTime time) {
  Slot& slot = slot_for(entity, dimension, value);
  std::optional<store::BaselineEntry> before = slot.current;
  merge(slot.current, entity, dimension, value, time);
  merge(slot.delta, entity, dimension, value, time);
  return before;
}

std::optional<store::BaselineEntry> BaselineCache::lookup(const std::string& entity, const std::string& dimension,
                                                          const std::string& value) {
  return slot_for(entity, dimension, value).current;
}

void BaselineCache::flush_into(std::vector<store::BaselineEntry>& out) {
  for (auto& [key, slot] : slots_) {
    if (!slot.delta) continue;
    out.push_back(std::move(*slot.delta));
    slot.delta.reset();
  }
  // NOTE: if the caller's commit fails after this, the cache contains observations that the store
  // lacks until the cache is cleared. Ingest reports that input as failed.
  if (slots_.size() > kMaxCachedEntries) slots_.clear();
}

void BaselineCache::discard() { slots_.clear(); }

}  // namespace keyward::detect
