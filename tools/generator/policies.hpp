#pragma once

// IAM policy documents: the AWS managed policies the account attaches, and the customer managed
// and inline documents a mid-size company writes for its applications, pipelines and people.

#include <string>
#include <string_view>
#include <vector>

#include "tools/generator/account_model.hpp"

namespace keyward::generator {

class Rng;

Json policy_document(std::vector<Json> statements);
Json allow(std::vector<std::string> actions, std::vector<std::string> resources);

// Adds the AWS managed policies this generator can attach (AdministratorAccess, PowerUserAccess,
// AWSLambdaBasicExecutionRole, the service-linked role policies, ...). The exports list only the
// ones something attaches, as get-account-authorization-details does.
void add_aws_managed_policies(Account& account);
std::string aws_policy_arn(std::string_view path, std::string_view name);

// Adds a customer managed policy and returns its ARN. With `versions` > 1, older versions hold
// narrower statements, as after a few edits, and the last version is the default.
std::string add_customer_policy(Account& account, Rng& rng, std::string_view name, Json document,
                                core::UnixTime created, int versions = 1);

// What an application identity needs for its own bucket, table, queue, parameter and secret.
Json app_access_document(const Account& account, std::string_view app, std::string_view region);
// The CI user's policy: deploys, plus the over-broad IAM and Secrets Manager grants that make
// it a privilege-escalation path (iam:CreateAccessKey, iam:AttachRolePolicy, iam:PassRole on *).
Json ci_deploy_document(const Account& account);
// Deploys Lambda functions: iam:PassRole with lambda:CreateFunction and InvokeFunction on *.
Json lambda_deployer_document();
Json developer_document(const Account& account);
Json data_engineer_document(const Account& account);
Json backup_document(const Account& account);
Json monitoring_document();
Json audit_document();
Json datadog_document();
Json billing_document();

// Trust policies.
Json service_trust(std::string_view service);
Json account_trust(std::string_view account_id, bool require_mfa, std::string_view external_id);
Json github_oidc_trust(const Account& account, std::string_view repository);
Json sso_trust(const Account& account, std::string_view provider);

}  // namespace keyward::generator
