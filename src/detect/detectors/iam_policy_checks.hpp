#pragma once

// Reads IAM policy documents as CloudTrail logs them in requestParameters: a JSON string, which
// some records carry URL-encoded.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace keyward::detect::aws {

// Parses a policy document from its logged text; a discarded value when it is not JSON either
// as is or after URL decoding.
nlohmann::json parse_policy_document(std::string_view text);

// True when an Allow statement grants every action ("*", "*:*" or "iam:*", or any NotAction)
// on every resource ("*").
bool grants_admin(const nlohmann::json& policy);

// Returns the first principal of an Allow statement in a trust policy that lies outside
// `account_id`: "*", or an AWS account id or ARN of another account. "" when there is none.
std::string external_trusted_principal(const nlohmann::json& trust_policy, std::string_view account_id);

// True for AWS managed policies that amount to full control of the account or of IAM.
bool is_admin_managed_policy(std::string_view policy_arn);

}  // namespace keyward::detect::aws
