// credential.risk_accumulation: several weak anomalies from different detectors on one credential
// within 24 hours. Each low or medium alert alone is often benign (a new client version, a new
// region), but a thief's first day with a key tends to trip several at once: new network, new
// country, new client, a first sensitive call. This detector reads the alerts the others raise
// (alert_observer.hpp) and raises one high alert listing them.
//
// Each weak alert is stored per credential (entity "@risk:<platform>:<identity>:<credential>",
// dimension "weak_alert", value the detector id, last_seen the alert time), so the 24 hours span
// ingest runs.

#include <fmt/format.h>

#include <map>

#include "detect/alert_observer.hpp"
#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "credential.risk_accumulation";
constexpr std::string_view kTitle = "Several anomalies on one credential within 24 hours";
const std::string kDimension = "weak_alert";
constexpr core::UnixTime kWindowSeconds = 24 * 3600;
constexpr std::size_t kMinDetectors = 3;

// Detector id -> title of every registered detector, read once. Built lazily because
// make_detectors() constructs this detector too.
const std::map<std::string, std::string>& detector_titles() {
  static const std::map<std::string, std::string> titles = [] {
    std::map<std::string, std::string> list;
    for (const auto& detector : make_detectors()) list.emplace(detector->id(), detector->title());
    return list;
  }();
  return titles;
}

class RiskAccumulation final : public Detector, public AlertObserver {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "Three or more different detectors raise low or medium alerts on the same credential within 24 hours; "
           "together they are stronger evidence of misuse than each alone.";
  }

  void on_event(const core::Event& /*event*/, DetectContext& /*ctx*/) override {}

  void on_alert(const core::Alert& alert, const core::Event* event, DetectContext& ctx) override {
    if (alert.severity != core::Severity::low && alert.severity != core::Severity::medium) return;
    if (alert.identity.id.empty()) return;
    const std::string entity =
        fmt::format("@risk:{}:{}:{}", alert.identity.platform, alert.identity.id, alert.credential_id);
    ctx.observe(entity, kDimension, alert.detector, alert.time);

    // One lookup per registered detector, only when a weak alert arrives.
    std::vector<std::string> recent;
    for (const auto& [detector, title] : detector_titles()) {
      if (detector == kId) continue;
      auto seen = ctx.lookup(entity, kDimension, detector);
      if (!seen || seen->last_seen > alert.time || alert.time - seen->last_seen > kWindowSeconds) continue;
      recent.push_back(fmt::format("{} ({}, last at {})", title, detector, core::format_time(seen->last_seen)));
    }
    if (recent.size() < kMinDetectors) return;

    core::Alert risk;
    risk.detector = std::string(kId);
    risk.title = std::string(kTitle);
    risk.severity = core::Severity::high;
    risk.score = 80;
    risk.identity = alert.identity;
    risk.credential_id = alert.credential_id;
    risk.time = alert.time;
    std::string description = fmt::format(
        "{} detectors raised low or medium alerts on {}{} within 24 hours: {}. Each is weak alone; together they "
        "match a credential in new hands",
        recent.size(), alert.identity.id,
        alert.credential_id.empty() ? std::string() : fmt::format(" (credential {})", alert.credential_id),
        baseline::join_values(recent, 10));
    if (event != nullptr) {
      risk.evidence.push_back(make_evidence(*event, std::move(description)));
    } else {
      risk.evidence.push_back(core::Evidence{std::move(description), {}, alert.time});
    }
    for (const core::Evidence& evidence : alert.evidence) risk.evidence.push_back(evidence);
    risk.remediation =
        event != nullptr
            ? fmt::format("Review the listed alerts together with the owner. If the activity is not theirs, contain the "
                          "credential: {}",
                          containment_command(*event))
            : "Review the listed alerts together with the owner. If the activity is not theirs, disable the credential.";
    risk.dedupe_key = fmt::format("{}|{}|{}", alert.identity.id, alert.credential_id, core::format_date(alert.time));
    ctx.raise(std::move(risk));
  }
};

KEYWARD_REGISTER_DETECTOR(RiskAccumulation);

}  // namespace
}  // namespace keyward::detect
