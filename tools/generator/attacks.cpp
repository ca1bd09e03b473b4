// The injected attacks, in the last days of the window:
//   (a) the CI user's key, leaked, used from a hosting provider abroad with a Kali aws-cli:
//       enumeration, AccessDenied bursts, a secrets sweep, an access key created for an admin
//       and AdministratorAccess attached to a role;
//   (b) a key unused for over four months used again from another continent;
//   (c) stolen EC2 instance-role credentials used from outside AWS to stop CloudTrail logging.

#include <fmt/format.h>

#include "tools/generator/activity.hpp"
#include "tools/generator/api_calls.hpp"
#include "tools/generator/population.hpp"

namespace keyward::generator {
namespace {

// Reads the leaked CI key may make; a discovery sweep walks them all within minutes.
const std::vector<std::pair<std::string, std::string>>& allowed_discovery() {
  static const std::vector<std::pair<std::string, std::string>> kCalls = {
      {"iam", "ListUsers"}, {"iam", "ListRoles"}, {"s3", "ListBuckets"}, {"ec2", "DescribeRegions"},
      {"ec2", "DescribeInstances"}, {"ec2", "DescribeSecurityGroups"}, {"ec2", "DescribeVpcs"},
      {"ec2", "DescribeSubnets"}, {"ec2", "DescribeSnapshots"}, {"ec2", "DescribeImages"},
      {"ec2", "DescribeKeyPairs"}, {"ec2", "DescribeVolumes"}, {"ec2", "DescribeAddresses"},
      {"lambda", "ListFunctions20150331"}, {"rds", "DescribeDBInstances"}, {"rds", "DescribeDBClusters"},
      {"dynamodb", "ListTables"}, {"sqs", "ListQueues"}, {"sns", "ListTopics"}, {"ecs", "ListClusters"},
      {"ecs", "ListServices"}, {"ecr", "DescribeRepositories"}, {"cloudformation", "ListStacks"},
      {"cloudformation", "DescribeStacks"}, {"elasticloadbalancing", "DescribeLoadBalancers"},
      {"logs", "DescribeLogGroups"}, {"secretsmanager", "ListSecrets"}};
  return kCalls;
}

// Reads outside the CI key's policy: each fails with an authorization error.
const std::vector<std::pair<std::string, std::string>>& denied_discovery() {
  static const std::vector<std::pair<std::string, std::string>> kCalls = {
      {"iam", "GetAccountAuthorizationDetails"}, {"iam", "ListAccessKeys"}, {"iam", "ListPolicies"},
      {"iam", "ListGroups"}, {"iam", "GetAccountSummary"}, {"iam", "ListAttachedUserPolicies"},
      {"iam", "ListUserPolicies"}, {"iam", "ListMFADevices"}, {"organizations", "DescribeOrganization"},
      {"organizations", "ListAccounts"}, {"kms", "ListKeys"}, {"kms", "ListAliases"},
      {"guardduty", "ListDetectors"}, {"cloudtrail", "DescribeTrails"}, {"cloudtrail", "GetTrailStatus"},
      {"ssm", "DescribeParameters"}, {"route53", "ListHostedZones"}, {"eks", "ListClusters"},
      {"iam", "ListServerCertificates"}, {"ec2", "GetPasswordData"}, {"s3", "GetBucketPolicy"}, {"config", "DescribeConfigRules"},
      {"backup", "ListBackupVaults"}, {"iam", "ListSAMLProviders"}};
  return kCalls;
}

struct Operator {
  Trail& trail;
  Principal principal;
  core::UnixTime time = 0;
  Rng& rng;

  void call(const ApiCall& api_call, int max_gap_seconds) {
    trail.add(principal, api_call, time, kPrimaryRegion, rng);
    time += rng.uniform(1, max_gap_seconds);
  }
};

ApiCall create_access_key(const Account& account, User& target, core::UnixTime time, Rng& rng) {
  AccessKey key = make_key(account, rng, time);
  ApiCall call = management_call("iam", "CreateAccessKey", false, {{"userName", target.name}});
  call.response = {{"accessKey",
                    {{"userName", target.name}, {"accessKeyId", key.id}, {"status", "Active"}, {"createDate", response_date(time)}}}};
  target.keys.push_back(key);  // the exports are taken after the attack and list the new key
  return call;
}

void leaked_ci_key(Account& account, Trail& trail, Rng& rng) {
  User& ci = *account.find_user(kLeakedCiUser);
  const std::string arn = account.user_arn(ci);
  const core::UnixTime start = core::day_start(account.end - 2 * core::kSecondsPerDay) + 2 * 3600 + 13 * 60 + 7;
  Operator attacker{trail, {}, start, rng};
  attacker.principal.user_identity = iam_user_identity(account, ci, ci.keys.front().id);
  attacker.principal.source_ip = random_ip(Network::hetzner_fi, rng);
  attacker.principal.agent = Agent::cli_kali;
  attacker.principal.key = &ci.keys.front();

  attacker.call(get_caller_identity(), 20);
  for (const auto& [service, name] : allowed_discovery()) attacker.call(management_call(service, name, true), 12);
  for (const auto& [service, name] : denied_discovery()) attacker.call(denied_call(service, name, arn), 6);
  const size_t secrets = std::min<size_t>(14, account.secrets.size());
  for (size_t i = 0; i < secrets; ++i) attacker.call(get_secret_value(account.secret_arn(account.secrets[i])), 8);

  User& admin = *account.find_user(kAdminPerson);
  attacker.call(create_access_key(account, admin, attacker.time, rng), 30);
  Role& target = *account.find_role(kEscalationTargetRole);
  const std::string administrator = "arn:aws:iam::aws:policy/AdministratorAccess";
  attacker.call(management_call("iam", "AttachRolePolicy", false, {{"roleName", target.name}, {"policyArn", administrator}}), 10);
  target.policy_arns.push_back(administrator);

  const std::string name = "leaked CI access key used from a hosting provider abroad";
  const std::pair<std::string, std::string> parts[] = {
      {": access key created for an admin", "aws.iam.credential_created_for_other_principal"},
      {": AdministratorAccess attached to a role", "aws.iam.write_by_machine"},
      {": 14 secrets read in minutes", "aws.secrets.read_burst"},
      {": discovery sweep", "aws.discovery.enumeration_burst"},
      {": burst of AccessDenied", "aws.api.access_denied_burst"},
      {": Kali Linux aws-cli", "client.offensive_user_agent"},
      {": first use from Finland", "network.new_country"},
      // The first call from Hetzner is GetCallerIdentity, and the engine keeps the platform's own
      // new-network alert for that event instead of network.new_asn.
      {": first use from Hetzner", "aws.sts.key_validated_from_new_network"},
  };
  for (const auto& [what, detector] : parts) {
    account.planted.push_back(planted_attack("aws", name + what, {detector}, arn, start, attacker.time));
  }
}

// Old weekly export runs, then the key sleeps until an outsider uses it.
void dormant_key(Account& account, Trail& trail, Rng& rng) {
  User& user = *account.find_user(kDormantUser);
  AccessKey& key = user.keys.front();
  const std::string bucket = account.bucket(user.app);
  Operator job{trail, {}, 0, rng};
  job.principal.user_identity = iam_user_identity(account, user, key.id);
  job.principal.source_ip = user.client.ips.front();
  job.principal.agent = Agent::legacy_python_sdk;
  job.principal.key = &key;
  for (int weeks = 3; weeks >= 0; --weeks) {
    job.time = core::day_start(account.end - (kDormantDays + 7 * weeks) * core::kSecondsPerDay) + 9 * 3600 + rng.uniform(0, 600);
    job.call(get_caller_identity(), 5);
    job.call(s3_list_objects(account, bucket, "exports/", kPrimaryRegion), 5);
    for (int i = 0; i < 3; ++i) job.call(s3_object_call(account, "PutObject", bucket, object_key("exports", job.time, rng), kPrimaryRegion, rng), 20);
  }

  const core::UnixTime reuse = core::day_start(account.end - core::kSecondsPerDay) + 16 * 3600 + 40 * 60 + 19;
  Operator intruder{trail, job.principal, reuse, rng};
  intruder.principal.source_ip = random_ip(Network::digitalocean_sg, rng);
  intruder.principal.agent = Agent::python_sdk;
  intruder.call(get_caller_identity(), 15);
  intruder.call(management_call("s3", "ListBuckets", true, {{"Host", "s3.amazonaws.com"}}), 15);
  intruder.call(s3_list_objects(account, bucket, "", kPrimaryRegion), 10);
  for (int i = 0; i < 6; ++i) {
    intruder.call(s3_object_call(account, "GetObject", bucket, object_key("exports", job.time, rng), kPrimaryRegion, rng), 4);
  }
  account.planted.push_back(planted_attack("aws", fmt::format("access key unused for {} days used again from Singapore", kDormantDays),
                                           {"credential.dormant_reuse", "aws.sts.key_validated_from_new_network"},
                                           account.user_arn(user), reuse, intruder.time));
}

void stopped_trail(Account& account, Trail& trail, Rng& rng) {
  Role& jenkins = *account.find_role(kCompromisedRole);
  const std::string trail_arn = fmt::format("arn:aws:cloudtrail:{}:{}:trail/{}", kPrimaryRegion, account.id, kTrailName);
  const core::UnixTime start = core::day_start(account.end - core::kSecondsPerDay) + 3 * 3600 + 5 * 60 + 11;
  const long long block = start / kInstanceCredentialPeriod;
  const std::string key = session_key_id(account, jenkins.name, block);

  Operator intruder{trail, {}, start, rng};
  intruder.principal.user_identity = assumed_role_identity(account, jenkins, instance_id(jenkins), key,
                                                           credential_issue_time(jenkins, block), true);
  intruder.principal.source_ip = random_ip(Network::digitalocean_nl, rng);
  intruder.principal.agent = Agent::cli_linux;
  intruder.principal.role = &jenkins;
  intruder.call(get_caller_identity(), 30);
  intruder.call(management_call("cloudtrail", "DescribeTrails", true), 20);
  intruder.call(management_call("cloudtrail", "GetTrailStatus", true, {{"name", trail_arn}}), 40);
  intruder.call(management_call("cloudtrail", "StopLogging", false, {{"name", trail_arn}}), 5);

  // The guard function notices the stopped trail and restarts it a few minutes later.
  Role& guard = *account.find_role(kGuardRole);
  const core::UnixTime restart = intruder.time + 180 + rng.uniform(0, 60);
  const std::string guard_key = session_key_id(account, guard.name, restart);
  add_service_assume_role(account, trail, guard, "cloudtrail-guard", guard_key, restart, rng);
  Principal remediation;
  remediation.user_identity = assumed_role_identity(account, guard, "cloudtrail-guard", guard_key, restart, false);
  remediation.source_ip = account.nat_ips[0];
  remediation.agent = Agent::python_sdk_lambda;
  remediation.role = &guard;
  trail.add(remediation, management_call("cloudtrail", "StartLogging", false, {{"name", trail_arn}}), restart + 2,
            kPrimaryRegion, rng);
  account.planted.push_back(planted_attack("aws", "stolen Jenkins instance credentials stop CloudTrail logging",
                                           {"aws.cloudtrail.logging_tampered", "aws.credential.workload_outside_aws",
                                            "network.new_asn", "network.new_country"},
                                           account.role_arn(jenkins), start, intruder.time));
}

}  // namespace

void inject_attacks(Account& account, Trail& trail, const Rng& base) {
  Rng rng = base.fork("attacks");
  leaked_ci_key(account, trail, rng);
  dormant_key(account, trail, rng);
  stopped_trail(account, trail, rng);
}

}  // namespace keyward::generator
