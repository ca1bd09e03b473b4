#include "tools/generator/random.hpp"

#include <limits>

namespace keyward::generator {
namespace {

// SplitMix64 finalizer: spreads the bits of a seed so nearby seeds give unrelated streams.
std::uint64_t mix(std::uint64_t value) {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

// 64-bit FNV-1a of the label.
std::uint64_t hash_label(std::string_view label) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : label) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace

Rng Rng::fork(std::string_view label) const { return Rng(mix(seed_ ^ mix(hash_label(label)))); }

std::int64_t Rng::uniform(std::int64_t low, std::int64_t high) {
  if (high <= low) return low;
  const std::uint64_t span = static_cast<std::uint64_t>(high - low) + 1;
  if (span == 0) return static_cast<std::int64_t>(next());  // the whole 64-bit range
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % span;
  std::uint64_t draw = next();
  while (draw >= limit) draw = next();
  return low + static_cast<std::int64_t>(draw % span);
}

double Rng::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

size_t Rng::weighted(const std::vector<int>& weights) {
  std::int64_t total = 0;
  for (int weight : weights) total += weight;
  std::int64_t draw = uniform(0, total - 1);
  for (size_t i = 0; i < weights.size(); ++i) {
    if (draw < weights[i]) return i;
    draw -= weights[i];
  }
  return weights.size() - 1;
}

std::string Rng::text(size_t count, std::string_view alphabet) {
  std::string out(count, ' ');
  for (auto& c : out) c = alphabet[static_cast<size_t>(uniform(0, static_cast<std::int64_t>(alphabet.size()) - 1))];
  return out;
}

std::string Rng::uuid() {
  std::string raw = hex(32);
  raw[12] = '4';
  raw[16] = "89ab"[uniform(0, 3)];
  return raw.substr(0, 8) + "-" + raw.substr(8, 4) + "-" + raw.substr(12, 4) + "-" + raw.substr(16, 4) + "-" +
         raw.substr(20, 12);
}

}  // namespace keyward::generator
