#pragma once

// Turns blobs into exposures: text or binary detection, UTF-16 conversion, matching, decoding of
// base64 / percent / JSON-escaped runs (scanned again, bounded), AWS key pairing, suppressions,
// and deduplication by fingerprint across locations. One pipeline is used from one thread.

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "secrets/decode/content.hpp"
#include "secrets/input/blob.hpp"
#include "secrets/scan_result.hpp"
#include "secrets/scanner.hpp"
#include "secrets/suppress/suppressions.hpp"
#include "secrets/verify/verifier.hpp"

namespace keyward::secrets {

struct PipelineOptions {
  std::string fingerprint_key;   // the store's key: fingerprints match the inventory's
  int max_decode_depth = 2;      // decoded text is scanned again this many layers deep
  DecodeLimits decode_limits;
  const IgnoreFile* ignore = nullptr;    // not owned; may be null
  const Baseline* baseline = nullptr;    // not owned; findings in it are suppressed
  Baseline* write_baseline = nullptr;    // not owned; every exposure found is added to it
  std::size_t max_locations_per_exposure = 1000;  // further locations are counted, not kept
  // Asks the issuing service whether each new secret is live (--verify); not owned, may be null.
  Verifiers* verifiers = nullptr;
};

// Orders rules for one secret matched by several: a service's own rule above a generic one, and a
// passed checksum above none.
int rule_rank(Category category, bool checksum_valid);
int rule_rank(const core::Exposure& exposure);

class ScanPipeline final : public BlobSink {
 public:
  ScanPipeline(std::shared_ptr<const Scanner> scanner, PipelineOptions options);
  ~ScanPipeline() override;

  void blob(const BlobInfo& info, std::string_view content) override;
  void not_scanned(const std::string& path, const std::string& reason) override;

  // Returns the result, exposures ordered by their first location. The pipeline is empty after.
  ScanResult finish();

 private:
  struct Place;
  void scan_text(const BlobInfo& info, std::string_view text, int depth, const std::string& encoding,
                 const Place* fixed_place);
  void record(const BlobInfo& info, const SecretRule& rule, std::string_view secret, std::string_view match,
              bool checksum_valid, const Place& place, const std::string& paired_fingerprint,
              std::string_view paired_secret);
  void describe_exposure(core::Exposure& exposure, const SecretRule& rule, std::string_view secret,
                         std::string_view match, bool checksum_valid) const;

  std::shared_ptr<const Scanner> scanner_;
  PipelineOptions options_;
  Scanner::ScratchPtr scratch_;
  ScanResult result_;
  std::map<std::string, std::size_t> by_fingerprint_;  // fingerprint -> index in result_.exposures
};

}  // namespace keyward::secrets
