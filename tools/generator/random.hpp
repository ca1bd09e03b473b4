#pragma once

// A seeded random source whose output is the same on every platform and standard library:
// std::mt19937_64 is fully specified by the standard, but std::uniform_int_distribution and its
// siblings are not, so the distributions here are written out.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace keyward::generator {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : seed_(seed), engine_(seed) {}

  // Creates an independent stream for `label`, so adding draws to one identity's activity does
  // not shift every identity generated after it.
  Rng fork(std::string_view label) const;

  std::uint64_t next() { return engine_(); }
  // Uniform integer in [low, high]; rejection sampling avoids modulo bias.
  std::int64_t uniform(std::int64_t low, std::int64_t high);
  // Uniform double in [0, 1) built from the top 53 bits of one draw.
  double unit();
  bool chance(double probability) { return unit() < probability; }

  template <class T>
  const T& pick(const std::vector<T>& values) {
    return values[static_cast<size_t>(uniform(0, static_cast<std::int64_t>(values.size()) - 1))];
  }
  // Picks an index with probability proportional to its weight; weights must not all be zero.
  size_t weighted(const std::vector<int>& weights);

  // `count` characters drawn uniformly from `alphabet`.
  std::string text(size_t count, std::string_view alphabet);
  // Lower-case hexadecimal.
  std::string hex(size_t count) { return text(count, "0123456789abcdef"); }
  // A version 4 UUID, as CloudTrail writes eventID and most requestIDs.
  std::string uuid();

 private:
  std::uint64_t seed_;
  std::mt19937_64 engine_;
};

inline constexpr std::string_view kUpperBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
inline constexpr std::string_view kAlphanumeric =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

}  // namespace keyward::generator
