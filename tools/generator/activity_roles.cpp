// Traffic of roles that AWS services assume: Lambda functions, ECS tasks, EC2 instances and
// service-linked roles. Federated and cross-account roles are in activity_federation.cpp.

#include <fmt/format.h>

#include <algorithm>

#include "tools/generator/activity.hpp"
#include "tools/generator/api_calls.hpp"
#include "tools/generator/population.hpp"

namespace keyward::generator {

// Defined in activity_federation.cpp.
void generate_federated_day(Account& account, Trail& trail, Role& role, core::UnixTime day, Rng& rng);

namespace {

// The function name a Lambda execution role belongs to: "orders-sync-role-ab12cd34" and
// "orders-sync-lambda-role" both give "orders-sync".
std::string function_name(const Role& role) {
  for (std::string_view suffix : {"-lambda-role", "-role-", "-role"}) {
    const size_t at = role.name.rfind(suffix);
    if (at != std::string::npos && at > 0) return role.name.substr(0, at);
  }
  return role.name;
}

Principal session_principal(const Account& account, Role& role, std::string_view session_name, std::string_view key,
                            core::UnixTime session_start, bool instance) {
  Principal principal;
  principal.user_identity = assumed_role_identity(account, role, session_name, key, session_start, instance);
  principal.source_ip = role.client.ips.empty() ? account.nat_ips[0] : role.client.ips.front();
  principal.agent = role.client.agents.empty() ? Agent::go_sdk : role.client.agents.front();
  principal.role = &role;
  return principal;
}

ApiCall role_call(const Account& account, const Role& role, const AppResources& resources, core::UnixTime time, Rng& rng) {
  if (role.app == "cloudtrail-guard") {
    return management_call("cloudtrail", "GetTrailStatus", true,
                           {{"name", fmt::format("arn:aws:cloudtrail:{}:{}:trail/{}", kPrimaryRegion, account.id, kTrailName)}});
  }
  if (role.app == "artifacts") {  // build agents: images, artifacts, deploy status
    switch (rng.weighted({30, 40, 20, 10})) {
      case 0: return management_call("ecr", "GetAuthorizationToken", true);
      case 1: return s3_object_call(account, "PutObject", resources.bucket, object_key("builds", time, rng), resources.region, rng);
      case 2: return management_call("ecs", "DescribeServices", true, {{"cluster", "prod"}, {"services", {"api"}}});
      default: return get_caller_identity();
    }
  }
  return app_service_call(account, resources, time, rng);
}

// Cold starts of a function: each takes new credentials, reads its secret once, then serves calls.
void lambda_day(Account& account, Trail& trail, Role& role, core::UnixTime day, Rng& rng) {
  const AppResources resources = app_resources(account, role.app, role.region);
  const std::string function = function_name(role);
  const bool guard = role.app == "cloudtrail-guard";
  const int sessions = guard ? 4 : static_cast<int>(rng.uniform(1, 2));
  const int calls = guard ? 1 : std::max(1, role.daily_events / sessions);
  for (int session = 0; session < sessions; ++session) {
    const core::UnixTime start = guard ? day + session * 6 * 3600 + 300 : day + rng.uniform(0, core::kSecondsPerDay - 4 * 3600);
    const std::string key = session_key_id(account, role.name, start);
    add_service_assume_role(account, trail, role, function, key, start, rng);
    Principal principal = session_principal(account, role, function, key, start, false);
    if (!guard) {
      for (const auto& call : app_startup_calls(resources)) trail.add(principal, call, start + 1, role.region, rng);
    }
    for (int i = 0; i < calls; ++i) {
      const core::UnixTime time = start + 2 + rng.uniform(0, 4 * 3600);
      trail.add(principal, role_call(account, role, resources, time, rng), time, role.region, rng);
    }
  }
}

// ECS tasks and EC2 instances: credentials rotate every period under one session name.
void container_day(Account& account, Trail& trail, Role& role, core::UnixTime day, Rng& rng) {
  const bool instance = role.workload == Workload::ec2_instance;
  const AppResources resources = app_resources(account, role.app, role.region);
  const long long task_generation = day / (3 * core::kSecondsPerDay);  // a new deployment every three days
  const std::string session = instance ? instance_id(role) : Rng(0).fork(fmt::format("{}/{}", role.id, task_generation)).hex(32);
  const int periods = static_cast<int>(core::kSecondsPerDay / kInstanceCredentialPeriod);
  const int per_period = (role.daily_events + periods - 1) / periods;
  for (core::UnixTime start = day; start < day + core::kSecondsPerDay; start += kInstanceCredentialPeriod) {
    const long long block = start / kInstanceCredentialPeriod;
    const std::string key = session_key_id(account, role.name, block);
    const core::UnixTime issued = credential_issue_time(role, block);
    add_service_assume_role(account, trail, role, session, key, issued, rng);
    Principal principal = session_principal(account, role, session, key, issued, instance);
    if (per_period > 0 && role.app != "artifacts") {
      for (const auto& call : app_startup_calls(resources)) trail.add(principal, call, issued + 5, role.region, rng);
    }
    for (int i = 0; i < per_period; ++i) {
      const core::UnixTime time = issued + rng.uniform(10, kInstanceCredentialPeriod - 200);
      trail.add(principal, role_call(account, role, resources, time, rng), time, role.region, rng);
    }
  }
}

ApiCall service_linked_call(const Account& account, const Role& role, Rng& rng) {
  const bool first = rng.chance(0.5);
  if (role.service == "autoscaling.amazonaws.com") {
    return management_call("ec2", first ? "DescribeInstances" : "DescribeInstanceStatus", true);
  }
  if (role.service == "ecs.amazonaws.com") {
    return first ? management_call("ec2", "DescribeNetworkInterfaces", true)
                 : management_call("elasticloadbalancing", "RegisterTargets", false,
                                   {{"targetGroupArn", fmt::format("arn:aws:elasticloadbalancing:{}:{}:targetgroup/api-prod/{}", role.region,
                                                                    account.id, Rng(0).fork(account.id).hex(16))},
                                    {"targets", Json::array({{{"id", "10.0.12.34"}, {"port", 8080}}})}});
  }
  if (role.service == "trustedadvisor.amazonaws.com") {
    return management_call(first ? "cloudtrail" : "ec2", first ? "DescribeTrails" : "DescribeSecurityGroups", true);
  }
  if (role.service == "guardduty.amazonaws.com") {
    return management_call("ec2", first ? "DescribeInstances" : "DescribeVpcEndpoints", true);
  }
  return management_call("ec2", "DescribeNetworkInterfaces", true);
}

void service_linked_day(Account& account, Trail& trail, Role& role, core::UnixTime day, Rng& rng) {
  std::string session = role.name.substr(std::string_view("AWSServiceRoleFor").size());
  const std::string key = session_key_id(account, role.name, day);
  Principal principal = session_principal(account, role, session, key, day + 60, false);
  principal.user_identity["invokedBy"] = role.service;
  principal.source_ip = role.service;
  principal.user_agent = role.service;
  principal.tls = false;
  for (int i = 0; i < role.daily_events; ++i) {
    const core::UnixTime time = day + 120 + rng.uniform(0, core::kSecondsPerDay - 240);
    trail.add(principal, service_linked_call(account, role, rng), time, role.region, rng);
  }
}

}  // namespace

void generate_role_activity(Account& account, Trail& trail, const Rng& base) {
  const std::vector<core::UnixTime> days = activity_days(account);
  for (auto& role : account.roles) {
    if (role.workload == Workload::none) continue;
    Rng rng = base.fork("activity/role/" + role.name);
    for (const core::UnixTime day : days) {
      if (!rng.chance(role.active_day_chance)) continue;
      switch (role.workload) {
        case Workload::lambda_function: lambda_day(account, trail, role, day, rng); break;
        case Workload::ecs_task:
        case Workload::ec2_instance: container_day(account, trail, role, day, rng); break;
        case Workload::service_linked: service_linked_day(account, trail, role, day, rng); break;
        default: generate_federated_day(account, trail, role, day, rng); break;
      }
    }
  }
}

}  // namespace keyward::generator
