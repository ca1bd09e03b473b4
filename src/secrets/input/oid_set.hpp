#pragma once

// A compact set of 20-byte git object ids for the history walk's seen-blob and seen-tree sets:
// open addressing in one flat array, about 30 to 60 bytes per id, no per-id allocation.

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace keyward::secrets {

class OidSet {
 public:
  static constexpr std::size_t kIdBytes = 20;
  using Id = std::array<unsigned char, kIdBytes>;

  // Adds `id` (kIdBytes bytes); returns false when it was already in the set.
  bool insert(const unsigned char* id);
  bool contains(const unsigned char* id) const;
  std::size_t size() const { return size_; }

 private:
  std::size_t find_slot(const Id& id) const;
  void grow();

  std::vector<Id> slots_;  // an all-zero slot is empty; the all-zero id itself is `has_zero_`
  std::size_t size_ = 0;
  bool has_zero_ = false;
};

}  // namespace keyward::secrets
