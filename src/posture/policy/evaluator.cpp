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

bool any_resource_matches(const std::vector<std::string>& patterns, std::string_view resource) {
  for (const auto& pattern : patterns) {
    if (wildcard_match(pattern, resource, CaseSensitivity::sensitive)) return true;
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

bool statement_matches_resource(const core::Grant& grant, std::string_view resource) {
  if (grant.resources.empty()) return false;
  if (resource == kAnyResource) {
    if (is_deny(grant)) return !grant.not_resource && any_unrestricted(grant.resources);
    return grant.not_resource ? !any_unrestricted(grant.resources) : any_unrestricted(grant.resources);
  }
  bool listed = any_resource_matches(grant.resources, resource);
  return grant.not_resource ? !listed : listed;
}

bool has_condition(const core::Grant& grant) {
  return !grant.condition.is_null() && !grant.condition.empty();
}

Evaluation evaluate(std::span<const core::Grant> grants, std::string_view action,
                    std::string_view resource) {
  Evaluation result;
  bool unconditional_allow = false;
  for (const auto& grant : grants) {
    if (grant.platform != "aws") continue;
    if (!statement_matches_action(grant, action)) continue;
    if (!statement_matches_resource(grant, resource)) continue;
    bool conditional = has_condition(grant);
    if (is_deny(grant)) {
      // TODO: evaluate Condition blocks. A conditional Deny is not applied, so a principal whose
      // only protection is a conditional Deny is reported as allowed.
      if (conditional) {
        if (result.conditional_deny == nullptr) result.conditional_deny = &grant;
      } else if (result.denied_by == nullptr) {
        result.denied_by = &grant;
      }
      continue;
    }
    result.allowing.push_back(&grant);
    if (!conditional && !unconditional_allow) {
      result.allowed_by = &grant;
      unconditional_allow = true;
    } else if (result.allowed_by == nullptr) {
      result.allowed_by = &grant;
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

}  // namespace keyward::posture::policy
