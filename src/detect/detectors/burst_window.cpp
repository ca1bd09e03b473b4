#include "detect/detectors/burst_window.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "detect/detectors/aws_event_helpers.hpp"

namespace keyward::detect::aws {

core::Event Burst::actor_event() const {
  core::Event event;
  event.identity_id = identity_id;
  event.identity_type = identity_type;
  event.user_name = user_name;
  event.access_key_id = access_key_id;
  event.time = end;
  return event;
}

void BurstWindow::add(const core::Event& event, const std::vector<std::string>& keys,
                      const std::function<std::string()>& describe, std::vector<Burst>& closed, bool force) {
  if (event.identity_id.empty() || (keys.empty() && !force)) return;
  newest_ = std::max(newest_, event.time);
  if (identities_.size() >= kMaxIdentities && identities_.find(event.identity_id) == identities_.end()) {
    limit_identities();
  }
  IdentityState& state = identities_[event.identity_id];
  state.last_time = std::max(state.last_time, event.time);

  if (state.burst_open && event.time > state.burst.start + window_) {
    if (!state.burst_handed_back) closed.push_back(std::move(state.burst));
    state.burst = Burst{};
    state.burst_keys.clear();
    state.burst_open = false;
    state.burst_handed_back = false;
  }
  auto pending_for = [&](bool with_evidence) {
    Pending pending{event.time, {}, keys, long_lived_key_of(event), std::string(event.identity_type),
                    std::string(event.user_name), std::string(event.access_key_id)};
    if (with_evidence) pending.evidence = make_evidence(event, describe());
    return pending;
  };
  if (state.burst_open) {
    add_to_burst(state, pending_for(state.burst.evidence.size() < kMaxEvidence));
    return;
  }

  evict_pending(state, event.time);
  // An event whose keys are all already pending adds nothing to the distinct count, so it is not
  // kept: this bounds the pending events by the threshold.
  bool adds_key = force;
  for (const auto& key : keys) adds_key = adds_key || state.pending_keys.find(key) == state.pending_keys.end();
  if (adds_key) {
    for (const auto& key : keys) ++state.pending_keys[key];
    state.pending.push_back(pending_for(true));
  }
  if (force || state.pending_keys.size() >= threshold_) open_burst(event.identity_id, state);
}

void BurstWindow::drain(std::vector<Burst>& out) {
  for (auto& [identity_id, state] : identities_) {
    if (!state.burst_open || state.burst_handed_back) continue;
    out.push_back(state.burst);
    state.burst_handed_back = true;
  }
}

void BurstWindow::open_burst(const std::string& identity_id, IdentityState& state) {
  state.burst = Burst{};
  state.burst.identity_id = identity_id;
  state.burst_keys.clear();
  state.burst_open = true;
  state.burst_handed_back = false;
  for (auto& pending : state.pending) add_to_burst(state, std::move(pending));
  state.pending.clear();
  state.pending_keys.clear();
}

void BurstWindow::add_to_burst(IdentityState& state, Pending event) {
  Burst& burst = state.burst;
  if (burst.event_count == 0) {
    burst.start = event.time;
    burst.end = event.time;
    burst.identity_type = std::move(event.identity_type);
    burst.user_name = std::move(event.user_name);
    burst.access_key_id = std::move(event.access_key_id);
  }
  burst.start = std::min(burst.start, event.time);
  burst.end = std::max(burst.end, event.time);
  if (burst.credential_id.empty()) burst.credential_id = event.credential_id;
  if (burst.evidence.size() < kMaxEvidence && !event.evidence.description.empty()) {
    burst.evidence.push_back(std::move(event.evidence));
  }
  ++burst.event_count;
  for (auto& key : event.keys) {
    if (state.burst_keys.size() >= kMaxCountedKeys || !state.burst_keys.insert(key).second) continue;
    ++burst.distinct_keys;
    if (burst.sample_keys.size() < kMaxSampleKeys) burst.sample_keys.push_back(key);
  }
}

void BurstWindow::evict_pending(IdentityState& state, core::UnixTime now) {
  while (!state.pending.empty() && state.pending.front().time < now - window_) {
    for (const auto& key : state.pending.front().keys) {
      auto found = state.pending_keys.find(key);
      if (found != state.pending_keys.end() && --found->second <= 0) state.pending_keys.erase(found);
    }
    state.pending.pop_front();
  }
}

void BurstWindow::limit_identities() {
  // First drop identities idle for a whole window: nothing pending for them can still count.
  std::erase_if(identities_, [&](const auto& entry) {
    return !entry.second.burst_open && entry.second.last_time < newest_ - window_;
  });
  if (identities_.size() < kMaxIdentities) return;
  // Then identities without an open burst, losing their pending events; then reported bursts.
  std::erase_if(identities_, [](const auto& entry) { return !entry.second.burst_open; });
  if (identities_.size() < kMaxIdentities) return;
  std::erase_if(identities_, [](const auto& entry) { return entry.second.burst_handed_back; });
}

core::Alert make_burst_alert(std::string_view detector, std::string_view title, core::Severity severity, int score,
                             const Burst& burst) {
  core::Alert alert;
  alert.detector = std::string(detector);
  alert.title = std::string(title);
  alert.severity = severity;
  alert.score = score;
  alert.identity.platform = "aws";
  alert.identity.id = burst.identity_id;
  alert.credential_id = burst.credential_id;
  alert.time = burst.end;
  alert.evidence = burst.evidence;
  const long long left_out = burst.event_count - static_cast<long long>(burst.evidence.size());
  if (left_out > 0) {
    core::Evidence note;
    note.description = fmt::format("{} more events of this burst, up to {}, are not listed", left_out,
                                   core::format_time(burst.end));
    alert.evidence.push_back(std::move(note));
  }
  alert.dedupe_key = fmt::format("{}|{}", burst.identity_id, core::format_time(burst.start));
  return alert;
}

}  // namespace keyward::detect::aws
