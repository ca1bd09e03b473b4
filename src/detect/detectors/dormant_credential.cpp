// credential.dormant_reuse: an access key or identity whose previous activity is more than
// DetectOptions::dormant_days old is used again. Forgotten keys keep working until someone
// deactivates them, and a leaked old key is exactly that: unused by its owner, used by someone
// else.
//
// This detector is the only writer of the shared "activity"/"any" baseline (see
// entity_baseline.hpp): it reads the previous last activity and records the current event in
// one observe() call.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "credential.dormant_reuse";
constexpr std::string_view kTitle = "Dormant credential used again";

class DormantCredential final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A credential or identity unused for longer than the dormancy threshold is used again; a leaked old key is unused by its owner and used by someone else.";
  }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;
    // Every event counts as activity, including AWS services acting on the principal's behalf and
    // human sessions. Only the alert skips them.
    const auto before = ctx.observe(entity, baseline::kActivityDimension, baseline::kActivityValue, event.time);
    if (!before || is_provider_internal(event) || is_human_actor(event)) return;

    // NOTE: events are read in input order. When an input lists older events after newer ones,
    // the gap is measured from the newest activity seen so far, which can only shorten it.
    const core::UnixTime gap = event.time - before->last_seen;
    const core::UnixTime limit = static_cast<core::UnixTime>(ctx.options().dormant_days) * core::kSecondsPerDay;
    if (gap <= limit) return;

    const long long idle_days = gap / core::kSecondsPerDay;
    std::string description = fmt::format(
        "{} called {} from {} after {} days without activity (last activity {}, first {}, {} earlier events; the "
        "dormancy threshold is {} days)",
        baseline::describe_entity(event), action_of(event), event.source_ip, idle_days,
        core::format_time(before->last_seen), core::format_date(before->first_seen), before->count,
        ctx.options().dormant_days);

    const bool long_lived_key = !credential_of(event).empty();
    core::Alert alert = make_alert(kId, kTitle, long_lived_key ? core::Severity::high : core::Severity::medium,
                                        long_lived_key ? 70 : 55, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Confirm with the owner that the credential was brought back on purpose. If not, contain it: {}",
        containment_command(event));
    // The end of the dormant stretch identifies this reuse, so re-ingesting the same logs or
    // later calls of the same stretch do not raise again.
    alert.dedupe_key = fmt::format("{}|{}", entity, before->last_seen);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(DormantCredential);

}  // namespace
}  // namespace keyward::detect
