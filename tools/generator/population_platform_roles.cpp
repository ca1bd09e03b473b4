// The platform team's named roles and the generated application roles.

#include <fmt/format.h>

#include <set>

#include "tools/generator/names.hpp"
#include "tools/generator/policies.hpp"
#include "tools/generator/population.hpp"

namespace keyward::generator {
namespace {

constexpr std::string_view kInfraRepository = "brightline/platform-infra";

Json trail_guard_document(const Account& account) {
  const std::string trail = fmt::format("arn:aws:cloudtrail:{}:{}:trail/{}", kPrimaryRegion, account.id, kTrailName);
  return policy_document({allow({"cloudtrail:StartLogging", "cloudtrail:GetTrailStatus"}, {trail})});
}

Json github_deploy_document(const Account& account) {
  return policy_document({
      allow({"ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload",
             "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"},
            {"*"}),
      allow({"ecs:DescribeServices", "ecs:RegisterTaskDefinition", "ecs:UpdateService"}, {"*"}),
      allow({"s3:PutObject", "s3:GetObject"}, {"arn:aws:s3:::" + account.bucket("artifacts") + "/*"}),
  });
}

void add_jenkins_and_guard(Account& account, Rng& rng) {
  Role jenkins = new_role(account, rng, std::string(kCompromisedRole), "/", 1200, service_trust("ec2.amazonaws.com"));
  jenkins.description = "Jenkins build agents";
  jenkins.policy_arns = {aws_policy_arn("/", "PowerUserAccess"), aws_policy_arn("/", "AmazonSSMManagedInstanceCore")};
  give_instance_profile(account, rng, jenkins);
  jenkins.workload = Workload::ec2_instance;
  jenkins.app = "artifacts";
  jenkins.service = "ec2.amazonaws.com";
  jenkins.client = {{random_ip(Network::aws_us_east_1, rng)}, {Agent::cli_linux}};
  jenkins.daily_events = 14;
  jenkins.tags = {{"team", "platform"}};
  account.roles.push_back(std::move(jenkins));

  Role guard = new_role(account, rng, std::string(kGuardRole), "/service-role/", 600, service_trust("lambda.amazonaws.com"));
  guard.description = "Restarts the organization trail when logging stops";
  guard.policy_arns = {aws_policy_arn("/service-role/", "AWSLambdaBasicExecutionRole")};
  guard.inline_policies = {{"restart-trail", trail_guard_document(account)}};
  guard.workload = Workload::lambda_function;
  guard.app = "cloudtrail-guard";
  guard.service = "lambda.amazonaws.com";
  guard.client = {{account.nat_ips[0]}, {Agent::python_sdk_lambda}};
  account.roles.push_back(std::move(guard));

  Role reporting = new_role(account, rng, std::string(kEscalationTargetRole), "/", 700, service_trust("lambda.amazonaws.com"));
  reporting.policy_arns = {aws_policy_arn("/service-role/", "AWSLambdaBasicExecutionRole")};
  reporting.inline_policies = {{"reporting-access", app_access_document(account, "reporting", kPrimaryRegion)}};
  reporting.workload = Workload::lambda_function;
  reporting.app = "reporting";
  reporting.service = "lambda.amazonaws.com";
  reporting.client = {{account.nat_ips[1]}, {Agent::python_sdk_lambda}};
  reporting.daily_events = 6;
  account.roles.push_back(std::move(reporting));
}

void add_cross_account_roles(Account& account, Rng& rng) {
  const int window = static_cast<int>((account.end - account.start) / core::kSecondsPerDay);

  Role github = new_role(account, rng, "github-actions-deploy", "/", 500, github_oidc_trust(account, kInfraRepository));
  github.inline_policies = {{"deploy", github_deploy_document(account)}};
  github.workload = Workload::github_oidc;
  github.app = "artifacts";
  github.client.agents = {Agent::cli_linux};
  github.daily_events = 10;
  account.roles.push_back(std::move(github));

  Role audit = new_role(account, rng, "security-audit", "/", 1400, account_trust(account.security_account_id, false, ""));
  audit.description = "Read-only posture scans from the security account";
  audit.inline_policies = {{"audit-read", audit_document()}};
  audit.workload = Workload::cross_account_audit;
  audit.client = {{random_ip(Network::aws_us_east_1, rng)}, {Agent::python_sdk}};
  audit.daily_events = 14;
  account.roles.push_back(std::move(audit));

  Role datadog = new_role(account, rng, "DatadogIntegrationRole", "/", 1000,
                          account_trust(kDatadogAccount, false, rng.hex(32)));
  datadog.policy_arns = {
      add_customer_policy(account, rng, "DatadogAWSIntegrationPolicy", datadog_document(), datadog.created + 60, 2)};
  datadog.workload = Workload::vendor_integration;
  datadog.client = {{random_ip(Network::aws_us_east_1, rng), random_ip(Network::aws_us_east_1, rng)}, {Agent::datadog}};
  datadog.daily_events = 24;
  datadog.tags = {{"vendor", "datadog"}};
  account.roles.push_back(std::move(datadog));

  Role organization = new_role(account, rng, "OrganizationAccountAccessRole", "/", 2390,
                               account_trust(account.management_account_id, false, ""));
  organization.policy_arns = {aws_policy_arn("/", "AdministratorAccess")};
  set_role_last_used_before_window(organization, account, rng, window + 47);
  account.roles.push_back(std::move(organization));

  Role breakglass = new_role(account, rng, "ops-breakglass", "/", 1800, account_trust(account.id, true, ""));
  breakglass.description = "Emergency administrator access; requires MFA";
  breakglass.policy_arns = {aws_policy_arn("/", "AdministratorAccess")};
  account.roles.push_back(std::move(breakglass));

  Role execution = new_role(account, rng, "ecsTaskExecutionRole", "/", 1500, service_trust("ecs-tasks.amazonaws.com"));
  execution.policy_arns = {aws_policy_arn("/service-role/", "AmazonECSTaskExecutionRolePolicy")};
  execution.workload = Workload::ecs_task;
  execution.service = "ecs-tasks.amazonaws.com";
  account.roles.push_back(std::move(execution));
}

const std::vector<std::string>& function_suffixes() {
  static const std::vector<std::string> kSuffixes = {"processor", "handler", "worker",   "sync",     "cleanup",
                                                     "notifier",  "resizer", "exporter", "importer", "scheduler"};
  return kSuffixes;
}

Role make_lambda_role(Account& account, Rng& rng, const std::string& app, std::set<std::string>& taken) {
  std::string function = app + "-" + rng.pick(function_suffixes());
  const bool console_made = rng.chance(0.5);
  std::string name = console_made ? fmt::format("{}-role-{}", function, rng.text(8, "abcdefghijklmnopqrstuvwxyz0123456789"))
                                  : function + "-lambda-role";
  while (taken.count(name)) name += "-2";
  Role role = new_role(account, rng, name, console_made ? "/service-role/" : "/", rng.uniform(60, 1500),
                       service_trust("lambda.amazonaws.com"));
  const bool in_vpc = rng.chance(0.4);
  role.policy_arns = {aws_policy_arn("/service-role/", in_vpc ? "AWSLambdaVPCAccessExecutionRole" : "AWSLambdaBasicExecutionRole")};
  role.workload = Workload::lambda_function;
  role.service = "lambda.amazonaws.com";
  role.app = app;
  role.client.ips = {in_vpc ? account.nat_ips[rng.uniform(0, 1)] : random_ip(Network::aws_us_east_1, rng)};
  role.client.agents = {rng.chance(0.6) ? Agent::python_sdk_lambda : Agent::node_sdk};
  role.daily_events = static_cast<int>(rng.uniform(2, 6));
  role.description = "Execution role of the " + function + " function";
  return role;
}

Role make_container_role(Account& account, Rng& rng, const std::string& app, bool ecs, std::set<std::string>& taken) {
  std::string name = app + (ecs ? "-task-role" : "-ec2-role");
  while (taken.count(name)) name += "-2";
  Role role = new_role(account, rng, name, "/", rng.uniform(90, 1700),
                       service_trust(ecs ? "ecs-tasks.amazonaws.com" : "ec2.amazonaws.com"));
  role.workload = ecs ? Workload::ecs_task : Workload::ec2_instance;
  role.service = ecs ? "ecs-tasks.amazonaws.com" : "ec2.amazonaws.com";
  role.app = app;
  if (!ecs) {
    role.policy_arns = {aws_policy_arn("/", "AmazonSSMManagedInstanceCore")};
    give_instance_profile(account, rng, role);
  }
  role.client.ips = {rng.chance(0.7) ? account.nat_ips[rng.uniform(0, 1)] : random_ip(Network::aws_us_east_1, rng)};
  const Agent main_language = ecs ? Agent::java_sdk : Agent::python_sdk;
  role.client.agents = {rng.chance(0.5) ? main_language : Agent::go_sdk};
  role.daily_events = static_cast<int>(rng.uniform(2, 10));
  return role;
}

}  // namespace

void add_platform_roles(Account& account, Rng& rng) {
  add_jenkins_and_guard(account, rng);
  add_cross_account_roles(account, rng);
}

void add_generated_roles(Account& account, Rng& rng, int count) {
  const int window = static_cast<int>((account.end - account.start) / core::kSecondsPerDay);
  std::set<std::string> taken;
  for (const auto& role : account.roles) taken.insert(role.name);
  for (int i = 0; i < count; ++i) {
    const std::string& app = rng.pick(app_names());
    const size_t kind = rng.weighted({45, 35, 20});
    Role role = kind == 0 ? make_lambda_role(account, rng, app, taken) : make_container_role(account, rng, app, kind == 1, taken);
    taken.insert(role.name);
    role.inline_policies.push_back({app + "-access", app_access_document(account, app, kPrimaryRegion)});
    add_app_secret(account, app);
    if (rng.chance(kind == 0 ? 0.15 : 0.1)) {
      // The function or service was removed but its role stayed.
      role.workload = Workload::none;
      if (rng.chance(0.7)) set_role_last_used_before_window(role, account, rng, window + static_cast<int>(rng.uniform(60, 400)));
    }
    account.roles.push_back(std::move(role));
  }
}

}  // namespace keyward::generator
