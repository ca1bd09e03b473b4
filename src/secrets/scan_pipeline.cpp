#include "secrets/scan_pipeline.hpp"

#include <algorithm>
#include <cstring>
#include <tuple>

#include "secrets/inventory_join.hpp"
#include "secrets/pairing.hpp"
#include "secrets/secret_text.hpp"

namespace keyward::secrets {

// The reported place of a match: its line and column in the blob, or the place of the encoded run
// it was decoded from.
struct ScanPipeline::Place {
  long long line = 0;
  long long column = 0;
  std::string encoding;
};

namespace {

// Bytes on either side of a match searched for an allow comment, so a 50 MB line costs no more
// than a short one.
constexpr std::size_t kAllowReach = 2048;

std::string join_encoding(const std::string& outer, std::string_view inner) {
  if (outer.empty()) return std::string(inner);
  return outer + "+" + std::string(inner);
}

std::string_view line_around(std::string_view text, std::size_t begin, std::size_t end) {
  const std::size_t floor = begin > kAllowReach ? begin - kAllowReach : 0;
  std::size_t line_begin = begin;
  while (line_begin > floor && text[line_begin - 1] != '\n') --line_begin;
  const std::size_t ceiling = std::min(text.size(), end + kAllowReach);
  std::size_t line_end = end;
  while (line_end < ceiling && text[line_end] != '\n') ++line_end;
  return text.substr(line_begin, line_end - line_begin);
}

// Counts lines incrementally over matches given in offset order.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}

  // 1-based line and byte column of `offset`; offsets must not decrease between calls.
  std::pair<long long, long long> locate(std::size_t offset) {
    while (position_ < offset) {
      const void* newline = std::memchr(text_.data() + position_, '\n', offset - position_);
      if (newline == nullptr) {
        position_ = offset;
        break;
      }
      position_ = static_cast<std::size_t>(static_cast<const char*>(newline) - text_.data()) + 1;
      ++line_;
      line_start_ = position_;
    }
    return {line_, static_cast<long long>(offset - line_start_) + 1};
  }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
  std::size_t line_start_ = 0;
  long long line_ = 1;
};

}  // namespace

ScanPipeline::ScanPipeline(std::shared_ptr<const Scanner> scanner, PipelineOptions options)
    : scanner_(std::move(scanner)), options_(std::move(options)), scratch_(scanner_->make_scratch()) {}

ScanPipeline::~ScanPipeline() = default;

void ScanPipeline::not_scanned(const std::string& path, const std::string& reason) {
  result_.not_scanned.push_back({path, reason});
}

void ScanPipeline::blob(const BlobInfo& info, std::string_view content) {
  if (options_.ignore != nullptr && options_.ignore->path_ignored(info.path)) return;
  ++result_.blobs;
  result_.bytes += content.size();

  switch (classify_content(content)) {
    case ContentKind::text:
      scan_text(info, content, 0, "", nullptr);
      break;
    case ContentKind::utf16le:
      scan_text(info, utf16_to_utf8(content, true), 0, "utf-16le", nullptr);
      break;
    case ContentKind::utf16be:
      scan_text(info, utf16_to_utf8(content, false), 0, "utf-16be", nullptr);
      break;
    case ContentKind::binary: {
      // Lines mean nothing in a binary: matches are reported at line 0 with encoding "binary".
      ++result_.binary_blobs;
      const Place place{0, 0, "binary"};
      scan_text(info, printable_runs(content), 0, "binary", &place);
      break;
    }
  }
}

void ScanPipeline::scan_text(const BlobInfo& info, std::string_view text, int depth, const std::string& encoding,
                             const Place* fixed_place) {
  const std::vector<Match> matches = scanner_->scan(text, *scratch_);
  LineCounter lines(text);
  for (const Match& match : matches) {
    Place place;
    if (fixed_place != nullptr) {
      place = *fixed_place;
    } else {
      const auto [line, column] = lines.locate(match.secret_begin);
      place = Place{line, column, encoding};
    }
    if (line_allows(line_around(text, match.begin, match.end))) {
      ++result_.suppressed;
      continue;
    }
    const std::string_view secret = text.substr(match.secret_begin, match.secret_end - match.secret_begin);
    const std::string_view whole = text.substr(match.begin, match.end - match.begin);

    std::string paired_fingerprint;
    std::string_view paired_secret;
    if (match.rule->credential_kind == "aws_access_key") {
      if (auto pair = find_aws_secret_near(text, match.secret_begin, match.secret_end)) {
        const std::string_view paired = text.substr(pair->begin, pair->end - pair->begin);
        Place paired_place = place;
        if (fixed_place == nullptr) {
          // The pair may sit on an earlier line than the key id; count afresh for it.
          LineCounter pair_lines(text);
          const auto [line, column] = pair_lines.locate(pair->begin);
          paired_place.line = line;
          paired_place.column = column;
        }
        paired_fingerprint = fingerprint(options_.fingerprint_key, paired);
        paired_secret = paired;
        record(info, aws_paired_secret_rule(), paired, paired, false, paired_place, "", "");
      }
    }
    record(info, *match.rule, secret, whole, match.checksum_valid, place, paired_fingerprint, paired_secret);
  }

  if (depth >= options_.max_decode_depth) return;
  // find_encoded returns spans in offset order, so one counter walks the text once.
  LineCounter span_lines(text);
  for (const DecodedSpan& span : find_encoded(text, options_.decode_limits)) {
    Place place;
    if (fixed_place != nullptr) {
      place = *fixed_place;
    } else {
      const auto [line, column] = span_lines.locate(span.begin);
      place = Place{line, column, ""};
    }
    place.encoding = join_encoding(encoding, span.encoding);
    scan_text(info, span.text, depth + 1, place.encoding, &place);
  }
}

int rule_rank(Category category, bool checksum_valid) {
  return (category == Category::generic ? 0 : 2) + (checksum_valid ? 1 : 0);
}

int rule_rank(const core::Exposure& exposure) {
  return (exposure.category == to_string(Category::generic) ? 0 : 2) + (exposure.checksum_valid ? 1 : 0);
}

void ScanPipeline::describe_exposure(core::Exposure& exposure, const SecretRule& rule, std::string_view secret,
                                     std::string_view match, bool checksum_valid) const {
  exposure.rule_id = std::string(rule.id);
  exposure.rule_name = std::string(rule.name);
  exposure.service = std::string(rule.service);
  exposure.category = std::string(to_string(rule.category));
  exposure.redacted = redact(secret, rule.redact_prefix);
  exposure.platform = std::string(rule.platform);
  exposure.credential_kind = std::string(rule.credential_kind);
  exposure.checksum_valid = checksum_valid;
  exposure.identifier = rule.identifier != nullptr ? rule.identifier(secret, match) : std::string();
  exposure.join_key = rule.platform == "github" ? github_join_key(options_.fingerprint_key, secret) : std::string();
}

void ScanPipeline::record(const BlobInfo& info, const SecretRule& rule, std::string_view secret,
                          std::string_view match, bool checksum_valid, const Place& place,
                          const std::string& paired_fingerprint, std::string_view paired_secret) {
  if (options_.ignore != nullptr && options_.ignore->rule_ignored(rule.id)) {
    ++result_.suppressed;
    return;
  }
  const std::string secret_fingerprint = fingerprint(options_.fingerprint_key, secret);
  if (options_.ignore != nullptr && options_.ignore->fingerprint_ignored(secret_fingerprint)) {
    ++result_.suppressed;
    return;
  }
  if (options_.baseline != nullptr && options_.baseline->contains(rule.id, secret)) {
    ++result_.suppressed;
    ++result_.baseline_matches;
    return;
  }

  core::ExposureLocation location;
  location.path = info.path;
  location.line = place.line;
  location.column = place.column;
  location.commit = info.commit;
  location.author = info.author;
  location.commit_time = info.commit_time;
  location.encoding = place.encoding;

  auto [entry, inserted] = by_fingerprint_.try_emplace(secret_fingerprint, result_.exposures.size());
  if (inserted) {
    core::Exposure exposure;
    exposure.fingerprint = secret_fingerprint;
    describe_exposure(exposure, rule, secret, match, checksum_valid);
    exposure.locations.push_back(location);
    result_.exposures.push_back(std::move(exposure));
  }
  // Every rule that matched goes into a new baseline, because a later scan may name the secret
  // by any of them first. Baseline::add skips entries it already has.
  if (options_.write_baseline != nullptr) options_.write_baseline->add(rule.id, secret, result_.exposures[entry->second]);
  core::Exposure& exposure = result_.exposures[entry->second];
  // A secret that a generic rule and a service's own rule both match is reported as the
  // service's: its rule has the platform, the redacted prefix and the inventory join.
  if (!inserted && rule_rank(rule.category, checksum_valid) > rule_rank(exposure)) {
    describe_exposure(exposure, rule, secret, match, checksum_valid);
  }
  exposure.checksum_valid = exposure.checksum_valid || checksum_valid;
  if (exposure.paired_fingerprint.empty()) exposure.paired_fingerprint = paired_fingerprint;
  // Each secret is verified once, while its bytes are in memory. An AWS key id found first without
  // its secret key is verified again when a later place pairs it.
  const bool retry_with_pair = !paired_secret.empty() && exposure.verification.rfind("unknown", 0) == 0;
  if (options_.verifiers != nullptr && (exposure.verification.empty() || retry_with_pair) &&
      options_.verifiers->supports(exposure.rule_id)) {
    exposure.verification = to_string(options_.verifiers->verify(exposure.rule_id, secret, paired_secret));
  }
  if (inserted) return;

  // The same secret at the same place (raw and again inside a decoded run) is one location.
  const auto same_place = [&](const core::ExposureLocation& known) {
    return known.path == location.path && known.line == location.line && known.commit == location.commit;
  };
  if (std::any_of(exposure.locations.begin(), exposure.locations.end(), same_place)) return;
  if (exposure.locations.size() < options_.max_locations_per_exposure) exposure.locations.push_back(location);
}

ScanResult ScanPipeline::finish() {
  std::sort(result_.exposures.begin(), result_.exposures.end(), [](const core::Exposure& a, const core::Exposure& b) {
    const core::ExposureLocation& x = a.locations.front();
    const core::ExposureLocation& y = b.locations.front();
    return std::tie(x.path, x.line, x.column, a.rule_id) < std::tie(y.path, y.line, y.column, b.rule_id);
  });
  by_fingerprint_.clear();
  ScanResult result = std::move(result_);
  result_ = ScanResult{};
  return result;
}

}  // namespace keyward::secrets
