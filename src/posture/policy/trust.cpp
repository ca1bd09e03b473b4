#include "posture/policy/trust.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "posture/policy/wildcard.hpp"

namespace keyward::posture::policy {
namespace {

using nlohmann::json;

constexpr std::string_view kAssumeRole = "sts:AssumeRole";

std::vector<std::string> strings_of(const json& value) {
  std::vector<std::string> out;
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

std::vector<const json*> statements_of(const json& policy) {
  std::vector<const json*> out;
  if (!policy.is_object()) return out;
  auto statements = policy.find("Statement");
  if (statements == policy.end()) return out;
  if (statements->is_array()) {
    for (const auto& statement : *statements) {
      if (statement.is_object()) out.push_back(&statement);
    }
  } else if (statements->is_object()) {
    out.push_back(&*statements);
  }
  return out;
}

bool allows_assume_role(const json& statement) {
  bool negated = statement.contains("NotAction");
  std::vector<std::string> actions = strings_of(negated ? statement["NotAction"] : statement.value("Action", json()));
  bool listed = std::any_of(actions.begin(), actions.end(),
                            [](const std::string& pattern) { return action_matches(pattern, kAssumeRole); });
  return negated ? !listed : listed;
}

// Splits "arn:<partition>:<service>:<region>:<account>:<resource>" into its account and resource.
bool split_arn(std::string_view arn, std::string_view& service, std::string_view& account, std::string_view& resource) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return false;
    fields.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  if (fields[0] != "arn") return false;
  service = fields[2];
  account = fields[4];
  resource = arn.substr(start);
  return true;
}

bool is_account_id(std::string_view text) {
  return text.size() == 12 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Returns how one value of Principal.AWS matches the principal.
TrustGrant match_aws_principal(std::string_view value, const core::Identity& principal) {
  if (value == "*") return TrustGrant::account;
  if (value == principal.id) return TrustGrant::named;
  if (is_account_id(value)) return value == principal.account ? TrustGrant::account : TrustGrant::none;
  std::string_view service;
  std::string_view account;
  std::string_view resource;
  if (!split_arn(value, service, account, resource) || account != principal.account) return TrustGrant::none;
  if (service == "iam" && resource == "root") return TrustGrant::account;
  // "arn:aws:sts::<account>:assumed-role/<role name>/<session>" names sessions of a role.
  constexpr std::string_view kAssumedRole = "assumed-role/";
  if (service == "sts" && resource.starts_with(kAssumedRole) && principal.kind == "iam_role") {
    std::string_view rest = resource.substr(kAssumedRole.size());
    if (rest.substr(0, rest.find('/')) == principal.name) return TrustGrant::named;
  }
  return TrustGrant::none;
}

TrustGrant match_principal(const json& statement, const core::Identity& principal) {
  auto element = statement.find("Principal");
  if (element == statement.end()) return TrustGrant::none;  // NotPrincipal is not evaluated
  if (element->is_string()) return element->get<std::string>() == "*" ? TrustGrant::account : TrustGrant::none;
  if (!element->is_object()) return TrustGrant::none;
  auto aws = element->find("AWS");
  if (aws == element->end()) return TrustGrant::none;
  TrustGrant best = TrustGrant::none;
  for (const auto& value : strings_of(*aws)) {
    TrustGrant grant = match_aws_principal(value, principal);
    if (grant == TrustGrant::named) return grant;
    if (grant == TrustGrant::account) best = grant;
  }
  return best;
}

}  // namespace

TrustGrant trust_grant(const json& trust_policy, const core::Identity& principal, const RequestContext& context) {
  TrustGrant granted = TrustGrant::none;
  for (const json* statement : statements_of(trust_policy)) {
    if (!allows_assume_role(*statement)) continue;
    TrustGrant match = match_principal(*statement, principal);
    if (match == TrustGrant::none) continue;
    bool deny = statement->value("Effect", "") == "Deny";
    ConditionOutcome condition =
        evaluate_condition(statement->value("Condition", json()), deny, kAssumeRole, context);
    if (deny) {
      if (condition.result == ConditionResult::met) return TrustGrant::none;
      continue;
    }
    // An Allow whose Condition cannot be decided (sts:ExternalId, source network) is counted:
    // the attacker holding the principal's credentials may well meet it.
    if (condition.result == ConditionResult::not_met) continue;
    if (match == TrustGrant::named || granted == TrustGrant::none) granted = match;
  }
  return granted;
}

bool trusts_service(const json& trust_policy, std::string_view service) {
  for (const json* statement : statements_of(trust_policy)) {
    if (statement->value("Effect", "") != "Allow" || !allows_assume_role(*statement)) continue;
    auto element = statement->find("Principal");
    if (element == statement->end() || !element->is_object()) continue;
    auto services = element->find("Service");
    if (services == element->end()) continue;
    for (const auto& value : strings_of(*services)) {
      if (value == service) return true;
    }
  }
  return false;
}

}  // namespace keyward::posture::policy
