#include "posture/policy/broad_access.hpp"

#include <algorithm>

#include "posture/policy/evaluator.hpp"
#include "posture/policy/wildcard.hpp"

namespace keyward::posture::policy {
namespace {

bool only_stars(std::string_view text) {
  return !text.empty() && text.find_first_not_of('*') == std::string_view::npos;
}

// Returns "<service>:*" in lower case for a pattern naming every action of one service, else "".
std::string service_wildcard(std::string_view pattern) {
  std::size_t colon = pattern.find(':');
  if (colon == 0 || colon == std::string_view::npos) return {};
  if (!only_stars(pattern.substr(colon + 1))) return {};
  std::string service;
  for (char c : pattern.substr(0, colon)) {
    char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    bool name_char = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '-';
    if (!name_char) return {};  // "i*m:*" spans several services
    service.push_back(lower);
  }
  return service + ":*";
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += ", ";
    text += item;
  }
  return text;
}

bool any_matches(const std::vector<std::string>& patterns, std::string_view action) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& pattern) { return action_matches(pattern, action); });
}

bool any_overlaps(const std::vector<std::string>& patterns, std::string_view action) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& pattern) {
    return action_patterns_overlap(pattern, action);
  });
}

// Whether the Deny removes every action of `access`. A Deny with NotAction L denies everything
// outside L, so it covers a wildcard only when no pattern in L overlaps it.
bool deny_covers(const core::Grant& deny, const BroadAccess& access) {
  if (access.scope == BroadScope::all_but_listed) {
    return !deny.not_action && std::any_of(deny.actions.begin(), deny.actions.end(),
                                           [](const std::string& p) { return only_stars(p); });
  }
  if (deny.not_action) return !any_overlaps(deny.actions, access.pattern);
  return any_matches(deny.actions, access.pattern);
}

bool deny_overlaps(const core::Grant& deny, const BroadAccess& access) {
  if (access.scope == BroadScope::all_but_listed) {
    if (deny.not_action) return true;
    const std::vector<std::string>& excluded = access.granted_by->actions;
    // The Deny matters unless every action it names is already excluded by the NotAction grant.
    return std::any_of(deny.actions.begin(), deny.actions.end(),
                       [&](const std::string& p) { return !any_matches(excluded, p); });
  }
  if (deny.not_action) return !any_matches(deny.actions, access.pattern);
  return any_overlaps(deny.actions, access.pattern);
}

void add_candidate(std::vector<BroadAccess>& candidates, BroadAccess access) {
  for (auto& existing : candidates) {
    if (existing.scope != access.scope || existing.pattern != access.pattern) continue;
    if (std::find(existing.granting.begin(), existing.granting.end(), access.granted_by) == existing.granting.end()) {
      existing.granting.push_back(access.granted_by);
    }
    if (existing.conditional && !access.conditional) {
      existing.granted_by = access.granted_by;
      existing.conditional = false;
    }
    return;
  }
  access.granting.push_back(access.granted_by);
  candidates.push_back(std::move(access));
}

// Decides a statement's Condition for a wildcard; the first action pattern stands for the
// actions, which matters only for keys that depend on the service (aws:RequestedRegion).
ConditionResult decide_condition(const core::Grant& grant, const RequestContext& context) {
  std::string_view action = grant.not_action || grant.actions.empty() ? "*" : std::string_view(grant.actions.front());
  return evaluate_condition(grant.condition, grant.effect == "Deny", action, context).result;
}

std::vector<BroadAccess> collect_allowed(std::span<const core::Grant> grants, bool skip_boundary_rows,
                                         const RequestContext& context) {
  std::vector<BroadAccess> candidates;
  for (const auto& grant : grants) {
    if (grant.platform != "aws" || grant.effect != "Allow" || grant.actions.empty()) continue;
    if (skip_boundary_rows && grant.via == kBoundaryVia) continue;
    if (!statement_matches_resource(grant, kAnyResource)) continue;
    ConditionResult condition = decide_condition(grant, context);
    if (condition == ConditionResult::not_met) continue;
    bool conditional = condition == ConditionResult::unknown;
    if (grant.not_action) {
      add_candidate(candidates, {BroadScope::all_but_listed, join(grant.actions), &grant, {}, nullptr, conditional});
      continue;
    }
    for (const auto& pattern : grant.actions) {
      if (only_stars(pattern)) {
        add_candidate(candidates, {BroadScope::all_actions, "*", &grant, {}, nullptr, conditional});
      } else if (std::string service = service_wildcard(pattern); !service.empty()) {
        add_candidate(candidates, {BroadScope::service_actions, service, &grant, {}, nullptr, conditional});
      }
    }
  }
  return candidates;
}

// Applies the Deny statements of one policy set to the broad access it allows.
std::vector<BroadAccess> remove_denied(std::span<const core::Grant> grants, bool skip_boundary_rows,
                                       const RequestContext& context) {
  std::vector<const core::Grant*> denies;
  for (const auto& grant : grants) {
    if (grant.platform != "aws" || grant.effect != "Deny") continue;
    if (skip_boundary_rows && grant.via == kBoundaryVia) continue;
    if (!statement_matches_resource(grant, kAnyResource)) continue;
    if (decide_condition(grant, context) != ConditionResult::met) continue;
    denies.push_back(&grant);
  }

  std::vector<BroadAccess> remaining;
  for (auto& access : collect_allowed(grants, skip_boundary_rows, context)) {
    bool removed = false;
    for (const core::Grant* deny : denies) {
      if (deny_covers(*deny, access)) {
        removed = true;
        break;
      }
      if (access.partly_denied_by == nullptr && deny_overlaps(*deny, access)) access.partly_denied_by = deny;
    }
    if (!removed) remaining.push_back(std::move(access));
  }
  return remaining;
}

// Whether the boundary access `cap` contains every action of `access`.
bool boundary_contains(const BroadAccess& cap, const BroadAccess& access) {
  if (cap.scope == BroadScope::all_actions) return cap.partly_denied_by == nullptr;
  return cap.scope == BroadScope::service_actions && access.scope == BroadScope::service_actions &&
         cap.pattern == access.pattern;
}

// Intersects the identity's broad access with what the permissions boundary allows: an access
// the boundary contains stays, Action "*" under a boundary of service wildcards becomes those
// wildcards, and anything else is dropped because the boundary allows only some of it.
std::vector<BroadAccess> apply_boundary(std::vector<BroadAccess> access, const RequestContext& context) {
  RequestContext inner = context;
  inner.boundary = nullptr;
  std::vector<BroadAccess> caps = remove_denied(*context.boundary, false, inner);
  std::vector<BroadAccess> kept;
  for (auto& item : access) {
    bool contained = std::any_of(caps.begin(), caps.end(), [&](const BroadAccess& cap) { return boundary_contains(cap, item); });
    if (contained) {
      kept.push_back(std::move(item));
      continue;
    }
    if (item.scope != BroadScope::all_actions) continue;
    for (const auto& cap : caps) {
      if (cap.scope != BroadScope::service_actions) continue;
      BroadAccess narrowed = item;
      narrowed.scope = BroadScope::service_actions;
      narrowed.pattern = cap.pattern;
      kept.push_back(std::move(narrowed));
    }
  }
  return kept;
}

}  // namespace

std::vector<BroadAccess> find_broad_access(std::span<const core::Grant> grants, const RequestContext& context) {
  std::vector<BroadAccess> remaining = remove_denied(grants, true, context);
  if (context.boundary != nullptr) remaining = apply_boundary(std::move(remaining), context);

  auto everything = std::find_if(remaining.begin(), remaining.end(), [](const BroadAccess& access) {
    return access.scope == BroadScope::all_actions && !access.conditional;
  });
  if (everything != remaining.end()) return {*everything};
  return remaining;
}

std::vector<BroadAccess> find_broad_access(std::span<const core::Grant> grants) {
  return find_broad_access(grants, RequestContext{});
}

bool is_full_administrator(std::span<const core::Grant> grants, const RequestContext& context) {
  std::vector<BroadAccess> access = find_broad_access(grants, context);
  return access.size() == 1 && access.front().scope == BroadScope::all_actions &&
         access.front().partly_denied_by == nullptr && !access.front().conditional;
}

bool is_full_administrator(std::span<const core::Grant> grants) {
  return is_full_administrator(grants, RequestContext{});
}

}  // namespace keyward::posture::policy
