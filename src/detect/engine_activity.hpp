#pragma once

// Summarizes events into daily activity rows (core::ActivitySummary) so the store keeps counts
// instead of every event.

#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.hpp"
#include "core/model.hpp"

namespace keyward::detect {

// Not thread-safe. Memory is bounded by kMaxRows per flush: past it, new rows lose their network
// and user-agent family ("other"), and past twice that also their action and error code, so the
// row count then grows only with identities, credentials and days.
class ActivitySummarizer {
 public:
  static constexpr size_t kMaxRows = 200000;

  // Counts the event. Events without an identity are not summarized.
  void add(const core::Event& event);
  // Appends the rows gathered since the last flush and starts over.
  void flush_into(std::vector<core::ActivitySummary>& out);
  void discard() { rows_.clear(); }

 private:
  std::unordered_map<std::string, core::ActivitySummary> rows_;
  std::string key_;  // reused to avoid an allocation per event
};

// The network an event came from: "AS<number>" once enriched with an ASN, else the source IP
// text as logged (at most 64 bytes).
std::string network_of(const core::Event& event);

// The user-agent family from enrichment, else the product token of the user agent
// ("aws-cli" for "aws-cli/2.15.0 Python/3.11"), at most 40 bytes.
std::string user_agent_family_of(const core::Event& event);

}  // namespace keyward::detect
