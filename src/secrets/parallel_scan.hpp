#pragma once

// Spreads blobs over worker threads, each with its own ScanPipeline and Vectorscan scratch, and
// merges their results. The readers stay on the calling thread: blob() copies the content into
// a queue bounded in bytes and blocks while the queue is full.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "secrets/input/blob.hpp"
#include "secrets/scan_pipeline.hpp"

namespace keyward::secrets {

class ParallelScan final : public BlobSink {
 public:
  // `threads` 0 means one per hardware thread. With one thread, blobs are scanned on the caller's
  // thread without copying.
  ParallelScan(std::shared_ptr<const Scanner> scanner, const PipelineOptions& options, unsigned threads,
               std::size_t max_queued_bytes = 64u << 20);
  ~ParallelScan() override;

  void blob(const BlobInfo& info, std::string_view content) override;
  void not_scanned(const std::string& path, const std::string& reason) override;

  // Waits for the workers and returns the merged result, exposures deduplicated by fingerprint
  // across workers and ordered by first location.
  ScanResult finish();

 private:
  struct Job {
    BlobInfo info;
    std::string content;
  };
  void work(std::size_t worker);

  std::vector<std::unique_ptr<ScanPipeline>> pipelines_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable queue_changed_;
  std::deque<Job> queue_;
  std::size_t queued_bytes_ = 0;
  std::size_t max_queued_bytes_;
  bool closed_ = false;
  std::vector<NotScanned> not_scanned_;
};

// Merges per-worker results: sums the counts, joins exposures with the same fingerprint (their
// locations, checksum and pairing) and orders them by first location.
ScanResult merge_results(std::vector<ScanResult> parts, std::size_t max_locations_per_exposure);

}  // namespace keyward::secrets
