// The planted machine users: each carries one posture problem or is the target of one attack,
// and is listed in Account::planted with the check that should report it.

#include <fmt/format.h>

#include "tools/generator/policies.hpp"
#include "tools/generator/population.hpp"

namespace keyward::generator {
namespace {

void add_ci_deploy(Account& account, Rng& rng) {
  User user = new_user(account, rng, std::string(kLeakedCiUser), true, 640);
  user.workload = Workload::ci_pipeline;
  user.app = "artifacts";
  user.keys.push_back(make_key(account, rng, days_before_end(account, 212)));
  user.policy_arns.push_back(add_customer_policy(account, rng, "ci-deploy-policy", ci_deploy_document(account),
                                                 user.created + core::kSecondsPerDay, 3));
  user.client = {{random_ip(Network::aws_us_east_1, rng)}, {Agent::cli_linux}};
  user.daily_events = 30;
  user.tags = {{"team", "platform"}, {"purpose", "self-hosted GitHub Actions runners"}};
  plant(account, "CI user may create access keys for any user", "aws.iam.privilege_escalation", account.user_arn(user));
  account.users.push_back(std::move(user));
}

void add_dormant_exporter(Account& account, Rng& rng) {
  User user = new_user(account, rng, std::string(kDormantUser), true, 980);
  user.app = "exports";
  user.keys.push_back(make_key(account, rng, days_before_end(account, 702)));
  user.policy_arns.push_back(
      add_customer_policy(account, rng, "legacy-export-access", app_access_document(account, "exports", kPrimaryRegion),
                          user.created + 3600));
  add_app_secret(account, "exports");
  user.client = {{account.office_ips[0]}, {Agent::legacy_python_sdk}};
  user.tags = {{"team", "data"}, {"owner", "former-employee"}};
  account.users.push_back(std::move(user));
}

void add_console_machine(Account& account, Rng& rng) {
  User user = new_user(account, rng, std::string(kConsoleMachineUser), true, 820);
  user.workload = Workload::app_service;
  user.app = "reporting";
  user.password = true;
  user.password_changed = days_before_end(account, 433);
  user.password_last_used = days_before_end(account, 214) + rng.uniform(0, 40000);
  user.keys.push_back(make_key(account, rng, days_before_end(account, 433)));
  user.policy_arns.push_back(add_customer_policy(account, rng, "reporting-access",
                                                 app_access_document(account, "reporting", kPrimaryRegion),
                                                 user.created + 7200));
  add_app_secret(account, "reporting");
  user.client = {{random_ip(Network::gcp_us_central1, rng)}, {Agent::python_sdk}};
  user.daily_events = 14;
  user.tags = {{"team", "finance-engineering"}};
  plant(account, "service user with a console password", "aws.identity.machine_with_console_password",
        account.user_arn(user));
  account.users.push_back(std::move(user));
}

void add_shared_key(Account& account, Rng& rng) {
  User user = new_user(account, rng, std::string(kSharedKeyUser), true, 760);
  user.workload = Workload::shared_automation;
  user.app = "automation";
  user.keys.push_back(make_key(account, rng, days_before_end(account, 505)));
  user.policy_arns.push_back(add_customer_policy(account, rng, "automation-access",
                                                 app_access_document(account, "automation", kPrimaryRegion),
                                                 user.created + 600, 2));
  add_app_secret(account, "automation");
  // One key pasted into several teams' scripts: many networks and several SDKs.
  user.client.ips = {account.office_ips[1],                   random_ip(Network::comcast_us, rng),
                     random_ip(Network::aws_us_east_1, rng),  random_ip(Network::gcp_us_central1, rng),
                     random_ip(Network::verizon_us, rng),     random_ip(Network::azure_us_east, rng)};
  user.client.agents = {Agent::python_sdk, Agent::go_sdk, Agent::cli_linux, Agent::node_sdk};
  user.daily_events = 24;
  plant(account, "one access key used from many networks and clients", "aws.access_key.shared",
        account.user_arn(user));
  account.users.push_back(std::move(user));
}

void add_terraform(Account& account, Rng& rng) {
  User user = new_user(account, rng, std::string(kTerraformUser), true, 1300);
  user.workload = Workload::terraform;
  user.app = "terraform-state";
  user.keys.push_back(make_key(account, rng, days_before_end(account, 404)));
  user.policy_arns.push_back(aws_policy_arn("/", "AdministratorAccess"));
  user.client = {{random_ip(Network::aws_us_east_1, rng)}, {Agent::terraform}};
  user.daily_events = 22;
  user.tags = {{"team", "platform"}, {"managed-by", "hand"}};
  plant(account, "Terraform user with AdministratorAccess", "aws.iam.admin_or_wildcard", account.user_arn(user));
  plant(account, "access key not rotated for 404 days", "aws.access_key.not_rotated", account.user_arn(user));
  account.users.push_back(std::move(user));
}

void add_lambda_deployer(Account& account, Rng& rng) {
  User user = new_user(account, rng, std::string(kLambdaDeployerUser), true, 530);
  user.workload = Workload::ci_pipeline;
  user.app = "functions";
  user.keys.push_back(make_key(account, rng, days_before_end(account, 77)));
  user.policy_arns.push_back(
      add_customer_policy(account, rng, "lambda-deployer", lambda_deployer_document(), user.created + 900));
  user.client = {{random_ip(Network::azure_us_east, rng)}, {Agent::node_sdk}};
  user.daily_events = 12;
  account.users.push_back(std::move(user));
}

void add_two_key_backup(Account& account, Rng& rng) {
  User user = new_user(account, rng, std::string(kTwoKeyUser), true, 1100);
  user.workload = Workload::backup;
  user.app = "backups";
  // Rotation started 24 days ago but the old key was never deactivated: both are in use.
  user.keys.push_back(make_key(account, rng, days_before_end(account, 388)));
  user.keys.push_back(make_key(account, rng, days_before_end(account, 24)));
  user.policy_arns.push_back(
      add_customer_policy(account, rng, "backup-operator", backup_document(account), user.created + 1200, 2));
  user.client = {account.office_ips, {Agent::python_sdk}};
  user.daily_events = 26;
  plant(account, "two active access keys", "aws.access_key.multiple_active", account.user_arn(user));
  account.users.push_back(std::move(user));
}

void add_wildcard_legacy(Account& account, Rng& rng) {
  User user = new_user(account, rng, std::string(kWildcardUser), true, 1650);
  user.keys.push_back(make_key(account, rng, days_before_end(account, 906)));
  set_last_used_before_window(user.keys.back(), account, rng, 301);
  user.inline_policies.push_back({"legacy-full-access", policy_document({allow({"*"}, {"*"})})});
  user.tags = {{"team", "platform"}};
  plant(account, "access key unused for 301 days", "aws.access_key.unused", account.user_arn(user));
  account.users.push_back(std::move(user));
}

void add_never_used(Account& account, Rng& rng) {
  User user = new_user(account, rng, std::string(kNeverUsedUser), true, 183);
  user.keys.push_back(make_key(account, rng, days_before_end(account, 182)));
  user.policy_arns.push_back(add_customer_policy(account, rng, "crm-sync-access",
                                                 app_access_document(account, "crm", kPrimaryRegion), user.created + 300));
  user.tags = {{"vendor", "legacy CRM sync"}};
  plant(account, "access key never used since its creation 182 days ago", "aws.access_key.never_used",
        account.user_arn(user));
  account.users.push_back(std::move(user));
}

}  // namespace

void add_planted_users(Account& account, Rng& rng) {
  add_ci_deploy(account, rng);
  add_dormant_exporter(account, rng);
  add_console_machine(account, rng);
  add_shared_key(account, rng);
  add_terraform(account, rng);
  add_lambda_deployer(account, rng);
  add_two_key_backup(account, rng);
  add_wildcard_legacy(account, rng);
  add_never_used(account, rng);
}

}  // namespace keyward::generator
