#include "secrets/parallel_scan.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace keyward::secrets {

ParallelScan::ParallelScan(std::shared_ptr<const Scanner> scanner, const PipelineOptions& options, unsigned threads,
                           std::size_t max_queued_bytes)
    : max_queued_bytes_(max_queued_bytes) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) pipelines_.push_back(std::make_unique<ScanPipeline>(scanner, options));
  if (threads == 1) return;
  for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this, i] { work(i); });
}

ParallelScan::~ParallelScan() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  queue_changed_.notify_all();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

void ParallelScan::blob(const BlobInfo& info, std::string_view content) {
  if (workers_.empty()) {
    pipelines_.front()->blob(info, content);
    return;
  }
  std::unique_lock lock(mutex_);
  // A blob larger than the whole queue is still accepted once the queue is empty.
  queue_changed_.wait(lock, [&] { return queue_.empty() || queued_bytes_ + content.size() <= max_queued_bytes_; });
  queue_.push_back(Job{info, std::string(content)});
  queued_bytes_ += content.size();
  lock.unlock();
  queue_changed_.notify_all();
}

void ParallelScan::not_scanned(const std::string& path, const std::string& reason) {
  std::lock_guard lock(mutex_);
  not_scanned_.push_back({path, reason});
}

void ParallelScan::work(std::size_t worker) {
  ScanPipeline& pipeline = *pipelines_[worker];
  for (;;) {
    std::unique_lock lock(mutex_);
    queue_changed_.wait(lock, [&] { return closed_ || !queue_.empty(); });
    if (queue_.empty()) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    queued_bytes_ -= job.content.size();
    lock.unlock();
    queue_changed_.notify_all();
    pipeline.blob(job.info, job.content);
  }
}

ScanResult ParallelScan::finish() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  queue_changed_.notify_all();
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();

  std::vector<ScanResult> parts;
  std::size_t max_locations = 1000;
  for (auto& pipeline : pipelines_) parts.push_back(pipeline->finish());
  ScanResult merged = merge_results(std::move(parts), max_locations);
  merged.not_scanned.insert(merged.not_scanned.end(), not_scanned_.begin(), not_scanned_.end());
  not_scanned_.clear();
  return merged;
}

ScanResult merge_results(std::vector<ScanResult> parts, std::size_t max_locations_per_exposure) {
  ScanResult merged;
  std::map<std::string, std::size_t> by_fingerprint;
  for (ScanResult& part : parts) {
    merged.blobs += part.blobs;
    merged.bytes += part.bytes;
    merged.binary_blobs += part.binary_blobs;
    merged.suppressed += part.suppressed;
    merged.baseline_matches += part.baseline_matches;
    for (NotScanned& entry : part.not_scanned) merged.not_scanned.push_back(std::move(entry));
    for (core::Exposure& exposure : part.exposures) {
      auto [entry, inserted] = by_fingerprint.try_emplace(exposure.fingerprint, merged.exposures.size());
      if (inserted) {
        merged.exposures.push_back(std::move(exposure));
        continue;
      }
      core::Exposure& known = merged.exposures[entry->second];
      if (rule_rank(exposure) > rule_rank(known)) {
        // The worker that saw the more specific rule names the exposure (see rule_rank).
        exposure.locations.swap(known.locations);
        std::swap(known, exposure);
      }
      known.checksum_valid = known.checksum_valid || exposure.checksum_valid;
      if (known.paired_fingerprint.empty()) known.paired_fingerprint = exposure.paired_fingerprint;
      if (known.verification.empty()) known.verification = exposure.verification;
      for (core::ExposureLocation& location : exposure.locations) {
        if (known.locations.size() >= max_locations_per_exposure) break;
        known.locations.push_back(std::move(location));
      }
    }
  }
  for (core::Exposure& exposure : merged.exposures) {
    std::sort(exposure.locations.begin(), exposure.locations.end(),
              [](const core::ExposureLocation& a, const core::ExposureLocation& b) {
                return std::tie(a.path, a.line, a.column, a.commit) < std::tie(b.path, b.line, b.column, b.commit);
              });
  }
  std::sort(merged.exposures.begin(), merged.exposures.end(), [](const core::Exposure& a, const core::Exposure& b) {
    const core::ExposureLocation& x = a.locations.front();
    const core::ExposureLocation& y = b.locations.front();
    return std::tie(x.path, x.line, x.column, a.rule_id) < std::tie(y.path, y.line, y.column, b.rule_id);
  });
  std::sort(merged.not_scanned.begin(), merged.not_scanned.end(),
            [](const NotScanned& a, const NotScanned& b) { return a.path < b.path; });
  return merged;
}

}  // namespace keyward::secrets
