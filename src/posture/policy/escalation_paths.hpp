#pragma once

// The 21 IAM privilege-escalation permission sets that Rhino Security Labs published ("AWS IAM
// Privilege Escalation - Methods and Mitigation", Spencer Gietzen, 2018) and that BishopFox
// iam-vulnerable deploys as scenarios privesc1 to privesc21. Each set lists the actions that
// together let a principal gain permissions it was not given.

#include <span>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "posture/policy/evaluator.hpp"

namespace keyward::posture::policy {

struct EscalationPath {
  int number = 0;             // N in "privescN"
  std::string_view name;      // "CreateAccessKey"
  std::vector<std::string_view> actions;  // every one is required
  // True when the principal rewrites IAM itself: a new policy version, access key or attached
  // policy. False when it has to borrow an existing role or function through another service.
  bool direct = false;
  std::string_view attack;    // what an attacker can do with the set, as a verb phrase
};

// The table, ordered by number.
const std::vector<EscalationPath>& escalation_paths();

struct PathMatch {
  const EscalationPath* path = nullptr;
  // One evaluation per action of path->actions, in the same order; all are allowed.
  std::vector<Evaluation> evaluations;
  // True when at least one action is allowed only by statements that carry a Condition.
  bool conditional = false;
};

// Returns every set whose actions are all allowed on any resource (policy::kAnyResource) and
// not explicitly denied. Resource-scoped grants (Resource "arn:aws:iam::*:policy/app-*") do not
// count, so a principal whose permissions are confined to some resources is not reported.
std::vector<PathMatch> find_escalation_paths(std::span<const core::Grant> grants);

}  // namespace keyward::posture::policy
