// credential.impossible_travel: a credential that a person carries is used from two places that
// no traveller could connect in the time between the calls. Person-held credentials are GitHub
// personal access tokens, AWS access keys of IAM users who also have a console password, and
// credentials the inventory marks as created by a developer ("shadow"). Machine keys are left out, because workloads run in many
// regions at once; credential.concurrent_networks covers them.
//
// The effective distance is the great-circle distance minus both locations' accuracy radii
// (MaxMind's accuracy_radius is a 67% confidence circle). It alerts above kMinDistanceKm and
// kMinSpeedKmh. Country-level locations, VPN, Tor and cloud addresses are skipped and never
// become the reference point, because they say nothing about where the holder is.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "credential.impossible_travel";
constexpr std::string_view kTitle = "Person-held credential used from two places too far apart";
constexpr double kMinDistanceKm = 500;
constexpr double kMinSpeedKmh = 1000;
constexpr double kEarthRadiusKm = 6371.0088;
// DB-IP city data carries no accuracy radius. NOTE: 50 km is an estimate for city-level
// matches, not a published figure.
constexpr double kDefaultAccuracyKm = 50;
// One reference point per entity in memory; past this many entities the map starts over.
// NOTE: the reference point is not stored, so travel across two ingest runs is not compared.
constexpr std::size_t kMaxEntities = 100000;

struct Point {
  core::UnixTime time = 0;
  double latitude = 0, longitude = 0, accuracy_km = 0;
  std::string source_ip;
  std::string place;  // "Seattle, US"
};

double haversine_km(double latitude1, double longitude1, double latitude2, double longitude2) {
  const double to_radians = std::acos(-1.0) / 180.0;
  const double dlat = (latitude2 - latitude1) * to_radians;
  const double dlon = (longitude2 - longitude1) * to_radians;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(latitude1 * to_radians) * std::cos(latitude2 * to_radians) * std::sin(dlon / 2) *
                       std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

bool contains_case_insensitive(std::string_view text, std::string_view needle) {
  auto found = std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                           [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return found != text.end();
}

bool attribute_is_true(const nlohmann::json& attributes, const char* key) {
  auto found = attributes.find(key);
  if (found == attributes.end()) return false;
  return (found->is_boolean() && found->get<bool>()) || (found->is_string() && found->get<std::string>() == "true");
}

// True when the credential the event presented belongs to a person rather than a workload.
bool is_person_held(const core::Event& event, DetectContext& ctx) {
  if (credential_of(event).empty() && event.platform != "github") return false;
  if (event.platform == "github") return contains_case_insensitive(event.identity_type, "personal access token");
  const core::Identity* identity = ctx.find_identity(event.platform, event.identity_id);
  if (identity == nullptr) return false;
  if (attribute_is_true(identity->attributes, "shadow")) return true;
  // An IAM user with a console password is a person's account, and so is its access key.
  return event.platform == "aws" && event.identity_type == "IAMUser" &&
         attribute_is_true(identity->attributes, "password_enabled");
}

bool says_nothing_about_holder(std::string_view network_class) {
  return network_class == "vpn" || network_class == "tor" || network_class == "cloud";
}

class ImpossibleTravel final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A credential a person holds (personal access token, developer access key) is used from two cities more "
           "than 500 km apart, after subtracting location accuracy, faster than 1000 km/h.";
  }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    const core::EventEnrichment& e = event.enrichment;
    if (!e.ip_valid || !e.ip_public || e.city.empty() || (e.latitude == 0 && e.longitude == 0)) return;
    if (says_nothing_about_holder(e.network_class) || is_provider_internal(event)) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty() || !is_person_held(event, ctx)) return;

    Point current{event.time, e.latitude, e.longitude,
                  e.accuracy_radius_km >= 0 ? static_cast<double>(e.accuracy_radius_km) : kDefaultAccuracyKm,
                  std::string(event.source_ip), fmt::format("{}, {}", e.city, e.country)};
    if (points_.size() >= kMaxEntities && points_.count(entity) == 0) points_.clear();
    auto [found, inserted] = points_.try_emplace(entity, current);
    if (inserted) return;
    Point previous = found->second;
    if (event.time >= previous.time) found->second = current;  // keep the latest as the reference
    if (previous.source_ip == current.source_ip) return;

    const double distance = haversine_km(previous.latitude, previous.longitude, current.latitude, current.longitude);
    const double effective = std::max(0.0, distance - previous.accuracy_km - current.accuracy_km);
    const core::UnixTime seconds = std::max<core::UnixTime>(1, std::llabs(event.time - previous.time));
    const double speed = effective / (static_cast<double>(seconds) / 3600.0);
    if (effective <= kMinDistanceKm || speed <= kMinSpeedKmh) return;

    std::string description = fmt::format(
        "{} called {} from {} ({}) at {}, {} minute(s) apart from a call from {} ({}) at {}: {:.0f} km apart, {:.0f} km "
        "after subtracting accuracy radii of {:.0f} and {:.0f} km, so {:.0f} km/h. Its normal location before was {}",
        baseline::describe_entity(event), action_of(event), current.place, current.source_ip,
        core::format_time(event.time), seconds / 60, previous.place, previous.source_ip,
        core::format_time(previous.time), distance, effective, previous.accuracy_km, current.accuracy_km, speed,
        previous.place);

    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, 55, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Ask the holder whether they used the credential from {} and {}. If not, someone else has a copy: {}",
        previous.place, current.place, containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, core::format_date(event.time));
    ctx.raise(std::move(alert));
  }

 private:
  std::unordered_map<std::string, Point> points_;
};

KEYWARD_REGISTER_DETECTOR(ImpossibleTravel);

}  // namespace
}  // namespace keyward::detect
