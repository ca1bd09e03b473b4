// salesforce.threat_detection.event: Salesforce Threat Detection (Real-Time Event Monitoring)
// reported an anomaly: ApiAnomalyEventStore, CredentialStuffingEventStore,
// ReportAnomalyEventStore or SessionHijackingEventStore. Salesforce scores each event from its
// own per-user model, which keyward cannot rebuild from the logs, so the event is passed through
// with a severity from its SCORE. Integration users are the usual subject of API anomalies.

#include <fmt/format.h>

#include <array>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "salesforce.threat_detection.event";
constexpr std::string_view kTitle = "Salesforce Threat Detection anomaly";

constexpr std::array<std::string_view, 4> kThreatEvents = {"ApiAnomalyEventStore", "CredentialStuffingEventStore",
                                                           "ReportAnomalyEventStore", "SessionHijackingEventStore"};

class ThreatDetectionEvent final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "Passes through Salesforce Threat Detection events (API, report, credential stuffing and session "
           "hijacking anomalies) with a severity from Salesforce's score.";
  }
  std::vector<std::string_view> platforms() const override { return {"salesforce"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    bool known = false;
    for (std::string_view name : kThreatEvents) known = known || event.event_name == name;
    if (!known) return;
    const nlohmann::json record = nlohmann::json::parse(event.raw_record, nullptr, false);
    double score = -1;
    std::string summary;
    if (record.is_object()) {
      auto found = record.find("SCORE");
      if (found != record.end() && found->is_number()) score = found->get<double>();
      if (found != record.end() && found->is_string()) score = std::atof(found->get<std::string>().c_str());
      auto text = record.find("SUMMARY");
      if (text != record.end() && text->is_string()) summary = text->get<std::string>();
    }
    // Salesforce scores from 0 to 100. Session hijacking and credential stuffing are high whatever
    // the score, because Salesforce reports them only once it is confident.
    const bool severe = score >= 80 || event.event_name == "SessionHijackingEventStore" ||
                        event.event_name == "CredentialStuffingEventStore";
    core::Alert alert = make_alert(kId, kTitle, severe ? core::Severity::high : core::Severity::medium, severe ? 75 : 50, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("Salesforce reported {} for {} from {} with score {}: {}", event.event_name,
                           baseline::printable(event.user_name.empty() ? std::string_view(event.identity_id) : event.user_name, 120),
                           event.source_ip, score < 0 ? std::string("not logged") : fmt::format("{:.1f}", score),
                           summary.empty() ? std::string("no summary") : baseline::printable(summary, 200))));
    alert.remediation = fmt::format(
        "Open the event under Setup > Threat Detection and check the user's recent API and login history. If the "
        "activity was not the user's or its integration's, freeze the user: {}",
        containment_command(event));
    alert.dedupe_key = event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(ThreatDetectionEvent);

}  // namespace
}  // namespace keyward::detect
