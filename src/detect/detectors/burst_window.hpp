#pragma once

// A sliding time window per identity that finds bursts: at least `threshold` distinct keys (secret
// names, API actions, event ids) within `window_seconds`. Once a burst opens it collects the
// identity's matching events until its window ends, and add() or drain() hands it back once.

#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/event.hpp"
#include "core/model.hpp"

namespace keyward::detect::aws {

struct Burst {
  std::string identity_id;
  std::string credential_id;            // the first long-lived access key seen in the burst
  core::UnixTime start = 0;             // time of the earliest event in the burst
  core::UnixTime end = 0;               // time of the latest event in the burst
  std::vector<core::Evidence> evidence; // the first BurstWindow::kMaxEvidence events
  long long event_count = 0;
  std::vector<std::string> sample_keys; // the first BurstWindow::kMaxSampleKeys distinct keys
  long long distinct_keys = 0;          // counted up to BurstWindow::kMaxCountedKeys
  // The actor as the first event of the burst logged it, for containment commands.
  std::string identity_type;
  std::string user_name;
  std::string access_key_id;

  // An event that carries only the actor fields above, for the helpers that take an event. Its
  // string views point into this burst.
  core::Event actor_event() const;
};

// Not thread-safe. Memory per identity: at most `threshold` pending events before a burst opens,
// then kMaxEvidence events and kMaxCountedKeys keys for the open burst. Past kMaxIdentities
// identities, idle ones are dropped.
class BurstWindow {
 public:
  static constexpr size_t kMaxEvidence = 20;
  static constexpr size_t kMaxSampleKeys = 10;
  static constexpr size_t kMaxCountedKeys = 10000;
  static constexpr size_t kMaxIdentities = 20000;

  BurstWindow(core::UnixTime window_seconds, size_t threshold) : window_(window_seconds), threshold_(threshold) {}

  // Records one matching event with its keys. `describe` returns the evidence text; it is called
  // only when the event is kept as evidence, because most matching events are not. `force` opens a
  // burst at once (one call that is a burst on its own). Bursts of this identity whose window ended
  // before the event are appended to `closed`.
  void add(const core::Event& event, const std::vector<std::string>& keys,
           const std::function<std::string()>& describe, std::vector<Burst>& closed, bool force = false);

  // Appends every open burst not handed back yet. The bursts stay open without being handed back
  // again, so events later in the same window do not raise a second alert.
  void drain(std::vector<Burst>& out);

 private:
  struct Pending {
    core::UnixTime time = 0;
    core::Evidence evidence;
    std::vector<std::string> keys;
    std::string credential_id;
    std::string identity_type;
    std::string user_name;
    std::string access_key_id;
  };
  struct IdentityState {
    std::deque<Pending> pending;  // matching events in the window, before a burst opens
    std::unordered_map<std::string, int> pending_keys;
    bool burst_open = false;
    bool burst_handed_back = false;
    Burst burst;
    std::unordered_set<std::string> burst_keys;
    core::UnixTime last_time = 0;
  };

  void open_burst(const std::string& identity_id, IdentityState& state);
  void add_to_burst(IdentityState& state, Pending event);
  void evict_pending(IdentityState& state, core::UnixTime now);
  void limit_identities();

  core::UnixTime window_;
  size_t threshold_;
  core::UnixTime newest_ = 0;
  std::unordered_map<std::string, IdentityState> identities_;
};

// Builds the alert for a burst: actor, credential, time of the last event, and the capped evidence
// list with a closing entry that counts the events left out. The dedupe key is the identity and
// the burst's first event time, so re-ingesting the same events yields the same key.
core::Alert make_burst_alert(std::string_view detector, std::string_view title, core::Severity severity, int score,
                             const Burst& burst);

}  // namespace keyward::detect::aws
