#pragma once

// Evaluation of identity-based IAM policy statements, as stored in core::Grant rows (one row per
// statement), for a single principal.
//
// This is the part of the AWS evaluation logic that identity policies decide: an explicit Deny
// wins over every Allow, and without a matching Allow the request is implicitly denied.
// NOTE: permissions boundaries, service control policies, session policies and resource-based
// policies are not evaluated, so a principal limited by one of those is reported as allowed.

#include <span>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace keyward::posture::policy {

// The resource to pass to evaluate() to test whether an action is allowed without a resource
// restriction, the way a statement with Resource "*" allows it.
inline constexpr std::string_view kAnyResource = "*";

enum class Decision { implicit_deny, allow, explicit_deny };

struct Evaluation {
  Decision decision = Decision::implicit_deny;
  // A matching Allow statement; one without a Condition is preferred. Set even when a Deny wins.
  const core::Grant* allowed_by = nullptr;
  // The Deny statement that decided, when decision is explicit_deny.
  const core::Grant* denied_by = nullptr;
  // A matching Deny that has a Condition. It did not decide, because conditions are not
  // evaluated, but callers may want to mention it.
  const core::Grant* conditional_deny = nullptr;
  // True when every matching Allow statement has a Condition.
  bool conditional = false;
  // Every matching Allow statement, in input order, so that a remediation can name them all.
  std::vector<const core::Grant*> allowing;

  bool allowed() const { return decision == Decision::allow; }
};

// Returns true for a resource pattern that matches every resource: "*", "arn:*", or an ARN
// pattern whose fields after the partition are all wildcards ("arn:aws:*:*:*:*").
bool is_unrestricted_resource(std::string_view pattern);

// Returns true when the statement's Action (or NotAction) list applies to `action`. A row with
// no actions, such as the placeholder for a managed policy the export did not include, applies
// to nothing.
bool statement_matches_action(const core::Grant& grant, std::string_view action);

// Returns true when the statement applies to `resource`, an ARN matched case-sensitively.
// For kAnyResource, an Allow applies when it is not limited to named resources: Resource
// contains an unrestricted pattern, or NotResource excludes only some. A Deny applies only when
// it covers every resource, because a Deny on some resources leaves the others allowed.
bool statement_matches_resource(const core::Grant& grant, std::string_view resource);

// Returns true when the statement carries a non-empty Condition block.
bool has_condition(const core::Grant& grant);

// Evaluates one request against all statements of one principal. `grants` may contain rows of
// other platforms; only rows whose platform is "aws" take part.
Evaluation evaluate(std::span<const core::Grant> grants, std::string_view action,
                    std::string_view resource = kAnyResource);

}  // namespace keyward::posture::policy
