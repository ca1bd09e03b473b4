#pragma once

// IAM privilege-escalation permission sets. Numbers 1 to 21 are the sets that Rhino Security
// Labs published ("AWS IAM Privilege Escalation - Methods and Mitigation", Spencer Gietzen, 2018)
// and that BishopFox iam-vulnerable deploys as scenarios privesc1 to privesc21. The unnumbered
// sets (number 0) are the later iam-vulnerable scenarios: SageMaker, CodeBuild, SSM, EC2
// Instance Connect and CloudFormation stack updates. Each set lists the actions that together
// let a principal gain permissions it was not given, and which resource each action must reach.

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "posture/policy/evaluator.hpp"

namespace keyward::posture::policy {

// The resource an action of a set must be allowed on for the set to escalate.
enum class Target {
  any,               // the resource does not decide (ec2:RunInstances), checked on kAnyResource
  own_policy,        // a customer managed policy attached to the principal or its groups
  other_user,        // an IAM user other than the principal (taking over its credentials)
  user,              // any IAM user, the principal included
  own_group,         // a group the principal belongs to
  other_group,       // a group the principal does not belong to yet
  controlled_role,   // the principal itself when it is a role, or a role it can assume
  privileged_role,   // a role with more access than the principal (see AccountAnalysis)
  passable_role,     // a privileged role that the set's service may assume
};

struct EscalationPath {
  int number = 0;             // N in "privescN"; 0 for the unnumbered iam-vulnerable scenarios
  std::string_view name;      // "CreateAccessKey"
  std::vector<std::string_view> actions;  // every one is required
  std::vector<Target> targets;            // one per action
  // Service principal that receives the role of iam:PassRole ("ec2.amazonaws.com"), else empty.
  std::string_view service;
  // True when the principal rewrites IAM itself: a new policy version, access key or attached
  // policy. False when it has to borrow an existing role or function through another service.
  bool direct = false;
  std::string_view attack;    // what an attacker can do with the set, as a verb phrase
};

// The table: numbered sets in order, then the unnumbered ones.
const std::vector<EscalationPath>& escalation_paths();

// "privesc4 CreateAccessKey", or the bare name for an unnumbered set.
std::string path_label(const EscalationPath& path);

struct PathMatch {
  const EscalationPath* path = nullptr;
  // One evaluation per action of path->actions, in the same order; all are allowed.
  std::vector<Evaluation> evaluations;
  // The resource each action was allowed on: kAnyResource or the ARN of a target.
  std::vector<std::string> resources;
  // True when at least one action is allowed only by statements whose Condition could not be
  // decided.
  bool conditional = false;
};

// Lists the resources of `target` that the set could act on for the principal, besides
// kAnyResource. AccountAnalysis supplies them from the inventory.
using TargetResources = std::function<std::vector<std::string>(Target target, const EscalationPath& path)>;

// Returns every set whose actions are all allowed, each on kAnyResource or on one resource that
// `targets` lists for it, under `context` (conditions, boundary, iam:PassedToService).
std::vector<PathMatch> find_escalation_paths(std::span<const core::Grant> grants, const RequestContext& context,
                                             const TargetResources& targets);

// Returns every set whose actions are all allowed on kAnyResource and not explicitly denied,
// without a context. Resource-scoped grants (Resource "arn:aws:iam::*:policy/app-*") do not
// count, so a principal whose permissions are confined to some resources is not reported.
std::vector<PathMatch> find_escalation_paths(std::span<const core::Grant> grants);

}  // namespace keyward::posture::policy
