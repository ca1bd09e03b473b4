// keyward-bench-corpus: writes a deterministic corpus of source, configuration and data files
// with the secret rules' own examples planted at known places, for throughput benchmarks and a
// recall check. Usage: keyward-bench-corpus OUT_DIR SIZE_MB [SEED]
// The answer key (rule id, file, line of every planted example) goes to OUT_DIR.planted.tsv.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "secrets/rule.hpp"

namespace {

using keyward::secrets::SecretRule;

// Kinds of file in the corpus, with the share of bytes each gets.
struct FileKind {
  const char* extension;
  int weight;
};
constexpr FileKind kKinds[] = {{"py", 20}, {"js", 15}, {"go", 10}, {"java", 10}, {"yaml", 10},
                               {"json", 10}, {"md", 10},  {"env", 3},  {"min.js", 7}, {"csv", 5}};

constexpr const char* kWords[] = {
    "request", "response", "handler", "config", "session", "client", "server", "buffer", "index", "value",
    "account", "service", "deploy", "region", "bucket", "retry", "timeout", "logger", "metrics", "cache",
    "tokenCount", "secretName", "passwordPolicy", "apiVersion", "keyId", "userAgent", "maxRetries", "enabled"};

class Writer {
 public:
  explicit Writer(unsigned seed) : random_(seed) {}

  std::string word() { return kWords[pick(std::size(kWords))]; }
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }

  std::string hex(std::size_t length) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < length; ++i) out.push_back(kHex[pick(16)]);
    return out;
  }
  std::string base64(std::size_t length) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < length; ++i) out.push_back(kAlphabet[pick(64)]);
    return out;
  }

  // One line of ordinary content for a kind of file: identifiers, numbers, hashes, URLs, UUIDs.
  std::string line(const std::string& extension) {
    const std::string a = word();
    const std::string b = word();
    switch (pick(8)) {
      case 0: return fmt::format("  {} = {}({}, {})", a, b, pick(1000), a);
      case 1: return fmt::format("  // {} the {} before {} ({} ms)", b, a, word(), pick(5000));
      case 2: return fmt::format("  \"{}\": \"{}-{}-{}\",", a, hex(8), hex(4), hex(12));
      case 3: return fmt::format("  {}: https://{}.example.com/{}/{}?page={}", a, b, word(), hex(6), pick(50));
      case 4: return fmt::format("  integrity: sha512-{}==", base64(86));
      case 5: return fmt::format("  commit {} {}", hex(40), a);
      case 6: return extension == "csv" ? fmt::format("{},{},{},{}", a, pick(100000), b, hex(16))
                                        : fmt::format("  if ({} > {}) {{ return {}; }}", a, pick(64), b);
      default: return fmt::format("  {}.{}({})", a, b, word());
    }
  }

 private:
  std::mt19937_64 random_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: keyward-bench-corpus OUT_DIR SIZE_MB [SEED]\n";
    return 2;
  }
  const std::filesystem::path out = argv[1];
  const std::uint64_t target = std::stoull(argv[2]) << 20;
  const unsigned seed = argc > 3 ? static_cast<unsigned>(std::stoul(argv[3])) : 7;
  std::filesystem::create_directories(out);
  std::ofstream key(out.string() + ".planted.tsv");

  const auto& rules = keyward::secrets::builtin_rules();
  Writer writer(seed);
  int total_weight = 0;
  for (const FileKind& kind : kKinds) total_weight += kind.weight;

  // One planted example per 256 KiB on average, cycling through every rule's examples.
  constexpr std::uint64_t kPlantEvery = 256u << 10;
  std::uint64_t written = 0;
  std::uint64_t next_plant = kPlantEvery / 2;
  std::size_t plant_index = 0;
  for (int file_number = 0; written < target; ++file_number) {
    int roll = static_cast<int>(writer.pick(static_cast<std::size_t>(total_weight)));
    const FileKind* kind = &kKinds[0];
    for (const FileKind& candidate : kKinds) {
      if (roll < candidate.weight) {
        kind = &candidate;
        break;
      }
      roll -= candidate.weight;
    }
    const std::filesystem::path dir = out / fmt::format("pkg{:03}", file_number % 200);
    std::filesystem::create_directories(dir);
    const std::string name = fmt::format("file{:05}.{}", file_number, kind->extension);
    std::ofstream file(dir / name, std::ios::binary);
    const bool minified = std::string(kind->extension) == "min.js";
    const std::uint64_t file_bytes = 16u << 10 | (writer.pick(256) << 10);
    std::uint64_t in_file = 0;
    long long line = 1;
    while (in_file < file_bytes && written < target) {
      std::string text = writer.line(kind->extension);
      if (written >= next_plant) {
        const SecretRule& rule = rules[plant_index % rules.size()];
        const std::string_view example = rule.examples[(plant_index / rules.size()) % rule.examples.size()];
        ++plant_index;
        next_plant += kPlantEvery;
        text = std::string(example);
        key << rule.id << '\t' << (std::filesystem::relative(dir / name, out)).string() << '\t' << line << '\n';
        if (minified) text = ";" + text + ";";
      }
      text.push_back(minified ? ' ' : '\n');
      for (char c : text) line += c == '\n' ? 1 : 0;
      file << text;
      in_file += text.size();
      written += text.size();
    }
  }
  std::cerr << fmt::format("keyward-bench-corpus: wrote {} MiB with {} planted examples to {}\n", written >> 20,
                           plant_index, out.string());
  return 0;
}
