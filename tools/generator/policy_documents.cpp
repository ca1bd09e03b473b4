#include <fmt/format.h>

#include "tools/generator/policies.hpp"

namespace keyward::generator {

Json app_access_document(const Account& account, std::string_view app, std::string_view region) {
  const std::string bucket = "arn:aws:s3:::" + account.bucket(app);
  const std::string table = fmt::format("arn:aws:dynamodb:{}:{}:table/{}-prod", region, account.id, app);
  const std::string queue = fmt::format("arn:aws:sqs:{}:{}:{}-events", region, account.id, app);
  const std::string parameter = fmt::format("arn:aws:ssm:{}:{}:parameter/prod/{}/*", region, account.id, app);
  const std::string secret = fmt::format("arn:aws:secretsmanager:{}:{}:secret:prod/{}/*", region, account.id, app);
  return policy_document({
      allow({"s3:GetObject", "s3:PutObject", "s3:ListBucket"}, {bucket, bucket + "/*"}),
      allow({"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"}, {table}),
      allow({"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}, {queue}),
      allow({"ssm:GetParameter", "ssm:GetParametersByPath"}, {parameter}),
      allow({"secretsmanager:GetSecretValue"}, {secret}),
  });
}

Json ci_deploy_document(const Account& account) {
  return policy_document({
      allow({"ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload",
             "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:DescribeImages"},
            {"*"}),
      allow({"ecs:DescribeServices", "ecs:RegisterTaskDefinition", "ecs:UpdateService", "ecs:DescribeTaskDefinition"},
            {"*"}),
      allow({"s3:PutObject", "s3:GetObject", "s3:ListBucket"},
            {"arn:aws:s3:::" + account.bucket("artifacts"), "arn:aws:s3:::" + account.bucket("artifacts") + "/*"}),
      allow({"lambda:UpdateFunctionCode", "lambda:GetFunction", "lambda:List*", "cloudformation:Describe*",
             "cloudformation:List*", "ec2:Describe*", "elasticloadbalancing:Describe*", "rds:Describe*",
             "dynamodb:ListTables", "dynamodb:DescribeTable", "sqs:ListQueues", "sns:ListTopics", "logs:Describe*",
             "s3:ListAllMyBuckets", "s3:GetBucketLocation", "ecr:DescribeRepositories", "ecs:List*"},
            {"*"}),
      allow({"secretsmanager:GetSecretValue", "secretsmanager:ListSecrets"}, {"*"}),
      allow({"iam:PassRole", "iam:CreateAccessKey", "iam:AttachRolePolicy", "iam:ListUsers", "iam:ListRoles",
             "iam:GetRole"},
            {"*"}),
  });
}

Json lambda_deployer_document() {
  return policy_document({
      allow({"lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
             "lambda:InvokeFunction", "lambda:GetFunction", "lambda:ListFunctions"},
            {"*"}),
      allow({"iam:PassRole"}, {"*"}),
  });
}

Json developer_document(const Account& account) {
  return policy_document({
      allow({"ec2:Describe*", "ecs:Describe*", "ecs:List*", "lambda:Get*", "lambda:List*", "logs:Describe*",
             "logs:FilterLogEvents", "logs:GetLogEvents", "logs:StartQuery", "logs:GetQueryResults",
             "cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*", "dynamodb:Describe*", "dynamodb:List*",
             "sqs:List*", "sqs:GetQueueAttributes", "s3:ListAllMyBuckets"},
            {"*"}),
      allow({"s3:GetObject", "s3:ListBucket", "s3:PutObject"},
            {"arn:aws:s3:::" + account.company + "-dev-*", "arn:aws:s3:::" + account.company + "-dev-*/*"}),
  });
}

Json data_engineer_document(const Account& account) {
  const std::string lake = "arn:aws:s3:::" + account.bucket("datalake");
  return policy_document({
      allow({"athena:*", "glue:Get*", "glue:List*", "glue:StartJobRun", "glue:BatchGetJobs"}, {"*"}),
      allow({"s3:GetObject", "s3:PutObject", "s3:ListBucket"}, {lake, lake + "/*"}),
  });
}

Json backup_document(const Account& account) {
  const std::string vault = "arn:aws:s3:::" + account.bucket("backups");
  return policy_document({
      allow({"rds:CreateDBSnapshot", "rds:DescribeDBSnapshots", "rds:DescribeDBInstances", "rds:DeleteDBSnapshot",
             "ec2:CreateSnapshot", "ec2:DescribeSnapshots", "ec2:DescribeVolumes", "ec2:CreateTags",
             "dynamodb:CreateBackup", "dynamodb:ListTables", "dynamodb:ListBackups"},
            {"*"}),
      allow({"s3:GetObject", "s3:PutObject", "s3:ListBucket"}, {vault, vault + "/*"}),
  });
}

Json monitoring_document() {
  return policy_document({allow({"cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "cloudwatch:DescribeAlarms",
                                 "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "rds:DescribeDBInstances",
                                 "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeLoadBalancers",
                                 "tag:GetResources"},
                                {"*"})});
}

Json audit_document() {
  return policy_document({allow({"iam:GenerateCredentialReport", "iam:GetCredentialReport",
                                 "iam:GetAccountAuthorizationDetails", "iam:GetAccountSummary",
                                 "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors",
                                 "config:Describe*", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs",
                                 "guardduty:ListDetectors", "guardduty:GetDetector", "kms:ListKeys",
                                 "kms:GetKeyRotationStatus", "s3:GetBucketPolicy", "s3:GetBucketPublicAccessBlock",
                                 "s3:GetEncryptionConfiguration", "s3:ListAllMyBuckets"},
                                {"*"})});
}

Json datadog_document() {
  return policy_document({allow({"cloudwatch:Get*", "cloudwatch:List*", "cloudwatch:Describe*", "ec2:Describe*",
                                 "ecs:Describe*", "ecs:List*", "elasticloadbalancing:Describe*", "lambda:List*",
                                 "rds:Describe*", "rds:List*", "s3:GetBucketTagging", "s3:ListAllMyBuckets",
                                 "sqs:ListQueues", "tag:GetResources", "logs:Describe*", "logs:FilterLogEvents"},
                                {"*"})});
}

Json billing_document() {
  return policy_document({allow({"aws-portal:ViewBilling", "aws-portal:ViewUsage", "ce:Get*", "ce:Describe*",
                                 "budgets:ViewBudget", "cur:DescribeReportDefinitions"},
                                {"*"})});
}

Json service_trust(std::string_view service) {
  Json statement;
  statement["Effect"] = "Allow";
  statement["Principal"] = {{"Service", service}};
  statement["Action"] = "sts:AssumeRole";
  return policy_document({statement});
}

Json account_trust(std::string_view account_id, bool require_mfa, std::string_view external_id) {
  Json statement;
  statement["Effect"] = "Allow";
  statement["Principal"] = {{"AWS", fmt::format("arn:aws:iam::{}:root", account_id)}};
  statement["Action"] = "sts:AssumeRole";
  if (require_mfa) statement["Condition"] = {{"Bool", {{"aws:MultiFactorAuthPresent", "true"}}}};
  if (!external_id.empty()) statement["Condition"] = {{"StringEquals", {{"sts:ExternalId", external_id}}}};
  return policy_document({statement});
}

Json github_oidc_trust(const Account& account, std::string_view repository) {
  Json statement;
  statement["Effect"] = "Allow";
  statement["Principal"] = {
      {"Federated", fmt::format("arn:aws:iam::{}:oidc-provider/token.actions.githubusercontent.com", account.id)}};
  statement["Action"] = "sts:AssumeRoleWithWebIdentity";
  statement["Condition"] = {
      {"StringEquals", {{"token.actions.githubusercontent.com:aud", "sts.amazonaws.com"}}},
      {"StringLike", {{"token.actions.githubusercontent.com:sub", fmt::format("repo:{}:ref:refs/heads/main", repository)}}}};
  return policy_document({statement});
}

Json sso_trust(const Account& account, std::string_view provider) {
  Json statement;
  statement["Effect"] = "Allow";
  statement["Principal"] = {{"Federated", fmt::format("arn:aws:iam::{}:saml-provider/{}", account.id, provider)}};
  statement["Action"] = {"sts:AssumeRoleWithSAML", "sts:TagSession"};
  statement["Condition"] = {{"StringEquals", {{"SAML:aud", "https://signin.aws.amazon.com/saml"}}}};
  return policy_document({statement});
}

}  // namespace keyward::generator
