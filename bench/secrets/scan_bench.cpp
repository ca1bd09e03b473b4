// Secret scanning throughput on a corpus directory (KEYWARD_BENCH_CORPUS, written by
// keyward-bench-corpus), in memory, one thread per benchmark:
//   VectorscanOnly  the rule database alone with an empty callback: the ceiling of the matcher
//   ScannerScan     Vectorscan plus RE2 confirmation and the rules' validators
//   Pipeline        the whole per-blob pipeline: text detection, decoding, pairing, fingerprints

#include <benchmark/benchmark.h>
#include <hs/hs.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "secrets/scan_pipeline.hpp"
#include "secrets/scanner.hpp"

namespace {

struct Corpus {
  std::vector<std::string> files;
  std::size_t bytes = 0;
};

const Corpus& corpus() {
  static const Corpus loaded = [] {
    Corpus c;
    const char* root = std::getenv("KEYWARD_BENCH_CORPUS");
    if (root == nullptr) {
      std::cerr << "set KEYWARD_BENCH_CORPUS to a directory written by keyward-bench-corpus\n";
      std::exit(2);
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      c.bytes += buffer.str().size();
      c.files.push_back(buffer.str());
    }
    return c;
  }();
  return loaded;
}

std::shared_ptr<const keyward::secrets::Scanner> scanner() {
  static auto built = keyward::secrets::Scanner::build(keyward::secrets::builtin_rules());
  if (!built.ok()) {
    std::cerr << built.error().message << "\n";
    std::exit(2);
  }
  return *built;
}

int count_end(unsigned, unsigned long long, unsigned long long, unsigned, void* context) {
  ++*static_cast<std::size_t*>(context);
  return 0;
}

void VectorscanOnly(benchmark::State& state) {
  // The same expressions and flags the Scanner compiles, as one block-mode database.
  std::vector<std::string> patterns;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (const auto& rule : keyward::secrets::builtin_rules()) {
    auto expression = keyward::secrets::vectorscan_expression(rule);
    if (!expression.ok()) {
      state.SkipWithError(expression.error().message.c_str());
      return;
    }
    ids.push_back(static_cast<unsigned>(patterns.size()));
    patterns.push_back(expression->pattern);
    flags.push_back(expression->flags);
  }
  std::vector<const char*> pointers;
  for (const auto& pattern : patterns) pointers.push_back(pattern.c_str());
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(pointers.data(), flags.data(), ids.data(), static_cast<unsigned>(pointers.size()), HS_MODE_BLOCK,
                       nullptr, &database, &error) != HS_SUCCESS) {
    state.SkipWithError("hs_compile_multi failed");
    return;
  }
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(database, &scratch);
  std::size_t ends = 0;
  for (auto _ : state) {
    for (const std::string& file : corpus().files) {
      hs_scan(database, file.data(), static_cast<unsigned>(file.size()), 0, scratch, count_end, &ends);
    }
  }
  benchmark::DoNotOptimize(ends);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus().bytes));
  hs_free_scratch(scratch);
  hs_free_database(database);
}

void ScannerScan(benchmark::State& state) {
  auto scan = scanner();
  auto scratch = scan->make_scratch();
  std::size_t matches = 0;
  for (auto _ : state) {
    for (const std::string& file : corpus().files) matches += scan->scan(file, *scratch).size();
  }
  benchmark::DoNotOptimize(matches);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus().bytes));
}

void Pipeline(benchmark::State& state) {
  keyward::secrets::PipelineOptions options;
  options.fingerprint_key = "bench";
  for (auto _ : state) {
    keyward::secrets::ScanPipeline pipeline(scanner(), options);
    keyward::secrets::BlobInfo info;
    for (const std::string& file : corpus().files) pipeline.blob(info, file);
    benchmark::DoNotOptimize(pipeline.finish());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus().bytes));
}

BENCHMARK(VectorscanOnly)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(ScannerScan)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(Pipeline)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
