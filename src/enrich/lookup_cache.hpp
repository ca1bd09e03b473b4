#pragma once

// A bounded memo for per-address and per-user-agent lookups. Two generations approximate LRU
// at the cost of one hash lookup: entries live in `current_` until it fills, then the whole
// generation becomes `previous_` (the older one is dropped) and hits there move back to
// `current_`. Holds at most `capacity` entries. Not thread-safe.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace keyward::enrich {

template <class Value>
class LookupCache {
 public:
  explicit LookupCache(std::size_t capacity) : generation_size_(capacity / 2 > 0 ? capacity / 2 : 1) {}

  // Returns the cached value, or nullptr.
  const Value* find(std::string_view key) {
    auto hit = current_.find(key);
    if (hit != current_.end()) return &hit->second;
    auto old = previous_.find(key);
    if (old == previous_.end()) return nullptr;
    std::string owned = old->first;
    Value value = std::move(old->second);
    previous_.erase(old);
    return &insert(std::move(owned), std::move(value));
  }

  const Value& insert(std::string key, Value value) {
    if (current_.size() >= generation_size_) {
      previous_ = std::move(current_);
      current_.clear();
    }
    return current_.insert_or_assign(std::move(key), std::move(value)).first->second;
  }

  std::size_t size() const { return current_.size() + previous_.size(); }

 private:
  // Lets find() take a string_view without building a std::string.
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  using Map = std::unordered_map<std::string, Value, KeyHash, std::equal_to<>>;

  std::size_t generation_size_;
  Map current_;
  Map previous_;
};

}  // namespace keyward::enrich
