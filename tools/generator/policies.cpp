#include "tools/generator/policies.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "tools/generator/random.hpp"

namespace keyward::generator {
namespace {

Json string_or_list(const std::vector<std::string>& values) {
  if (values.size() == 1) return values.front();
  return Json(values);
}

struct AwsPolicy {
  std::string_view path;
  std::string_view name;
  core::UnixTime created;
  core::UnixTime updated;
  int version;
  Json (*document)();
};

Json administrator_access() { return policy_document({allow({"*"}, {"*"})}); }

Json power_user_access() {
  Json everything_but_iam;
  everything_but_iam["Effect"] = "Allow";
  everything_but_iam["NotAction"] = {"iam:*", "organizations:*", "account:*"};
  everything_but_iam["Resource"] = "*";
  return policy_document({everything_but_iam,
                          allow({"account:GetAccountInformation", "account:GetPrimaryEmail", "account:ListRegions",
                                 "iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                                 "organizations:DescribeOrganization"},
                                {"*"})});
}

Json lambda_basic_execution() {
  return policy_document({allow({"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}, {"*"})});
}

Json lambda_vpc_execution() {
  return policy_document({allow({"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                                 "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                                 "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                                 "ec2:UnassignPrivateIpAddresses"},
                                {"*"})});
}

Json ecs_task_execution() {
  return policy_document({allow({"ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                                 "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream",
                                 "logs:PutLogEvents"},
                                {"*"})});
}

Json ssm_managed_instance_core() {
  return policy_document(
      {allow({"ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument",
              "ssm:DescribeDocument", "ssm:GetManifest", "ssm:GetParameter", "ssm:GetParameters",
              "ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutInventory", "ssm:PutComplianceItems",
              "ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus",
              "ssm:UpdateInstanceInformation"},
             {"*"}),
       allow({"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel",
              "ssmmessages:OpenDataChannel"},
             {"*"}),
       allow({"ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
              "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply"},
             {"*"})});
}

Json s3_read_only() {
  return policy_document(
      {allow({"s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"}, {"*"})});
}

Json user_change_password() {
  return policy_document({allow({"iam:ChangePassword"}, {"arn:aws:iam::*:user/${aws:username}"}),
                          allow({"iam:GetAccountPasswordPolicy"}, {"*"})});
}

// NOTE: the service-linked role policies below are shortened to their characteristic actions;
// the AWS originals list many more.
Json autoscaling_service() {
  return policy_document({allow({"ec2:AttachClassicLinkVpc", "ec2:CancelSpotInstanceRequests", "ec2:CreateFleet",
                                 "ec2:CreateTags", "ec2:DeleteTags", "ec2:Describe*", "ec2:RunInstances",
                                 "ec2:TerminateInstances", "elasticloadbalancing:Register*",
                                 "elasticloadbalancing:Deregister*", "elasticloadbalancing:Describe*",
                                 "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms"},
                                {"*"})});
}

Json ecs_service() {
  return policy_document({allow({"ec2:AttachNetworkInterface", "ec2:CreateNetworkInterface",
                                 "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface",
                                 "ec2:DescribeNetworkInterfaces", "ec2:Describe*", "elasticloadbalancing:Describe*",
                                 "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
                                 "servicediscovery:RegisterInstance", "servicediscovery:DeregisterInstance"},
                                {"*"})});
}

Json elb_service() {
  return policy_document({allow({"ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeInternetGateways",
                                 "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
                                 "ec2:DescribeVpcs", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                                 "ec2:ModifyNetworkInterfaceAttribute", "logs:CreateLogDelivery"},
                                {"*"})});
}

Json rds_service() {
  return policy_document({allow({"ec2:AuthorizeSecurityGroupIngress", "ec2:CreateNetworkInterface",
                                 "ec2:DeleteNetworkInterface", "ec2:Describe*", "ec2:ModifyNetworkInterfaceAttribute",
                                 "cloudwatch:PutMetricData", "logs:CreateLogGroup", "logs:PutLogEvents"},
                                {"*"})});
}

Json support_service() {
  return policy_document({allow({"ec2:Describe*", "iam:GetAccountSummary", "iam:ListRoles", "iam:ListUsers",
                                 "rds:Describe*", "s3:GetBucketPolicy", "s3:ListAllMyBuckets", "support:*"},
                                {"*"})});
}

Json trusted_advisor_service() {
  return policy_document({allow({"autoscaling:Describe*", "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus",
                                 "ec2:Describe*", "iam:GenerateCredentialReport", "iam:GetCredentialReport",
                                 "iam:GetAccountPasswordPolicy", "rds:Describe*", "s3:GetBucketAcl",
                                 "s3:ListAllMyBuckets"},
                                {"*"})});
}

Json organizations_service() {
  return policy_document({allow({"iam:GetRole"}, {"arn:aws:iam::*:role/aws-service-role/organizations.amazonaws.com/*"}),
                          allow({"organizations:DescribeAccount", "organizations:DescribeOrganization",
                                 "organizations:ListAWSServiceAccessForOrganization"},
                                {"*"})});
}

Json guardduty_service() {
  return policy_document({allow({"ec2:DescribeInstances", "ec2:DescribeImages", "ec2:DescribeVpcEndpoints",
                                 "ec2:DescribeSubnets", "ec2:DescribeVpcPeeringConnections",
                                 "ec2:DescribeTransitGatewayAttachments", "organizations:ListAccounts",
                                 "organizations:DescribeAccount", "s3:GetBucketPublicAccessBlock",
                                 "s3:GetEncryptionConfiguration", "s3:GetBucketTagging", "s3:ListAllMyBuckets"},
                                {"*"})});
}

// NOTE: the creation and update dates and the default version numbers of these AWS managed
// policies are plausible values, not copies of AWS's current ones.
const AwsPolicy kAwsPolicies[] = {
    {"/", "AdministratorAccess", 1423248000, 1423248000, 1, administrator_access},
    {"/", "PowerUserAccess", 1423248000, 1679356800, 5, power_user_access},
    {"/service-role/", "AWSLambdaBasicExecutionRole", 1428940800, 1428940800, 1, lambda_basic_execution},
    {"/service-role/", "AWSLambdaVPCAccessExecutionRole", 1455235200, 1705536000, 3, lambda_vpc_execution},
    {"/service-role/", "AmazonECSTaskExecutionRolePolicy", 1510185600, 1510185600, 1, ecs_task_execution},
    {"/", "AmazonSSMManagedInstanceCore", 1552435200, 1680220800, 3, ssm_managed_instance_core},
    {"/", "AmazonS3ReadOnlyAccess", 1423248000, 1692748800, 3, s3_read_only},
    {"/", "IAMUserChangePassword", 1447804800, 1478131200, 2, user_change_password},
    {"/aws-service-role/", "AutoScalingServiceRolePolicy", 1516752000, 1705017600, 7, autoscaling_service},
    {"/aws-service-role/", "AmazonECSServiceRolePolicy", 1507766400, 1697587200, 19, ecs_service},
    {"/aws-service-role/", "AWSElasticLoadBalancingServiceRolePolicy", 1505347200, 1692057600, 8, elb_service},
    {"/aws-service-role/", "AmazonRDSServiceRolePolicy", 1515024000, 1707868800, 12, rds_service},
    {"/aws-service-role/", "AWSSupportServiceRolePolicy", 1524528000, 1709251200, 31, support_service},
    {"/aws-service-role/", "AWSTrustedAdvisorServiceRolePolicy", 1532044800, 1706745600, 10, trusted_advisor_service},
    {"/aws-service-role/", "AWSOrganizationsServiceTrustPolicy", 1509494400, 1509494400, 1, organizations_service},
    {"/aws-service-role/", "AmazonGuardDutyServiceRolePolicy", 1511740800, 1709164800, 14, guardduty_service},
};

}  // namespace

Json policy_document(std::vector<Json> statements) {
  Json document;
  document["Version"] = "2012-10-17";
  document["Statement"] = std::move(statements);
  return document;
}

Json allow(std::vector<std::string> actions, std::vector<std::string> resources) {
  Json statement;
  statement["Effect"] = "Allow";
  statement["Action"] = string_or_list(actions);
  statement["Resource"] = string_or_list(resources);
  return statement;
}

std::string aws_policy_arn(std::string_view path, std::string_view name) {
  return fmt::format("arn:aws:iam::aws:policy{}{}", path, name);
}

void add_aws_managed_policies(Account& account) {
  for (const auto& entry : kAwsPolicies) {
    ManagedPolicy policy;
    policy.name = std::string(entry.name);
    policy.path = std::string(entry.path);
    policy.arn = aws_policy_arn(entry.path, entry.name);
    // AWS managed policy ids are global, so they come from the name and not from the seed.
    Rng id_rng = Rng(0).fork(entry.name);
    policy.id = "ANPA" + id_rng.text(17, kUpperBase32);
    policy.aws_managed = true;
    policy.created = entry.created;
    policy.updated = entry.updated;
    policy.versions = {entry.document()};
    policy.first_version = entry.version;
    account.policies.push_back(std::move(policy));
  }
}

std::string add_customer_policy(Account& account, Rng& rng, std::string_view name, Json document,
                                core::UnixTime created, int versions) {
  ManagedPolicy policy;
  policy.name = std::string(name);
  policy.arn = account.policy_arn("/", name);
  policy.id = make_unique_id("ANPA", account, rng);
  policy.created = created;
  policy.updated = created;
  for (int version = 1; version < versions; ++version) {
    // An earlier edit: the same document with its last statement not yet added.
    Json older = document;
    if (older["Statement"].size() > 1) older["Statement"].erase(older["Statement"].size() - 1);
    policy.versions.push_back(older);
    policy.updated += rng.uniform(5, 120) * core::kSecondsPerDay;
  }
  policy.updated = std::min(policy.updated, account.end - core::kSecondsPerDay);
  policy.versions.push_back(std::move(document));
  account.policies.push_back(std::move(policy));
  return account.policies.back().arn;
}

}  // namespace keyward::generator
