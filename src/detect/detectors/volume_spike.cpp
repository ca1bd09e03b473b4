// credential.volume_spike: a credential makes far more calls in one hour than its baseline for
// that hour of the week allows. A stolen key used to sweep data or resources runs at machine
// speed at an hour its workload is quiet. Learned per entity from stored counts (dimension
// "calls_by_hour_of_week", value 0-167 from Monday 00:00 UTC), so a run resumes the baseline
// where the last one stopped. The store keeps at most 168 slot rows and 41 peak rows per entity.
//
// An hour alerts only when all hold, after the learning period and at least one week of history:
// - at least kMinCalls calls, and at least 3 times the expected rate;
// - a Poisson upper tail P(X >= calls | rate) below kMaxTailProbability, where the rate is the
//   larger of the entity's mean for that hour of the week and its mean over all hours;
// - more calls than any earlier hour of the entity reached, rounded up to the next power of two
//   (dimension "hourly_peak"). Poisson underestimates bursty batch jobs, and a workload that
//   already ran 300 calls in one hour is not anomalous at 400.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "credential.volume_spike";
constexpr std::string_view kTitle = "Credential call volume far above its hourly baseline";
const std::string kSlotDimension = "calls_by_hour_of_week";
const std::string kPeakDimension = "hourly_peak";

constexpr long long kMinCalls = 50;
constexpr double kMinRate = 0.1;  // calls per hour assumed for slots never active
constexpr double kMaxTailProbability = 1e-6;
constexpr int kMaxPeakLevel = 40;  // 2^40 calls in one hour is beyond any log
constexpr core::UnixTime kSecondsPerHour = 3600;
constexpr long long kHoursPerWeek = 168;
// In-memory state is one Bucket per entity. Past this many entities the map starts over, so a
// spike that spans the reset is counted from the reset on.
constexpr std::size_t kMaxEntities = 100000;

constexpr std::string_view kWeekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// Hour of the week from Monday 00:00 UTC. 1970-01-01 was a Thursday (weekday 3).
long long hour_of_week(core::UnixTime time) {
  const long long days = time / core::kSecondsPerDay;
  const long long weekday = (days + 3) % 7;
  return weekday * 24 + (time % core::kSecondsPerDay) / kSecondsPerHour;
}

// Upper bound of P(X >= k) for X ~ Poisson(rate) when k + 1 > rate: the terms after pmf(k) shrink
// at least geometrically by rate / (k + 1).
double poisson_upper_tail_bound(long long k, double rate) {
  const double log_pmf = static_cast<double>(k) * std::log(rate) - rate - std::lgamma(static_cast<double>(k) + 1.0);
  const double ratio = rate / (static_cast<double>(k) + 1.0);
  return std::exp(log_pmf) / (1.0 - ratio);
}

int level_of(long long calls) {
  int level = 0;
  while (level < kMaxPeakLevel && (1LL << (level + 1)) <= calls) ++level;
  return level;
}

struct Bucket {
  long long hour = -1;         // hours since the epoch
  long long calls = 0;         // calls seen in this hour
  long long slot_before = 0;   // calls stored for this hour of the week before this hour began
  int peak_level_before = -2;  // -2: not read yet; -1: no earlier hour recorded
  bool alerted = false;
};

class VolumeSpike final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A credential makes far more calls in one hour than its hour-of-week baseline and any earlier hour (Poisson "
           "test with a minimum of 50 calls), as when a stolen key sweeps resources.";
  }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (is_provider_internal(event) || is_human_actor(event)) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;

    const long long hour = event.time / kSecondsPerHour;
    const auto slot = ctx.observe(entity, kSlotDimension, std::to_string(hour_of_week(event.time)), event.time);
    if (buckets_.size() >= kMaxEntities && buckets_.count(entity) == 0) buckets_.clear();
    Bucket& bucket = buckets_[entity];
    if (hour < bucket.hour) return;  // a late event of an earlier hour counts in the baseline only
    if (hour > bucket.hour) bucket = Bucket{hour, 0, slot ? slot->count : 0, -2, false};

    ++bucket.calls;
    if ((bucket.calls & (bucket.calls - 1)) == 0) {
      ctx.observe(entity, kPeakDimension, std::to_string(level_of(bucket.calls)), event.time);
    }
    if (bucket.alerted || bucket.calls < kMinCalls) return;
    check(event, ctx, entity, bucket);
  }

 private:
  void check(const core::Event& event, DetectContext& ctx, const std::string& entity, Bucket& bucket) {
    if (!baseline::learning_complete(ctx, entity, event.time)) return;
    const auto activity = ctx.lookup(entity, baseline::kActivityDimension, baseline::kActivityValue);
    if (!activity) return;
    const long long hours_elapsed = bucket.hour - activity->first_seen / kSecondsPerHour;
    if (hours_elapsed < kHoursPerWeek) return;

    const long long weeks = hours_elapsed / kHoursPerWeek;
    const double slot_mean = static_cast<double>(bucket.slot_before) / static_cast<double>(weeks);
    const double overall_mean =
        static_cast<double>(std::max(0LL, activity->count - bucket.calls)) / static_cast<double>(hours_elapsed);
    const double rate = std::max({slot_mean, overall_mean, kMinRate});
    if (static_cast<double>(bucket.calls) < 3 * rate) return;
    const double tail = poisson_upper_tail_bound(bucket.calls, rate);
    if (tail >= kMaxTailProbability) return;

    const core::UnixTime bucket_start = bucket.hour * kSecondsPerHour;
    if (bucket.peak_level_before == -2) bucket.peak_level_before = earlier_peak_level(ctx, entity, bucket_start);
    if (bucket.peak_level_before >= 0 && bucket.calls < (1LL << (bucket.peak_level_before + 1))) return;
    bucket.alerted = true;

    const long long slot_hour = hour_of_week(bucket_start);
    const std::string peak_text =
        bucket.peak_level_before < 0
            ? "no earlier hourly count is recorded"
            : fmt::format("no earlier hour reached {} calls", 1LL << (bucket.peak_level_before + 1));
    std::string description = fmt::format(
        "{} had made {} calls by {} in the hour from {} ({} {:02}:00 UTC); the alert is raised then, so later calls "
        "of that hour are not counted. Baseline: {:.1f} calls on average in that hour of the "
        "week over {} week(s) and {:.1f} calls per hour overall since {}; {}. The Poisson probability of this many calls "
        "is below {:.0e}. Last call in the count: {} from {}",
        baseline::describe_entity(event), bucket.calls, core::format_time(event.time), core::format_time(bucket_start),
        kWeekdays[slot_hour / 24],
        slot_hour % 24, slot_mean, weeks, overall_mean, core::format_date(activity->first_seen), peak_text,
        std::max(tail, 1e-300), action_of(event), event.source_ip);

    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, 55, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Find which actions made up the spike (`keyward show` lists daily activity per action) and confirm with the owner that a job explains it. "
        "If not, contain the credential: {}",
        containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, core::format_date(bucket_start));
    ctx.raise(std::move(alert));
  }

  // The highest level recorded by hours before `bucket_start`, or -1 when none is.
  static int earlier_peak_level(DetectContext& ctx, const std::string& entity, core::UnixTime bucket_start) {
    int peak = -1;
    for (int level = 0; level <= kMaxPeakLevel; ++level) {
      auto entry = ctx.lookup(entity, kPeakDimension, std::to_string(level));
      if (!entry) break;  // levels are recorded from 0 upwards, so the first gap ends them
      if (entry->first_seen < bucket_start) peak = level;
    }
    return peak;
  }

  std::unordered_map<std::string, Bucket> buckets_;
};

KEYWARD_REGISTER_DETECTOR(VolumeSpike);

}  // namespace
}  // namespace keyward::detect
