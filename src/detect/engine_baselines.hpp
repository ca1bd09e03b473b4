#pragma once

// The detection engine's view of the stored baselines. Each (entity, dimension, value) is read
// from the store once and cached. Observations are merged into the cache and kept as deltas until
// the engine moves them into the ingest batch.

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/store.hpp"

namespace keyward::detect {

// Not thread-safe. Entries with unflushed observations stay in memory until the next flush, and
// a flush drops the whole cache once it contains more than kMaxCachedEntries.
class BaselineCache {
 public:
  static constexpr size_t kMaxCachedEntries = 500000;

  explicit BaselineCache(store::Store& store) : store_(store) {}

  // Records the observation and returns the entry as it was before: the stored values merged with
  // earlier observations of this run, or nullopt when the value is new.
  std::optional<store::BaselineEntry> observe(const std::string& entity, const std::string& dimension,
                                              const std::string& value, core::UnixTime time);
  std::optional<store::BaselineEntry> lookup(const std::string& entity, const std::string& dimension,
                                             const std::string& value);

  // Appends the observations since the last flush, in the store's merge form (count is the
  // number of new observations). The cache keeps the merged entries, which match the store once
  // the batch is committed.
  void flush_into(std::vector<store::BaselineEntry>& out);
  // Forgets the unflushed observations and everything cached, so later reads go to the store.
  void discard();

  // Store reads that failed; those values were treated as new.
  long long read_errors() const { return read_errors_; }

 private:
  struct Slot {
    std::optional<store::BaselineEntry> current;  // stored entry merged with this run's observations
    std::optional<store::BaselineEntry> delta;    // observations not yet flushed
  };

  Slot& slot_for(const std::string& entity, const std::string& dimension, const std::string& value);

  store::Store& store_;
  std::unordered_map<std::string, Slot> slots_;
  long long read_errors_ = 0;
};

}  // namespace keyward::detect
