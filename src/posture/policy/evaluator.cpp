#include "posture/policy/evaluator.hpp"

#include "posture/policy/wildcard.hpp"

namespace keyward::posture::policy {
namespace {

bool only_stars(std::string_view text) {
  return !text.empty() && text.find_first_not_of('*') == std::string_view::npos;
}

// True for text such as "*", "*:*" or "*:*:*:*": wildcards and field separators only, ending in
// a wildcard so that the last field can be non-empty.
bool only_wildcard_fields(std::string_view text) {
  return !text.empty() && text.find_first_not_of("*:") == std::string_view::npos &&
         text.back() == '*';
}

bool any_unrestricted(const std::vector<std::string>& patterns) {
  for (const auto& pattern : patterns) {
    if (is_unrestricted_resource(pattern)) return true;
  }
  return false;
}

bool any_resource_matches(const std::vector<std::string>& patterns, std::string_view resource,
                          const RequestContext& context) {
  std::string substituted;
  for (const auto& pattern : patterns) {
    std::string_view effective = pattern;
    if (pattern.find("${") != std::string::npos) {
      if (!substitute_policy_variables(pattern, context, substituted)) continue;
      effective = substituted;
    }
    if (wildcard_match(effective, resource, CaseSensitivity::sensitive)) return true;
  }
  return false;
}

bool is_deny(const core::Grant& grant) { return grant.effect == "Deny"; }

}  // namespace

bool is_unrestricted_resource(std::string_view pattern) {
  if (only_stars(pattern)) return true;
  if (!pattern.starts_with("arn:")) return false;
  std::string_view rest = pattern.substr(4);
  if (only_wildcard_fields(rest)) return true;  // "arn:*", "arn:*:*:*:*:*"
  std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return false;
  // A literal partition ("aws", "aws-cn") still leaves every resource of the account's partition.
  return only_wildcard_fields(rest.substr(colon + 1));
}

bool statement_matches_action(const core::Grant& grant, std::string_view action) {
  if (grant.actions.empty()) return false;
  bool listed = false;
  for (const auto& pattern : grant.actions) {
    if (action_matches(pattern, action)) {
      listed = true;
      break;
    }
  }
  return grant.not_action ? !listed : listed;
}

bool statement_matches_resource(const core::Grant& grant, std::string_view resource,
                                const RequestContext& context) {
  if (grant.resources.empty()) return false;
  if (resource == kAnyResource) {
    if (is_deny(grant)) return !grant.not_resource && any_unrestricted(grant.resources);
    return grant.not_resource ? !any_unrestricted(grant.resources) : any_unrestricted(grant.resources);
  }
  bool listed = any_resource_matches(grant.resources, resource, context);
  return grant.not_resource ? !listed : listed;
}

bool has_condition(const core::Grant& grant) {
  return !grant.condition.is_null() && !grant.condition.empty();
}

namespace {

// Evaluates the request against one policy set: the identity policies (skipping boundary rows
// stored beside them), or the boundary's statements.
Evaluation evaluate_statements(std::span<const core::Grant> grants, bool skip_boundary_rows, std::string_view action,
                               std::string_view resource, const RequestContext& context) {
  Evaluation result;
  bool unconditional_allow = false;
  for (const auto& grant : grants) {
    if (grant.platform != "aws") continue;
    if (skip_boundary_rows && grant.via == kBoundaryVia) continue;
    if (!statement_matches_action(grant, action)) continue;
    if (!statement_matches_resource(grant, resource, context)) continue;
    ConditionOutcome condition = evaluate_condition(grant.condition, is_deny(grant), action, context);
    if (condition.result == ConditionResult::not_met) continue;
    bool undecided = condition.result == ConditionResult::unknown;
    if (is_deny(grant)) {
      if (undecided) {
        if (result.conditional_deny == nullptr) result.conditional_deny = &grant;
      } else if (result.denied_by == nullptr) {
        result.denied_by = &grant;
      }
      continue;
    }
    result.allowing.push_back(&grant);
    if (!undecided && !unconditional_allow) {
      result.allowed_by = &grant;
      result.condition_reason = condition.reason;
      unconditional_allow = true;
    } else if (result.allowed_by == nullptr) {
      result.allowed_by = &grant;
      result.condition_reason = condition.reason;
    }
  }

  if (result.denied_by != nullptr) {
    result.decision = Decision::explicit_deny;
  } else if (result.allowed_by != nullptr) {
    result.decision = Decision::allow;
    result.conditional = !unconditional_allow;
  }
  return result;
}

}  // namespace

Evaluation evaluate(std::span<const core::Grant> grants, std::string_view action, std::string_view resource,
                    const RequestContext& context) {
  Evaluation result = evaluate_statements(grants, true, action, resource, context);
  if (context.boundary == nullptr || result.decision == Decision::explicit_deny) return result;

  Evaluation boundary = evaluate_statements(*context.boundary, false, action, resource, context);
  if (boundary.allowed()) {
    result.conditional = result.conditional || boundary.conditional;
    if (result.conditional_deny == nullptr) result.conditional_deny = boundary.conditional_deny;
    return result;
  }
  if (result.allowed()) result.outside_boundary = true;
  result.decision = boundary.decision == Decision::explicit_deny ? Decision::explicit_deny : Decision::implicit_deny;
  if (result.denied_by == nullptr) result.denied_by = boundary.denied_by;
  return result;
}

}  // namespace keyward::posture::policy
