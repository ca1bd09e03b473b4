#pragma once

// IAM user and role entries of `aws iam get-account-authorization-details` turned into
// core::Identity records, including who operates a role as far as its trust policy shows.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/model.hpp"

namespace keyward::sources::aws {

struct RoleClassification {
  core::Classification classification = core::Classification::unknown;
  std::string reason;  // empty when unknown
};

// Classifies a role from its path and trust policy (AssumeRolePolicyDocument):
//  - path /aws-service-role/...: service-linked, machine;
//  - trusted only by AWS service principals: machine;
//  - trusted only by GitHub Actions or EKS OIDC providers (workload identity federation): machine;
//  - trusted only through SAML providers (IAM Identity Center, workforce sign-in): human;
//  - anything else, including any AWS account or role principal: unknown.
RoleClassification classify_role(std::string_view path, const nlohmann::json& trust_policy);

// Returns the account id field of an ARN ("arn:aws:iam::123456789012:user/x" -> "123456789012"),
// or "" when the ARN has fewer fields.
std::string account_from_arn(std::string_view arn);

// Returns the string member `key` of `object`, or "" when it is missing or not a string.
std::string string_field(const nlohmann::json& object, const char* key);

// Builds the identity of a UserDetailList entry whose Arn is a string. Attributes: user_id,
// path, groups, tags, permissions_boundary.
core::Identity read_user_identity(const nlohmann::json& user);

// Builds the identity of a RoleDetailList entry whose Arn is a string. `trust_policy` is the
// decoded AssumeRolePolicyDocument, or null when it could not be read. Attributes: role_id,
// path, trust_policy, instance_profiles, last_used_region, max_session_duration, tags,
// permissions_boundary.
core::Identity read_role_identity(const nlohmann::json& role, const nlohmann::json& trust_policy);

}  // namespace keyward::sources::aws
