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

std::vector<BroadAccess> collect_allowed(std::span<const core::Grant> grants) {
  std::vector<BroadAccess> candidates;
  for (const auto& grant : grants) {
    if (grant.platform != "aws" || grant.effect != "Allow" || grant.actions.empty()) continue;
    if (!statement_matches_resource(grant, kAnyResource)) continue;
    bool conditional = has_condition(grant);
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

}  // namespace

std::vector<BroadAccess> find_broad_access(std::span<const core::Grant> grants) {
  std::vector<const core::Grant*> denies;
  for (const auto& grant : grants) {
    if (grant.platform == "aws" && grant.effect == "Deny" && !has_condition(grant) &&
        statement_matches_resource(grant, kAnyResource)) {
      denies.push_back(&grant);
    }
  }

  std::vector<BroadAccess> remaining;
  for (auto& access : collect_allowed(grants)) {
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

  auto everything = std::find_if(remaining.begin(), remaining.end(), [](const BroadAccess& access) {
    return access.scope == BroadScope::all_actions && !access.conditional;
  });
  if (everything != remaining.end()) return {*everything};
  return remaining;
}

bool is_full_administrator(std::span<const core::Grant> grants) {
  std::vector<BroadAccess> access = find_broad_access(grants);
  return access.size() == 1 && access.front().scope == BroadScope::all_actions &&
         access.front().partly_denied_by == nullptr && !access.front().conditional;
}

}  // namespace keyward::posture::policy
