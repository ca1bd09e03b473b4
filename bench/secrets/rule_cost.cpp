// Per-rule cost of the Vectorscan database: compiles each rule alone, scans the corpus in memory
// and prints the rules from slowest to fastest with their MB/s and number of match ends. A rule
// far below the others is the one to reshape (a literal keyword or prefix lets Vectorscan skip
// most of the input). Usage: keyward-bench-rule-cost CORPUS_DIR [TOP_N]

#include <hs/hs.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "secrets/rule.hpp"
#include "secrets/scanner.hpp"

namespace {

int count_end(unsigned, unsigned long long, unsigned long long, unsigned, void* context) {
  ++*static_cast<std::size_t*>(context);
  return 0;
}

// MB/s of the best of several scans of every file, because one scan of a small corpus is at the
// mercy of the neighbours on a shared machine. `ends` counts the match ends of one scan.
double best_rate(const std::vector<std::string>& files, std::size_t bytes, const hs_database_t* database,
                 hs_scratch_t* scratch, std::size_t& ends) {
  constexpr int kRepeats = 7;
  double best = 0;
  for (int repeat = 0; repeat < kRepeats; ++repeat) {
    std::size_t count = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const std::string& file : files) {
      hs_scan(database, file.data(), static_cast<unsigned>(file.size()), 0, scratch, count_end, &count);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    best = std::max(best, static_cast<double>(bytes) / 1e6 / seconds);
    ends = count;
  }
  return best;
}

struct Cost {
  std::string id;
  double mb_per_s = 0;
  std::size_t ends = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: keyward-bench-rule-cost CORPUS_DIR [TOP_N]\n";
    return 2;
  }
  const std::size_t top = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 20;
  std::vector<std::string> files;
  std::size_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[1])) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    bytes += buffer.str().size();
    files.push_back(buffer.str());
  }

  if (std::getenv("KEYWARD_DUMP_EXPRESSIONS") != nullptr) {
    // One line per rule: id, Vectorscan flags and expression, for trying rewrites elsewhere.
    for (const auto& rule : keyward::secrets::builtin_rules()) {
      auto expression = keyward::secrets::vectorscan_expression(rule);
      if (expression.ok()) std::cout << rule.id << '\t' << expression->flags << '\t' << expression->pattern << '\n';
    }
    return 0;
  }

  std::vector<Cost> costs;
  for (const auto& rule : keyward::secrets::builtin_rules()) {
    auto expression = keyward::secrets::vectorscan_expression(rule);
    if (!expression.ok()) {
      std::cerr << expression.error().message << "\n";
      continue;
    }
    const std::string& pattern = expression->pattern;
    const unsigned flags = expression->flags;
    hs_compile_error_t* error = nullptr;
    hs_database_t* database = nullptr;
    if (hs_compile(pattern.c_str(), flags, HS_MODE_BLOCK, nullptr, &database, &error) != HS_SUCCESS) {
      std::cerr << rule.id << ": " << (error != nullptr ? error->message : "compile failed") << "\n";
      hs_free_compile_error(error);
      continue;
    }
    hs_scratch_t* scratch = nullptr;
    hs_alloc_scratch(database, &scratch);
    Cost cost{std::string(rule.id)};
    cost.mb_per_s = best_rate(files, bytes, database, scratch, cost.ends);
    costs.push_back(cost);
    hs_free_scratch(scratch);
    hs_free_database(database);
  }
  if (std::getenv("KEYWARD_LEAVE_ONE_OUT") != nullptr) {
    // The whole database without one rule at a time: the rules whose removal speeds it up most
    // are the ones that cost the most together with the others.
    std::vector<std::string> patterns;
    std::vector<unsigned> all_flags;
    for (const auto& rule : keyward::secrets::builtin_rules()) {
      auto expression = keyward::secrets::vectorscan_expression(rule);
      patterns.push_back(expression.ok() ? expression->pattern : std::string(rule.pattern));
      all_flags.push_back(expression.ok() ? expression->flags : HS_FLAG_PREFILTER);
    }
    // KEYWARD_EXTRA_PATTERNS=FILE adds one pattern per line, to try a rewrite of an excluded rule.
    if (const char* extra = std::getenv("KEYWARD_EXTRA_PATTERNS"); extra != nullptr) {
      std::ifstream lines(extra);
      for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        patterns.push_back(line);
        all_flags.push_back(0);
      }
    }
    costs.clear();
    // KEYWARD_EXCLUDE=id,id,... measures the database without those rules, once.
    const std::string exclude = std::getenv("KEYWARD_EXCLUDE") != nullptr ? std::getenv("KEYWARD_EXCLUDE") : "";
    const auto excluded = [&](std::size_t i) {
      if (i >= keyward::secrets::builtin_rules().size()) return false;
      const std::string id(keyward::secrets::builtin_rules()[i].id);
      return !exclude.empty() && ("," + exclude + ",").find("," + id + ",") != std::string::npos;
    };
    const std::size_t first_skip = exclude.empty() ? 0 : patterns.size();
    for (std::size_t skip = first_skip; skip <= patterns.size(); ++skip) {
      std::vector<const char*> pointers;
      std::vector<unsigned> flags;
      std::vector<unsigned> ids;
      for (std::size_t i = 0; i < patterns.size(); ++i) {
        if (i == skip || excluded(i)) continue;
        pointers.push_back(patterns[i].c_str());
        flags.push_back(all_flags[i]);
        ids.push_back(static_cast<unsigned>(i));
      }
      hs_database_t* database = nullptr;
      hs_compile_error_t* error = nullptr;
      if (hs_compile_multi(pointers.data(), flags.data(), ids.data(), static_cast<unsigned>(pointers.size()),
                           HS_MODE_BLOCK, nullptr, &database, &error) != HS_SUCCESS) {
        hs_free_compile_error(error);
        continue;
      }
      hs_scratch_t* scratch = nullptr;
      hs_alloc_scratch(database, &scratch);
      Cost cost{skip < keyward::secrets::builtin_rules().size() ? "without " + std::string(keyward::secrets::builtin_rules()[skip].id)
                                       : std::string("(all rules)")};
      cost.mb_per_s = best_rate(files, bytes, database, scratch, cost.ends);
      costs.push_back(cost);
      hs_free_scratch(scratch);
      hs_free_database(database);
    }
    std::sort(costs.begin(), costs.end(), [](const Cost& a, const Cost& b) { return a.mb_per_s > b.mb_per_s; });
  } else {
    std::sort(costs.begin(), costs.end(), [](const Cost& a, const Cost& b) { return a.mb_per_s < b.mb_per_s; });
  }
  std::cout << "rule\tMB/s\tmatch ends\n";
  for (std::size_t i = 0; i < costs.size() && i < top; ++i) {
    std::cout << costs[i].id << '\t' << static_cast<long>(costs[i].mb_per_s) << '\t' << costs[i].ends << '\n';
  }
  return 0;
}
