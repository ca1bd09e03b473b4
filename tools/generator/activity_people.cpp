// A person's working day: a console sign-in and what they look at, and some aws-cli use by the
// people who keep an access key.

#include <fmt/format.h>

#include "tools/generator/activity.hpp"
#include "tools/generator/api_calls.hpp"

namespace keyward::generator {
namespace {

ApiCall console_login(const Account& account, const User& user, bool success) {
  ApiCall call;
  call.service = "signin";
  call.name = "ConsoleLogin";
  call.read_only = false;
  call.event_type = "AwsConsoleSignIn";
  call.version = "1.08";
  call.region = std::string(kPrimaryRegion);
  call.response = {{"ConsoleLogin", success ? "Success" : "Failure"}};
  Json additional;
  additional["LoginTo"] = "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true";
  additional["MobileVersion"] = "No";
  if (user.mfa) additional["MFAIdentifier"] = fmt::format("arn:aws:iam::{}:mfa/{}", account.id, user.name);
  additional["MFAUsed"] = user.mfa ? "Yes" : "No";
  call.additional = additional;
  if (!success) {
    call.error_message = "Failed authentication";
  }
  return call;
}

// Home or office. In the first week each person alternates between the two, so the novelty
// detectors learn both before their learning period ends.
const std::string& session_ip(const Account& account, const User& user, core::UnixTime day, Rng& rng) {
  const std::int64_t day_index = (day - core::day_start(account.start)) / core::kSecondsPerDay;
  if (user.client.ips.size() > 1 && day_index < 7) return user.client.ips[static_cast<size_t>(day_index) % 2];
  return rng.pick(user.client.ips);
}

void console_session(Account& account, Trail& trail, User& user, core::UnixTime start, Rng& rng) {
  Principal browser;
  browser.user_identity = iam_user_identity(account, user, "");
  browser.source_ip = session_ip(account, user, core::day_start(start), rng);
  browser.agent = user.client.agents.front();
  const bool success = !rng.chance(0.02);
  trail.add(browser, console_login(account, user, success), start, kPrimaryRegion, rng);
  if (!success) return;
  if (!user.password_last_used || *user.password_last_used < start) user.password_last_used = start;

  const std::string session_key = session_key_id(account, user.name, start);
  Principal console = browser;
  console.user_identity = console_user_identity(account, user, session_key, start, user.mfa);
  console.console = true;
  const int count = static_cast<int>(rng.uniform(std::max(1, user.daily_events - 2), user.daily_events + 2));
  core::UnixTime time = start + rng.uniform(5, 60);
  for (int i = 0; i < count && time < account.end; ++i) {
    const bool internal = rng.chance(0.4);
    console.agent = internal ? Agent::console_internal : user.client.agents.front();
    console.source_ip = internal ? "AWS Internal" : browser.source_ip;
    console.tls = !internal;
    trail.add(console, console_call(rng), time, kPrimaryRegion, rng);
    time += rng.uniform(10, 900);
  }
}

void cli_session(Account& account, Trail& trail, User& user, core::UnixTime start, Rng& rng) {
  AccessKey* key = nullptr;
  for (auto& candidate : user.keys) {
    if (candidate.active) key = &candidate;
  }
  if (!key) return;
  Principal cli;
  cli.user_identity = iam_user_identity(account, user, key->id);
  cli.source_ip = user.client.ips.front();  // CLI work happens from home
  cli.agent = Agent::cli_macos;
  cli.key = key;
  const std::vector<ApiCall> calls = {
      get_caller_identity(),
      management_call("s3", "ListBuckets", true, {{"Host", "s3.amazonaws.com"}}),
      management_call("logs", "FilterLogEvents", true, {{"logGroupName", "/ecs/api"}, {"limit", 1000}}),
      management_call("ecs", "ListTasks", true, {{"cluster", "prod"}}),
  };
  core::UnixTime time = start;
  const int count = static_cast<int>(rng.uniform(1, 4));
  for (int i = 0; i < count && time < account.end; ++i) {
    trail.add(cli, calls[static_cast<size_t>(i)], time, kPrimaryRegion, rng);
    time += rng.uniform(3, 300);
  }
}

}  // namespace

ApiCall console_call(Rng& rng) {
  switch (rng.weighted({20, 12, 12, 10, 10, 8, 8, 8, 6, 6})) {
    case 0: return management_call("ec2", "DescribeInstances", true, {{"maxResults", 1000}});
    case 1: return management_call("monitoring", "DescribeAlarms", true, {{"maxRecords", 100}});
    case 2: return management_call("logs", "FilterLogEvents", true, {{"logGroupName", "/aws/lambda/orders-processor"}});
    case 3: return management_call("lambda", "ListFunctions20150331", true);
    case 4: return management_call("s3", "ListBuckets", true, {{"Host", "s3.amazonaws.com"}});
    case 5: return management_call("ecs", "DescribeServices", true, {{"cluster", "prod"}, {"services", {"api"}}});
    case 6: return management_call("dynamodb", "DescribeTable", true, {{"tableName", "orders-prod"}});
    case 7: return management_call("rds", "DescribeDBInstances", true);
    case 8: return management_call("ce", "GetCostAndUsage", true, {{"granularity", "DAILY"}});
    default: return management_call("logs", "DescribeLogGroups", true, {{"limit", 50}});
  }
}

void generate_person_day(Account& account, Trail& trail, User& user, core::UnixTime day, Rng& rng) {
  if (!is_workday(day) && !rng.chance(0.05)) return;
  if (user.password) console_session(account, trail, user, business_time(day, rng), rng);
  const bool uses_cli = user.client.agents.size() > 1 && user.client.agents.back() == Agent::cli_macos;
  if (!uses_cli || user.keys.empty()) return;
  const AccessKey& key = user.keys.back();
  const bool first_in_window = !key.last_used || *key.last_used < account.start;
  if (first_in_window || rng.chance(0.5)) cli_session(account, trail, user, business_time(day, rng), rng);
}

}  // namespace keyward::generator
