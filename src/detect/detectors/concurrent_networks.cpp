// credential.concurrent_networks: one long-lived credential is used within 30 minutes from both
// sides. The workload side is a cloud platform or a network the organization declared as its own
// or as CI egress. The outside side is a residential or mobile ISP, a rented hosting server, a
// VPN exit or Tor. Workloads legitimately run in many regions at once, so classic
// impossible travel is noise for machine keys; a copy of the key in someone else's hands shows
// up as this overlap instead.
//
// The last use from each side is stored per entity (dimension "network_side", values "workload"
// and "outside"), so the window spans ingest runs. Unclassified networks count on neither side:
// data/cloud-asns.csv lists only some ISPs, and a hybrid workload in an unlisted data centre is
// common. Each credential alerts once per outside network (ASN).

#include <fmt/format.h>

#include <cstdint>
#include <unordered_map>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "credential.concurrent_networks";
constexpr std::string_view kTitle = "Credential used at once from workload and outside networks";
const std::string kDimension = "network_side";
const std::string kWorkload = "workload";
const std::string kOutside = "outside";
constexpr core::UnixTime kWindowSeconds = 30 * 60;
// Labels of the last network per side, for the alert text only. Past this many entities the map
// starts over and an alert then names the other side by class alone.
constexpr std::size_t kMaxEntities = 100000;

// "workload", "outside", or "" for classes that place the caller nowhere.
const std::string& side_of(std::string_view network_class) {
  static const std::string kNone;
  if (network_class == "cloud" || network_class == "own" || network_class == "ci") return kWorkload;
  if (network_class == "residential" || network_class == "mobile" || network_class == "hosting" ||
      network_class == "vpn" || network_class == "tor") {
    return kOutside;
  }
  return kNone;
}

// "159.65.10.20 (AS14061 DigitalOcean, LLC, hosting)".
std::string describe_source(const core::Event& event) {
  const core::EventEnrichment& e = event.enrichment;
  std::string text = std::string(event.source_ip);
  if (e.asn != 0) {
    text += fmt::format(" (AS{}", e.asn);
    if (!e.asn_org.empty()) text += " " + e.asn_org;
    text += fmt::format(", {})", e.network_class);
  } else {
    text += fmt::format(" ({})", e.network_class);
  }
  return text;
}

struct LastSources {
  std::string workload;
  std::string outside;
  std::uint32_t outside_asn = 0;  // 0 when unknown
};

class ConcurrentNetworks final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "One long-lived credential is used within 30 minutes from a cloud or declared own network and from a "
           "residential, mobile, hosting, VPN or Tor network: a copy of the key outside its workload.";
  }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    const core::EventEnrichment& enrichment = event.enrichment;
    if (!enrichment.ip_valid || !enrichment.ip_public) return;
    if (is_provider_internal(event) || is_human_actor(event) || credential_of(event).empty()) return;
    const std::string& side = side_of(enrichment.network_class);
    if (side.empty()) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;

    const std::string& other = side == kWorkload ? kOutside : kWorkload;
    const auto other_use = ctx.lookup(entity, kDimension, other);
    ctx.observe(entity, kDimension, side, event.time);
    if (sources_.size() >= kMaxEntities && sources_.count(entity) == 0) sources_.clear();
    LastSources& sources = sources_[entity];
    (side == kWorkload ? sources.workload : sources.outside) = describe_source(event);
    if (side == kOutside) sources.outside_asn = enrichment.asn;
    if (!other_use) return;
    const core::UnixTime gap = event.time >= other_use->last_seen ? event.time - other_use->last_seen
                                                                   : other_use->last_seen - event.time;
    if (gap > kWindowSeconds) return;

    const std::string& other_source = side == kWorkload ? sources.outside : sources.workload;
    std::string description = fmt::format(
        "{} called {} from {} {} minute(s) after or before a call from {} (last {} use at {}); a workload key is "
        "normally used from one side only",
        baseline::describe_entity(event), action_of(event), describe_source(event), gap / 60,
        other_source.empty() ? fmt::format("a network of the {} side, recorded earlier", other) : other_source, other,
        core::format_time(other_use->last_seen));

    core::Alert alert = make_alert(kId, kTitle, core::Severity::high, 75, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Confirm with the owner whether anyone runs this key outside its workload; if the outside network is theirs, "
        "declare it under detection.own_networks. If not, rotate the key after containing it: {}",
        containment_command(event));
    // One alert per outside network: a key shared with a team's laptops overlaps every day from
    // the same ISP, while a stolen copy shows up from a network of its own. Without the outside
    // ASN (the other side was recorded by an earlier run), one alert per day.
    alert.dedupe_key = sources.outside_asn != 0 ? fmt::format("{}|AS{}", entity, sources.outside_asn)
                                                : fmt::format("{}|{}", entity, core::format_date(event.time));
    ctx.raise(std::move(alert));
  }

 private:
  std::unordered_map<std::string, LastSources> sources_;
};

KEYWARD_REGISTER_DETECTOR(ConcurrentNetworks);

}  // namespace
}  // namespace keyward::detect
