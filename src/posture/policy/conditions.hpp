#pragma once

// Evaluation of IAM Condition blocks and policy variables from the point of view of an attacker
// who holds one principal's credentials.
//
// A condition key resolves to one of: a value the export fixes (aws:PrincipalArn, aws:username,
// principal tags), a value fixed by the time of the analysis (aws:CurrentTime), a value the
// attacker chooses (aws:RequestedRegion for most services, aws:UserAgent, request tags), a range
// the attacker picks from (aws:TokenIssueTime of credentials issued now), or unknown
// (resource tags, source network). The attacker picks values in their own favour: an Allow holds
// when some choice meets it, a Deny holds only when every choice meets it.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/time.hpp"

namespace keyward::posture::policy {

// What is known about a request the attacker would make with the principal's credentials.
struct RequestContext {
  // The principal making the request, for aws:PrincipalArn, aws:username, aws:PrincipalTag/*,
  // MFA keys and policy variables. nullptr leaves those keys unknown.
  const core::Identity* principal = nullptr;
  // Time of the analysis. 0 leaves aws:CurrentTime, aws:EpochTime and aws:TokenIssueTime unknown.
  core::UnixTime as_of = 0;
  // Value of iam:PassedToService ("ec2.amazonaws.com") when the action is iam:PassRole.
  std::string passed_to_service;
  // Statements of the principal's permissions boundary, or nullptr when it has none or its
  // document is not in the inventory.
  const std::vector<core::Grant>* boundary = nullptr;
};

enum class ConditionResult { met, not_met, unknown };

struct ConditionOutcome {
  ConditionResult result = ConditionResult::met;
  // Why the block was decided or left undecided, e.g. "DateLessThan aws:TokenIssueTime
  // 2020-01-01T00:00:01Z cannot hold for credentials issued now". Empty for a missing block.
  std::string reason;
};

// Decides a statement's Condition block (null or an object of operator to key to values) for the
// attacker. `deny` selects the attacker's aim: meeting an Allow's block, avoiding a Deny's.
// NOTE: keys are decided one clause at a time, so two clauses on the same attacker-chosen key
// (a date range on aws:TokenIssueTime) may each be met by a different choice.
ConditionOutcome evaluate_condition(const nlohmann::json& condition, bool deny, std::string_view action,
                                    const RequestContext& context);

// Replaces the policy variables of a Resource pattern: ${aws:username}, ${aws:PrincipalAccount},
// ${aws:PrincipalTag/<key>} and the escapes ${*}, ${?}, ${$}. Returns false when a variable has
// no value for this principal, in which case the pattern matches no resource.
bool substitute_policy_variables(std::string_view pattern, const RequestContext& context, std::string& out);

// Maximum lifetime of temporary credentials in seconds: 36 hours, the limit of
// sts:GetSessionToken and sts:GetFederationToken. A token issued now carries an
// aws:TokenIssueTime at most this far in the past.
inline constexpr core::UnixTime kMaxSessionSeconds = 36 * 3600;

}  // namespace keyward::posture::policy
