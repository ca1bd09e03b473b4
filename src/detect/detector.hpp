#pragma once

// A detector reads activity events one at a time and raises alerts. Each detector is one file
// under detect/detectors/ with its examples in detect/detectors/testdata/<detector id>/, and
// registers itself with KEYWARD_REGISTER_DETECTOR, so adding one touches no other file.

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "core/model.hpp"
#include "enrich/ip_address.hpp"
#include "store/store.hpp"

namespace keyward::detect {

// An address range the organization declared in keyward.yaml (detection.own_networks or
// detection.ci_networks), with the label shown in alerts.
struct DeclaredNetwork {
  enrich::IpAddress first;  // network address
  int prefix_length = 0;    // bits of `first` that must match
  std::string cidr;         // as written, for messages
  std::string label;        // "office VPN", "GitHub Actions", ...

  bool contains(const enrich::IpAddress& address) const;
};

struct DetectOptions {
  int dormant_days = 90;         // a credential unused this long and then used again alerts
  int learning_days = 7;         // novelty detectors stay quiet for an entity's first days
  int burst_window_seconds = 600;  // window for enumeration, AccessDenied and secret-read bursts
  // Events from these ranges get network class "own" (or "ci") before detectors run, and the
  // engine drops network-novelty alerts (new ASN, new country) for them.
  std::vector<DeclaredNetwork> own_networks;
  std::vector<DeclaredNetwork> ci_networks;
  // After an identity gets a new credential (a rotation seen in the logs), the engine drops its
  // novelty alerts for this many hours: the new key's first calls often come from new places.
  int change_window_hours = 24;
  // Detector ids switched off in keyward.yaml; the engine neither runs them nor keeps their alerts.
  std::set<std::string, std::less<>> disabled_detectors;
};

// Services the engine offers detectors besides the event: alerts and baselines. Owned by the engine.
class DetectContext {
 public:
  virtual ~DetectContext() = default;
  // Raises an alert. The engine fills the identity name and deduplicates on (detector, dedupe_key).
  virtual void raise(core::Alert alert) = 0;
  // Records that `entity` showed `value` for `dimension` at `time`, and returns what was stored
  // before this call (nullopt: the value is new for this entity).
  virtual std::optional<store::BaselineEntry> observe(const std::string& entity, const std::string& dimension,
                                                      const std::string& value, core::UnixTime time) = 0;
  // Returns the stored entry without recording anything.
  virtual std::optional<store::BaselineEntry> lookup(const std::string& entity, const std::string& dimension,
                                                     const std::string& value) = 0;
  virtual const DetectOptions& options() const = 0;
  // The inventory record of an identity as stored before this run, or nullptr when the inventory
  // does not list it. Read from the store once per (platform, id) and cached for the run.
  virtual const core::Identity* find_identity(std::string_view platform, const std::string& id) = 0;
  // Identities whose id, name or credential id is `query` (for example an owner's e-mail, to
  // find whether that person has left), read once per query and cached for the run.
  virtual const std::vector<core::Identity>& find_identities(const std::string& query) = 0;
};

class Detector {
 public:
  virtual ~Detector() = default;
  virtual std::string_view id() const = 0;  // stable, e.g. "aws.iam.access_key_created_for_other_user"
  virtual std::string_view title() const = 0;
  // One or two sentences for `keyward rules list` and SARIF: what the detector looks for and why
  // it matters.
  virtual std::string_view description() const { return {}; }
  // Platforms whose events the engine passes to on_event ("aws", "gcp", "okta", ...). Empty: all.
  virtual std::vector<std::string_view> platforms() const { return {}; }
  virtual void on_event(const core::Event& event, DetectContext& ctx) = 0;
  // Called at the end of each input: detectors with time windows raise what is pending.
  virtual void finish(DetectContext& /*ctx*/) {}
};

using DetectorFactory = std::unique_ptr<Detector> (*)();

// Records a detector factory at static initialization; use KEYWARD_REGISTER_DETECTOR.
struct DetectorRegistration {
  explicit DetectorRegistration(DetectorFactory factory);
};

// Creates one instance of every registered detector, ordered by id.
std::vector<std::unique_ptr<Detector>> make_detectors();

// True when `detector` reads events of `platform`.
bool applies_to(const Detector& detector, std::string_view platform);

}  // namespace keyward::detect

// Registers a detector class with a default constructor. Use once, at namespace scope, in the
// detector's own file.
#define KEYWARD_REGISTER_DETECTOR(Type)                                                            \
  static const ::keyward::detect::DetectorRegistration keyward_detector_registration_##Type(       \
      []() -> std::unique_ptr<::keyward::detect::Detector> { return std::make_unique<Type>(); })
