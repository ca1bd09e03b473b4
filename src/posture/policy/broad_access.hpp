#pragma once

// Detection of wildcard permissions a principal holds on every resource: every action ("*"),
// every action of one service ("iam:*"), or every action but a few (an Allow with NotAction).

#include <span>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "posture/policy/conditions.hpp"

namespace keyward::posture::policy {

enum class BroadScope {
  all_actions,      // Action "*"
  service_actions,  // Action "<service>:*"
  all_but_listed,   // NotAction [...]
};

struct BroadAccess {
  BroadScope scope = BroadScope::service_actions;
  // "*", the lower-case service wildcard ("iam:*"), or for all_but_listed the excluded patterns
  // joined with ", ".
  std::string pattern;
  const core::Grant* granted_by = nullptr;  // one granting statement, unconditional if any
  // Every Allow statement that grants this access, granted_by included.
  std::vector<const core::Grant*> granting;
  // An unconditional Deny on every resource that removes part of this access, or nullptr.
  const core::Grant* partly_denied_by = nullptr;
  // True when every statement granting it has a Condition that could not be decided.
  bool conditional = false;
};

// Lists the broad permissions the principal holds, after explicit Deny statements: a Deny that
// covers the whole wildcard removes it, a Deny that overlaps it is recorded in partly_denied_by.
// Conditions are decided as evaluate() decides them: an Allow whose Condition cannot hold does
// not count, and a Deny applies only when its Condition holds for every request. A permissions
// boundary in `context` keeps only what it also allows. When "*" remains, service wildcards and
// NotAction grants are not listed separately. Only rows whose platform is "aws" take part.
std::vector<BroadAccess> find_broad_access(std::span<const core::Grant> grants, const RequestContext& context);
std::vector<BroadAccess> find_broad_access(std::span<const core::Grant> grants);

// Returns true when the principal may perform every action on every resource: an Allow of "*"
// on all resources, with no undecided Condition, that no Deny on all resources narrows.
bool is_full_administrator(std::span<const core::Grant> grants, const RequestContext& context);
bool is_full_administrator(std::span<const core::Grant> grants);

}  // namespace keyward::posture::policy
