// Daily traffic of the machine users: application services, CI, Terraform, backups, monitoring
// and data pipelines, each from its own stable networks with its own SDK.

#include <fmt/format.h>

#include "tools/generator/activity.hpp"
#include "tools/generator/api_calls.hpp"

namespace keyward::generator {

// Defined in activity_people.cpp.
void generate_person_day(Account& account, Trail& trail, User& user, core::UnixTime day, Rng& rng);

namespace {

// One identity's calls on one day, sharing the principal and the resources.
struct UserDay {
  Account& account;
  Trail& trail;
  User& user;
  AppResources resources;
  Principal principal;
  core::UnixTime day = 0;
  Rng& rng;

  void call(const ApiCall& api_call, core::UnixTime time) {
    if (time >= account.end) return;
    trail.add(principal, api_call, time, user.region, rng);
  }
  // Runs `calls` one after another from `start`, a few seconds apart.
  void sequence(const std::vector<ApiCall>& calls, core::UnixTime start, int max_gap_seconds) {
    core::UnixTime time = start;
    for (const auto& api_call : calls) {
      call(api_call, time);
      time += rng.uniform(1, max_gap_seconds);
    }
  }
};

AccessKey* pick_key(User& user, Rng& rng) {
  std::vector<AccessKey*> active;
  for (auto& key : user.keys) {
    if (key.active) active.push_back(&key);
  }
  if (active.empty()) return nullptr;
  return active[static_cast<size_t>(rng.uniform(0, static_cast<std::int64_t>(active.size()) - 1))];
}

int jitter(int count, Rng& rng) { return static_cast<int>(rng.uniform(count * 7 / 10, count * 13 / 10 + 1)); }

void app_service_day(UserDay& day, bool shared) {
  day.sequence(app_startup_calls(day.resources), day.day + day.rng.uniform(0, 900), 3);
  const int count = jitter(day.user.daily_events, day.rng);
  for (int i = 0; i < count; ++i) {
    if (shared) {
      day.principal.source_ip = day.rng.pick(day.user.client.ips);
      day.principal.agent = day.rng.pick(day.user.client.agents);
    }
    const core::UnixTime time = day.day + day.rng.uniform(0, core::kSecondsPerDay - 1);
    day.call(app_service_call(day.account, day.resources, time, day.rng), time);
  }
}

std::vector<ApiCall> container_deploy(const Account& account, const AppResources& resources, std::string_view service,
                                      core::UnixTime time, Rng& rng) {
  const std::string repository = fmt::format("{}/{}", account.company, service);
  const std::string cluster = fmt::format("arn:aws:ecs:{}:{}:cluster/prod", resources.region, account.id);
  std::vector<ApiCall> calls = {
      get_caller_identity(),
      management_call("ecr", "GetAuthorizationToken", true),
      management_call("ecr", "BatchCheckLayerAvailability", true, {{"repositoryName", repository}}),
      management_call("ecr", "InitiateLayerUpload", false, {{"repositoryName", repository}}),
      management_call("ecr", "UploadLayerPart", false, {{"repositoryName", repository}, {"partFirstByte", 0}}),
      management_call("ecr", "CompleteLayerUpload", false, {{"repositoryName", repository}}),
      management_call("ecr", "PutImage", false, {{"repositoryName", repository}, {"imageTag", rng.hex(7)}}),
      s3_object_call(account, "PutObject", account.bucket("artifacts"), object_key(service, time, rng), resources.region, rng),
      management_call("ecs", "RegisterTaskDefinition", false, {{"family", std::string(service)}}),
      management_call("ecs", "UpdateService", false, {{"cluster", cluster}, {"service", std::string(service)}}),
      management_call("ecs", "DescribeServices", true, {{"cluster", cluster}, {"services", {std::string(service)}}}),
  };
  return calls;
}

std::vector<ApiCall> function_deploy(const Account& account, const AppResources& resources, std::string_view function,
                                     core::UnixTime time, Rng& rng) {
  const std::string key = object_key(function, time, rng);
  return {
      s3_object_call(account, "PutObject", account.bucket("artifacts"), key, resources.region, rng),
      management_call("lambda", "GetFunction20150331v2", true, {{"functionName", std::string(function)}}),
      management_call("lambda", "UpdateFunctionCode20150331v2", false,
                      {{"functionName", std::string(function)}, {"s3Bucket", account.bucket("artifacts")}, {"s3Key", key}, {"publish", true}}),
  };
}

void ci_day(UserDay& day) {
  if (!is_workday(day.day)) return;
  const bool functions = day.user.app == "functions";
  const int runs = std::max(1, jitter(day.user.daily_events, day.rng) / (functions ? 3 : 11));
  for (int run = 0; run < runs; ++run) {
    static const std::vector<std::string> kServices = {"api", "web", "worker", "checkout", "search", "orders"};
    const std::string service = day.rng.pick(kServices);
    const core::UnixTime start = business_time(day.day, day.rng);
    day.sequence(functions ? function_deploy(day.account, day.resources, service + "-handler", start, day.rng)
                           : container_deploy(day.account, day.resources, service, start, day.rng),
                 start, 40);
  }
}

void terraform_day(UserDay& day) {
  if (!is_workday(day.day)) return;
  const Account& account = day.account;
  const std::string state_bucket = account.bucket("terraform-state");
  AppResources lock = day.resources;
  lock.table = "terraform-locks";
  lock.table_arn = fmt::format("arn:aws:dynamodb:{}:{}:table/terraform-locks", kPrimaryRegion, account.id);
  const int runs = day.rng.chance(0.3) ? 2 : 1;
  for (int run = 0; run < runs; ++run) {
    const core::UnixTime start = business_time(day.day, day.rng);
    std::vector<ApiCall> calls = {
        get_caller_identity(),
        dynamodb_call(account, lock, "PutItem"),
        s3_object_call(account, "GetObject", state_bucket, "prod/terraform.tfstate", kPrimaryRegion, day.rng),
        management_call("ec2", "DescribeVpcs", true, {{"filterSet", Json::object()}}),
        management_call("ec2", "DescribeSubnets", true),
        management_call("ec2", "DescribeSecurityGroups", true),
        management_call("iam", "GetRole", true, {{"roleName", "github-actions-deploy"}}),
        management_call("iam", "GetPolicy", true, {{"policyArn", account.policy_arn("/", "ci-deploy-policy")}}),
        management_call("iam", "ListAttachedRolePolicies", true, {{"roleName", "github-actions-deploy"}}),
        management_call("rds", "DescribeDBInstances", true),
        management_call("lambda", "GetFunction20150331v2", true, {{"functionName", "orders-processor"}}),
        dynamodb_call(account, lock, "DeleteItem"),
    };
    day.sequence(calls, start, 6);
  }
}

void backup_day(UserDay& day) {
  const core::UnixTime start = day.day + 2 * 3600 + day.rng.uniform(0, 900);
  std::vector<ApiCall> calls = {management_call("rds", "DescribeDBInstances", true),
                                management_call("ec2", "DescribeVolumes", true),
                                management_call("dynamodb", "ListTables", true)};
  calls.push_back(management_call("rds", "CreateDBSnapshot", false,
                                  {{"dBSnapshotIdentifier", "nightly-" + core::format_date(day.day)}, {"dBInstanceIdentifier", "prod-main"}}));
  calls.push_back(management_call("ec2", "CreateSnapshot", false, {{"volumeId", "vol-0" + day.rng.hex(16)}}));
  const int objects = std::max(1, jitter(day.user.daily_events, day.rng) - static_cast<int>(calls.size()));
  for (int i = 0; i < objects; ++i) {
    calls.push_back(s3_object_call(day.account, "PutObject", day.account.bucket("backups"),
                                   object_key("nightly", day.day, day.rng), day.user.region, day.rng));
  }
  day.sequence(calls, start, 90);
}

void monitoring_day(UserDay& day) {
  const int minute = static_cast<int>(Rng(0).fork(day.user.name).uniform(0, 59));
  for (int hour = 0; hour < 24; hour += 2) {  // a scrape every two hours
    const core::UnixTime time = day.day + hour * 3600 + minute * 60 + day.rng.uniform(0, 20);
    switch (day.rng.weighted({70, 10, 10, 10})) {
      case 0: day.call(management_call("monitoring", "GetMetricData", true, {{"startTime", core::format_time(time - 3600)}, {"endTime", core::format_time(time)}}), time); break;
      case 1: day.call(management_call("monitoring", "ListMetrics", true, {{"namespace", "AWS/EC2"}}), time); break;
      case 2: day.call(management_call("ec2", "DescribeInstanceStatus", true), time); break;
      default: day.call(management_call("rds", "DescribeDBInstances", true), time); break;
    }
  }
}

void data_pipeline_day(UserDay& day) {
  const std::string lake = day.account.bucket("datalake");
  const int batches = std::max(1, jitter(day.user.daily_events, day.rng) / 5);
  for (int batch = 0; batch < batches; ++batch) {
    const core::UnixTime start = day.day + day.rng.uniform(0, core::kSecondsPerDay - 600);
    const std::string execution = day.rng.uuid();
    std::vector<ApiCall> calls = {
        s3_object_call(day.account, "GetObject", lake, object_key("raw/" + day.user.app, start, day.rng), day.user.region, day.rng),
        management_call("athena", "StartQueryExecution", false, {{"workGroup", "etl"}}),
        management_call("athena", "GetQueryExecution", true, {{"queryExecutionId", execution}}),
        management_call("athena", "GetQueryResults", true, {{"queryExecutionId", execution}}),
        s3_object_call(day.account, "PutObject", lake, object_key("curated/" + day.user.app, start, day.rng), day.user.region, day.rng),
    };
    day.sequence(calls, start, 30);
  }
}

void machine_day(UserDay& day) {
  switch (day.user.workload) {
    case Workload::app_service: app_service_day(day, false); break;
    case Workload::shared_automation: app_service_day(day, true); break;
    case Workload::ci_pipeline: ci_day(day); break;
    case Workload::terraform: terraform_day(day); break;
    case Workload::backup: backup_day(day); break;
    case Workload::monitoring: monitoring_day(day); break;
    case Workload::data_pipeline: data_pipeline_day(day); break;
    default: break;
  }
}

}  // namespace

void generate_user_activity(Account& account, Trail& trail, const Rng& base) {
  const std::vector<core::UnixTime> days = activity_days(account);
  for (auto& user : account.users) {
    if (user.workload == Workload::none) continue;
    Rng rng = base.fork("activity/user/" + user.name);
    for (const core::UnixTime day : days) {
      if (!rng.chance(user.active_day_chance)) continue;
      if (user.workload == Workload::person) {
        generate_person_day(account, trail, user, day, rng);
        continue;
      }
      AccessKey* key = pick_key(user, rng);
      if (!key) break;
      UserDay user_day{account, trail, user, app_resources(account, user.app, user.region), {}, day, rng};
      user_day.principal.user_identity = iam_user_identity(account, user, key->id);
      user_day.principal.source_ip = rng.pick(user.client.ips);
      user_day.principal.agent = user.client.agents.front();
      user_day.principal.key = key;
      machine_day(user_day);
    }
  }
}

}  // namespace keyward::generator
