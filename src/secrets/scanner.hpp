#pragma once

// The matching core: every rule compiled into one Vectorscan database, each candidate confirmed
// with RE2 and the rule's checks. A Scanner is immutable after build and shared by threads;
// each thread scans with its own Scratch.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "secrets/rule.hpp"

namespace keyward::secrets {

// A confirmed match in one buffer. Offsets index the scanned buffer; the secret bytes are
// buffer[secret_begin, secret_end) and must never be printed, logged or stored.
struct Match {
  const SecretRule* rule = nullptr;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t secret_begin = 0;
  std::size_t secret_end = 0;
  bool checksum_valid = false;
};

// The expression Vectorscan compiles for one rule: the rule's pattern, in HS_FLAG_PREFILTER mode
// when Vectorscan lacks one of its constructs. Such an expression is `approximate` because its end
// offsets may fall short of the real match, so confirmation looks further.
struct VectorscanExpression {
  std::string pattern;
  unsigned flags = 0;
  bool approximate = false;
};

// Returns the expression for `rule`, or an error naming the rule when Vectorscan rejects it.
core::Result<VectorscanExpression> vectorscan_expression(const SecretRule& rule);

class Scanner {
 public:
  // Per-thread Vectorscan scratch space and confirmation buffers.
  class Scratch;
  struct ScratchDeleter {
    void operator()(Scratch* scratch) const;
  };
  using ScratchPtr = std::unique_ptr<Scratch, ScratchDeleter>;

  // Compiles the rules; an error names the rule whose pattern Vectorscan or RE2 rejects. With a
  // cache directory, the compiled Vectorscan database is loaded from there when the same patterns
  // were compiled before, and stored there otherwise (see database_cache.hpp).
  static core::Result<std::shared_ptr<const Scanner>> build(std::vector<SecretRule> rules,
                                                            const std::filesystem::path& cache_directory = {});
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  ScratchPtr make_scratch() const;

  // Returns every confirmed match in `data`, ordered by offset, one per (rule, secret span).
  std::vector<Match> scan(std::string_view data, Scratch& scratch) const;

  const std::vector<SecretRule>& rules() const;

  struct Impl;

 private:
  explicit Scanner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace keyward::secrets
