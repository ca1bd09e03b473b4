#pragma once

// Evaluation of identity-based IAM policy statements, as stored in core::Grant rows (one row per
// statement), for a single principal.
//
// This is the part of the AWS evaluation logic that identity policies and permissions boundaries
// decide: an explicit Deny wins over every Allow, an action needs an Allow in the identity
// policies and, when the principal has a boundary, in the boundary too. Condition blocks are
// decided for an attacker holding the principal's credentials (see conditions.hpp).
// NOTE: service control policies, session policies and resource-based policies are not
// evaluated, so a principal limited by one of those is reported as allowed.

#include <span>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "posture/policy/conditions.hpp"

namespace keyward::posture::policy {

// The resource to pass to evaluate() to test whether an action is allowed without a resource
// restriction, the way a statement with Resource "*" allows it.
inline constexpr std::string_view kAnyResource = "*";

// Grant::via of a row that holds a statement of the principal's permissions boundary rather than
// of one of its identity policies. evaluate() never counts such a row as an identity policy.
inline constexpr std::string_view kBoundaryVia = "boundary";

enum class Decision { implicit_deny, allow, explicit_deny };

struct Evaluation {
  Decision decision = Decision::implicit_deny;
  // A matching Allow statement; one without a Condition is preferred. Set even when a Deny wins.
  const core::Grant* allowed_by = nullptr;
  // The Deny statement that decided, when decision is explicit_deny.
  const core::Grant* denied_by = nullptr;
  // A matching Deny whose Condition could not be decided. It did not decide, because the
  // attacker may meet it or avoid it, but callers may want to mention it.
  const core::Grant* conditional_deny = nullptr;
  // True when every matching Allow statement has a Condition that could not be decided.
  bool conditional = false;
  // Why the Condition of allowed_by holds or could not be decided; empty when it has none.
  std::string condition_reason;
  // True when the identity policies allow the action but the permissions boundary does not;
  // denied_by is then the boundary's Deny, if one decided.
  bool outside_boundary = false;
  // Every matching Allow statement whose Condition can hold, in input order, so that a
  // remediation can name them all.
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

// Returns true when the statement applies to `resource`, an ARN matched case-sensitively after
// policy variables (${aws:username}) are replaced from `context`.
// For kAnyResource, an Allow applies when it is not limited to named resources: Resource
// contains an unrestricted pattern, or NotResource excludes only some. A Deny applies only when
// it covers every resource, because a Deny on some resources leaves the others allowed.
bool statement_matches_resource(const core::Grant& grant, std::string_view resource,
                                const RequestContext& context = {});

// Returns true when the statement carries a non-empty Condition block.
bool has_condition(const core::Grant& grant);

// Evaluates one request against all statements of one principal. `grants` may contain rows of
// other platforms; only rows whose platform is "aws" take part. An Allow whose Condition cannot
// hold is skipped, a Deny whose Condition the attacker can avoid does not apply. Without a
// context, conditions that depend on the principal or the time stay undecided.
Evaluation evaluate(std::span<const core::Grant> grants, std::string_view action,
                    std::string_view resource = kAnyResource, const RequestContext& context = {});

}  // namespace keyward::posture::policy
