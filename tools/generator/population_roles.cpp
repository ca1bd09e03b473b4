// IAM roles: service-linked roles, the platform's named roles (CI, audit, vendor, break-glass,
// SSO) and generated Lambda, ECS task and EC2 instance roles.

#include <fmt/format.h>

#include <set>

#include "tools/generator/names.hpp"
#include "tools/generator/policies.hpp"
#include "tools/generator/population.hpp"

namespace keyward::generator {
namespace {

constexpr std::string_view kSsoDomain = "brightline.example";

struct ServiceLinkedRole {
  std::string_view name;
  std::string_view service;
  std::string_view policy;
  std::string_view description;
  int daily_events;
};

constexpr ServiceLinkedRole kServiceLinkedRoles[] = {
    {"AWSServiceRoleForAutoScaling", "autoscaling.amazonaws.com", "AutoScalingServiceRolePolicy",
     "Lets Auto Scaling launch, tag and terminate instances for the account's groups", 4},
    {"AWSServiceRoleForECS", "ecs.amazonaws.com", "AmazonECSServiceRolePolicy",
     "Lets ECS manage network interfaces and load balancer targets for services", 5},
    {"AWSServiceRoleForElasticLoadBalancing", "elasticloadbalancing.amazonaws.com",
     "AWSElasticLoadBalancingServiceRolePolicy", "Lets Elastic Load Balancing manage its network interfaces", 2},
    {"AWSServiceRoleForRDS", "rds.amazonaws.com", "AmazonRDSServiceRolePolicy",
     "Lets RDS manage the network resources of database instances", 0},
    {"AWSServiceRoleForSupport", "support.amazonaws.com", "AWSSupportServiceRolePolicy",
     "Lets AWS Support read resource configuration for support cases", 0},
    {"AWSServiceRoleForTrustedAdvisor", "trustedadvisor.amazonaws.com", "AWSTrustedAdvisorServiceRolePolicy",
     "Lets Trusted Advisor check the account's resources", 2},
    {"AWSServiceRoleForOrganizations", "organizations.amazonaws.com", "AWSOrganizationsServiceTrustPolicy",
     "Lets AWS Organizations reach the member account", 0},
    {"AWSServiceRoleForAmazonGuardDuty", "guardduty.amazonaws.com", "AmazonGuardDutyServiceRolePolicy",
     "Lets GuardDuty read the resource metadata its findings need", 3},
};

void add_service_linked_roles(Account& account, Rng& rng) {
  const int window = static_cast<int>((account.end - account.start) / core::kSecondsPerDay);
  for (const auto& entry : kServiceLinkedRoles) {
    Role role = new_role(account, rng, std::string(entry.name), fmt::format("/aws-service-role/{}/", entry.service),
                         rng.uniform(400, 2000), service_trust(entry.service));
    role.description = std::string(entry.description);
    role.policy_arns = {aws_policy_arn("/aws-service-role/", entry.policy)};
    role.service = std::string(entry.service);
    role.workload = entry.daily_events > 0 ? Workload::service_linked : Workload::none;
    role.daily_events = entry.daily_events;
    if (entry.daily_events == 0 && entry.name != "AWSServiceRoleForOrganizations") {
      set_role_last_used_before_window(role, account, rng, window + static_cast<int>(rng.uniform(5, 90)));
    }
    account.roles.push_back(std::move(role));
  }
}

void add_sso_roles(Account& account, Rng& rng) {
  const std::string provider = fmt::format("AWSSSO_{}_DO_NOT_DELETE", rng.hex(16));
  const std::pair<std::string_view, std::string> sets[] = {
      {"AdministratorAccess", aws_policy_arn("/", "AdministratorAccess")},
      {"PowerUserAccess", aws_policy_arn("/", "PowerUserAccess")},
      {"ReadOnlyAccess", aws_policy_arn("/", "AmazonS3ReadOnlyAccess")},
  };
  for (const auto& [set, policy] : sets) {
    Role role = new_role(account, rng, fmt::format("AWSReservedSSO_{}_{}", set, rng.hex(16)),
                         "/aws-reserved/sso.amazonaws.com/", 900, sso_trust(account, provider));
    role.description = "Created by AWS IAM Identity Center for the permission set " + std::string(set);
    role.policy_arns = {policy};
    role.max_session_seconds = 43200;
    role.workload = Workload::sso_console;
    role.daily_events = set == "AdministratorAccess" ? 4 : 10;
    role.active_day_chance = set == "AdministratorAccess" ? 0.25 : 0.8;
    role.service = std::string(kSsoDomain);  // session names are people's addresses in this domain
    role.client.agents = {Agent::browser_chrome_mac, Agent::console_internal};
    account.roles.push_back(std::move(role));
  }
}

}  // namespace

Role new_role(Account& account, Rng& rng, std::string name, std::string path, double created_days_ago, Json trust) {
  Role role;
  role.name = std::move(name);
  role.path = std::move(path);
  role.id = make_unique_id("AROA", account, rng);
  role.created = days_before_end(account, created_days_ago) + rng.uniform(0, 30000);
  role.trust_policy = std::move(trust);
  return role;
}

void set_role_last_used_before_window(Role& role, const Account& account, Rng& rng, int days) {
  const core::UnixTime used = days_before_end(account, days) + rng.uniform(0, 40000);
  if (used <= role.created) return;
  role.last_used = std::min(used, account.start - 1);
  role.last_used_region = std::string(kPrimaryRegion);
}

void give_instance_profile(Account& account, Rng& rng, Role& role) {
  role.instance_profile = role.name;
  role.instance_profile_id = make_unique_id("AIPA", account, rng);
}

void add_roles(Account& account, Rng& rng, int count) {
  add_service_linked_roles(account, rng);
  add_sso_roles(account, rng);
  add_platform_roles(account, rng);
  add_generated_roles(account, rng, count - static_cast<int>(account.roles.size()));
}

}  // namespace keyward::generator
