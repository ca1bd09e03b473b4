#include "secrets/scanner.hpp"

#include <hs/hs.h>
#include <re2/re2.h>

#include <algorithm>
#include <mutex>
#include <fmt/format.h>

#include "secrets/database_cache.hpp"
#include "secrets/secret_text.hpp"
#include "secrets/validators/placeholder.hpp"

namespace keyward::secrets {
namespace {

// A range of the buffer in which one rule's Vectorscan matches ended, to be confirmed with RE2:
// [begin, end) reaches back the rule's longest match from the first end.
struct Window {
  unsigned rule = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Buffers are scanned in chunks so the candidate windows of one chunk stay bounded even when a
// generic rule's repeat ends at every offset of a long run. Consecutive chunks overlap by the
// longest match, so a match across a chunk boundary is seen whole by one of them.
constexpr std::size_t kChunkBytes = 1u << 20;

std::string describe_compile_error(hs_compile_error_t* error) {
  std::string message = error != nullptr && error->message != nullptr ? error->message : "unknown error";
  hs_free_compile_error(error);
  return message;
}

}  // namespace

struct Scanner::Impl {
  std::vector<SecretRule> rules;
  // Per rule, built at first use when the database came from the cache, because compiling all of
  // them costs more than a short scan. The once-flags make the lazy build safe across threads.
  mutable std::vector<std::unique_ptr<RE2>> confirmers;
  mutable std::unique_ptr<std::once_flag[]> confirmer_built;
  std::vector<bool> prefilter;  // Vectorscan approximates the pattern: its ends are not exact
  std::vector<std::size_t> reach;  // per rule: how far back from an end offset a match can start
  std::size_t max_match_length = 0;
  hs_database_t* database = nullptr;

  ~Impl() {
    if (database != nullptr) hs_free_database(database);
  }

  // Returns the rule's RE2, building it on first use; nullptr when RE2 rejects the pattern.
  const RE2* confirmer(unsigned rule) const;
  void confirm(const Window& window, std::size_t extend, std::string_view data, std::vector<Match>& out) const;
  bool accept(const SecretRule& rule, std::string_view secret, std::string_view whole, bool& checksum_valid) const;
};

class Scanner::Scratch {
 public:
  explicit Scratch(const hs_database_t* database) {
    if (hs_alloc_scratch(database, &scratch_) != HS_SUCCESS) scratch_ = nullptr;
  }
  ~Scratch() {
    if (scratch_ != nullptr) hs_free_scratch(scratch_);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  hs_scratch_t* scratch_ = nullptr;
  // Set for the duration of one hs_scan call.
  const Impl* impl_ = nullptr;
  std::size_t chunk_begin_ = 0;
  std::vector<Window> windows_;       // closed windows of the current chunk
  std::vector<Window> open_windows_;  // per rule: the window still growing (end == 0: none)
};

namespace {

// Records one Vectorscan end offset. The rule's open window grows when the new match could
// overlap it, else a new window starts. Returning 0 lets the scan continue.
int on_candidate(unsigned int id, unsigned long long /*from*/, unsigned long long to, unsigned int /*flags*/,
                 void* context) {
  auto* scratch = static_cast<Scanner::Scratch*>(context);
  const std::size_t end = scratch->chunk_begin_ + static_cast<std::size_t>(to);
  const std::size_t reach = scratch->impl_->reach[id];
  const std::size_t begin = end > reach ? end - reach : 0;
  Window& open = scratch->open_windows_[id];
  if (open.end != 0 && begin <= open.end) {
    open.end = std::max(open.end, end);
    return 0;
  }
  if (open.end != 0) scratch->windows_.push_back(open);
  open = {id, begin, end};
  return 0;
}

}  // namespace

core::Result<VectorscanExpression> vectorscan_expression(const SecretRule& rule) {
  VectorscanExpression expression;
  expression.pattern = std::string(rule.pattern);
  // The exact pattern comes first. One with a construct Vectorscan lacks is compiled in
  // prefilter mode, which matches a superset that RE2 then narrows down.
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_expression_info(expression.pattern.c_str(), 0, &info, &error) == HS_SUCCESS) {
    std::free(info);
    return expression;
  }
  hs_free_compile_error(error);
  error = nullptr;
  if (hs_expression_info(expression.pattern.c_str(), HS_FLAG_PREFILTER, &info, &error) != HS_SUCCESS) {
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("secret rule {}: Vectorscan rejects the pattern: {}", rule.id,
                                        describe_compile_error(error)));
  }
  std::free(info);
  expression.flags = HS_FLAG_PREFILTER;
  expression.approximate = true;
  return expression;
}

Scanner::Scanner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Scanner::~Scanner() = default;

const std::vector<SecretRule>& Scanner::rules() const { return impl_->rules; }

Scanner::ScratchPtr Scanner::make_scratch() const { return ScratchPtr(new Scratch(impl_->database)); }

void Scanner::ScratchDeleter::operator()(Scratch* scratch) const { delete scratch; }

core::Result<std::shared_ptr<const Scanner>> Scanner::build(std::vector<SecretRule> rules,
                                                            const std::filesystem::path& cache_directory) {
  if (rules.empty()) return core::make_error(core::ErrorCode::invalid_argument, "no secret rules to compile");
  auto impl = std::make_unique<Impl>();
  impl->rules = std::move(rules);

  const std::size_t count = impl->rules.size();
  impl->confirmers.resize(count);
  impl->confirmer_built = std::make_unique<std::once_flag[]>(count);
  std::vector<std::string> patterns;
  std::vector<unsigned> ids;
  for (unsigned i = 0; i < count; ++i) {
    const SecretRule& rule = impl->rules[i];
    impl->max_match_length = std::max(impl->max_match_length, rule.max_match_length);
    impl->reach.push_back(rule.max_match_length);
    patterns.emplace_back(rule.pattern);
    ids.push_back(i);
  }

  // A cached database was stored only after both engines accepted every pattern.
  const std::string cache_key = cache_directory.empty() ? std::string() : database_cache_key(patterns, ids, HS_MODE_BLOCK);
  if (!cache_key.empty()) {
    if (auto cached = load_cached_database(cache_directory, cache_key, count)) {
      impl->database = cached->database;
      for (const unsigned flag : cached->flags) impl->prefilter.push_back((flag & HS_FLAG_PREFILTER) != 0);
      return std::shared_ptr<const Scanner>(new Scanner(std::move(impl)));
    }
  }

  std::vector<unsigned> flags;
  for (unsigned i = 0; i < count; ++i) {
    const SecretRule& rule = impl->rules[i];
    const RE2* confirmer = impl->confirmer(i);
    if (confirmer == nullptr || !confirmer->ok()) {
      return core::make_error(core::ErrorCode::invalid_argument,
                              fmt::format("secret rule {}: RE2 rejects the pattern: {}", rule.id,
                                          impl->confirmers[i] ? impl->confirmers[i]->error() : "out of memory"));
    }
    auto expression = vectorscan_expression(rule);
    if (!expression.ok()) return expression.error();
    impl->prefilter.push_back(expression->approximate);
    patterns[i] = std::move(expression->pattern);
    flags.push_back(expression->flags);
  }

  std::vector<const char*> pattern_pointers;
  for (const std::string& pattern : patterns) pattern_pointers.push_back(pattern.c_str());
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(pattern_pointers.data(), flags.data(), ids.data(), static_cast<unsigned>(patterns.size()),
                       HS_MODE_BLOCK, nullptr, &impl->database, &error) != HS_SUCCESS) {
    std::string rule_id = error != nullptr && error->expression >= 0
                              ? std::string(impl->rules[static_cast<std::size_t>(error->expression)].id)
                              : std::string("(all rules)");
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("compiling the secret rules failed at rule {}: {}", rule_id,
                                        describe_compile_error(error)));
  }
  if (!cache_key.empty()) store_cached_database(cache_directory, cache_key, impl->database, flags);
  return std::shared_ptr<const Scanner>(new Scanner(std::move(impl)));
}

const RE2* Scanner::Impl::confirmer(unsigned rule) const {
  std::call_once(confirmer_built[rule], [this, rule] {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(64 << 20);
    confirmers[rule] = std::make_unique<RE2>(std::string(rules[rule].pattern), options);
  });
  const RE2* built = confirmers[rule].get();
  return built != nullptr && built->ok() ? built : nullptr;
}

bool Scanner::Impl::accept(const SecretRule& rule, std::string_view secret, std::string_view whole,
                           bool& checksum_valid) const {
  if (secret.empty()) return false;
  if (rule.min_entropy > 0 && shannon_entropy(secret) < rule.min_entropy) return false;
  if (rule.placeholder_filter && is_placeholder(secret)) return false;
  if (rule.validate != nullptr && !rule.validate(secret, whole)) return false;
  checksum_valid = rule.checksum && rule.validate != nullptr;
  return true;
}

// Confirms one window: RE2 searches it with the whole buffer as context, so word boundaries and
// anchors see the real neighbouring bytes.
// `extend` lets RE2 look past the last reported end, for a match that may continue there.
void Scanner::Impl::confirm(const Window& window, std::size_t extend, std::string_view data,
                            std::vector<Match>& out) const {
  const SecretRule& rule = rules[window.rule];
  // NOTE: with a cached database, a pattern that a different RE2 build rejects finds nothing.
  const RE2* built = confirmer(window.rule);
  if (built == nullptr) return;
  const RE2& regex = *built;
  // A prefilter approximation may end before the real match does.
  if (prefilter[window.rule]) extend = std::max(extend, rule.max_match_length);
  const std::size_t end = std::min(data.size(), window.end + extend);
  const int groups = std::min(regex.NumberOfCapturingGroups(), 1) + 1;
  re2::StringPiece captures[2];
  const re2::StringPiece text(data.data(), data.size());
  std::size_t position = window.begin;
  while (position < end && regex.Match(text, position, end, RE2::UNANCHORED, captures, groups)) {
    const std::size_t match_begin = static_cast<std::size_t>(captures[0].data() - data.data());
    const std::size_t match_end = match_begin + captures[0].size();
    const re2::StringPiece secret_piece = groups > 1 && captures[1].data() != nullptr ? captures[1] : captures[0];
    const std::size_t secret_begin = static_cast<std::size_t>(secret_piece.data() - data.data());
    const std::string_view secret(secret_piece.data(), secret_piece.size());
    bool checksum_valid = false;
    if (accept(rule, secret, std::string_view(captures[0].data(), captures[0].size()), checksum_valid)) {
      out.push_back({&rule, match_begin, match_end, secret_begin, secret_begin + secret.size(), checksum_valid});
    }
    position = match_end > match_begin ? match_end : match_begin + 1;
  }
}

// NOTE: On a CPU with AVX-512, Debian 12's Vectorscan 5.4.9 missed about a third of the matches of
// a two-pattern database when a prefixed token followed a long run of one letter. Under valgrind,
// which hides AVX-512, it missed none, and the full catalogue found every match in the same test.
// Small custom rule sets may be affected. TODO: check a newer Vectorscan and report the bug.
std::vector<Match> Scanner::scan(std::string_view data, Scratch& scratch) const {
  std::vector<Match> matches;
  if (scratch.scratch_ == nullptr || data.empty()) return matches;

  const std::size_t longest = impl_->max_match_length;
  scratch.impl_ = impl_.get();
  scratch.open_windows_.assign(impl_->rules.size(), Window{});
  for (std::size_t chunk_begin = 0;;) {
    const std::size_t chunk_end = std::min(data.size(), chunk_begin + kChunkBytes);
    const bool last = chunk_end == data.size();
    scratch.chunk_begin_ = chunk_begin;
    scratch.windows_.clear();
    for (Window& open : scratch.open_windows_) open = Window{};
    hs_scan(impl_->database, data.data() + chunk_begin, static_cast<unsigned>(chunk_end - chunk_begin), 0,
            scratch.scratch_, on_candidate, &scratch);
    for (const Window& open : scratch.open_windows_) {
      if (open.end != 0) scratch.windows_.push_back(open);
    }
    // A match ending in the chunk's last longest-match may continue past the chunk, so RE2 may
    // look further there. The next chunk starts a longest-match back and finds it again, and the
    // duplicate is removed below.
    const std::size_t settled = last ? data.size() : chunk_end - std::min(chunk_end, longest);
    for (const Window& window : scratch.windows_) {
      impl_->confirm(window, window.end > settled ? longest : 0, data, matches);
    }
    if (last) break;
    const std::size_t next = chunk_end > longest ? chunk_end - longest : chunk_end;
    chunk_begin = next > chunk_begin ? next : chunk_end;
  }
  scratch.impl_ = nullptr;

  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    if (a.rule != b.rule) return a.rule < b.rule;
    return a.secret_end < b.secret_end;
  });
  matches.erase(std::unique(matches.begin(), matches.end(),
                            [](const Match& a, const Match& b) {
                              return a.rule == b.rule && a.secret_begin == b.secret_begin && a.secret_end == b.secret_end;
                            }),
                matches.end());
  return matches;
}

}  // namespace keyward::secrets
