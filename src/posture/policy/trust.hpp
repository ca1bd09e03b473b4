#pragma once

// Evaluation of IAM role trust policies (AssumeRolePolicyDocument): which principals and AWS
// services a role lets call sts:AssumeRole.

#include <nlohmann/json.hpp>

#include <string_view>

#include "core/model.hpp"
#include "posture/policy/conditions.hpp"

namespace keyward::posture::policy {

enum class TrustGrant {
  none,     // the trust policy does not let the principal in
  named,    // it names the principal's ARN, or sessions of the principal's role
  account,  // it trusts the principal's whole account or every principal ("*")
};

// Decides whether `trust_policy` lets `principal` assume the role. Conditions are decided for
// an attacker holding the principal's credentials, and a matching Deny wins.
// Within one account, a trust policy that names the principal is enough, while one that trusts
// the account also needs an identity policy that allows sts:AssumeRole on the role.
TrustGrant trust_grant(const nlohmann::json& trust_policy, const core::Identity& principal,
                       const RequestContext& context);

// Returns true when an Allow statement of `trust_policy` lets the AWS service `service`
// ("ec2.amazonaws.com") assume the role.
bool trusts_service(const nlohmann::json& trust_policy, std::string_view service);

}  // namespace keyward::posture::policy
