// Roles assumed by someone outside the account: GitHub Actions through OIDC, the security
// account's audit scans, Datadog's integration, and people signing in through IAM Identity Center.

#include <fmt/format.h>

#include "tools/generator/activity.hpp"
#include "tools/generator/api_calls.hpp"
#include "tools/generator/population.hpp"

namespace keyward::generator {
namespace {

constexpr std::string_view kGithubSubject = "repo:brightline/platform-infra:ref:refs/heads/main";

Json assumed_role_user(const Account& account, const Role& role, std::string_view session) {
  Json user;
  user["assumedRoleId"] = fmt::format("{}:{}", role.id, session);
  user["arn"] = fmt::format("arn:aws:sts::{}:assumed-role/{}/{}", account.id, role.name, session);
  return user;
}

// The sts call that hands out a role session, with its credentials block (without the token).
ApiCall assume_call(const Account& account, const Role& role, std::string_view operation, std::string_view session,
                    std::string_view key, core::UnixTime time, int duration) {
  ApiCall call = management_call("sts", operation, true,
                                 {{"roleArn", account.role_arn(role)}, {"roleSessionName", session}, {"durationSeconds", duration}});
  call.response = {{"credentials", {{"accessKeyId", key}, {"expiration", response_date(time + duration)}}},
                   {"assumedRoleUser", assumed_role_user(account, role, session)}};
  Json target;
  target["accountId"] = account.id;
  target["type"] = "AWS::IAM::Role";
  target["ARN"] = account.role_arn(role);
  call.resources = Json::array({target});
  return call;
}

Principal session_of(const Account& account, Role& role, std::string_view session, std::string_view key,
                     core::UnixTime start, std::string ip, Agent agent) {
  Principal principal;
  principal.user_identity = assumed_role_identity(account, role, session, key, start, false);
  principal.source_ip = std::move(ip);
  principal.agent = agent;
  principal.role = &role;
  return principal;
}

// The caller of a cross-account AssumeRole as the target account logs it. The caller is a role
// in the other account, so its id stays the same from call to call.
Json other_account_identity(std::string_view account_id, std::string_view session) {
  Rng role_rng = Rng(0).fork(account_id);
  Json identity;
  identity["type"] = "AWSAccount";
  identity["principalId"] = fmt::format("AROA{}:{}", role_rng.text(17, kUpperBase32), session);
  identity["accountId"] = account_id;
  return identity;
}

void github_day(Account& account, Trail& trail, Role& role, core::UnixTime day, Rng& rng) {
  if (!is_workday(day)) return;
  const std::string provider = fmt::format("arn:aws:iam::{}:oidc-provider/token.actions.githubusercontent.com", account.id);
  const int runs = static_cast<int>(rng.uniform(1, 3));
  for (int run = 0; run < runs; ++run) {
    const core::UnixTime start = business_time(day, rng);
    const std::string runner_ip = random_ip(Network::azure_us_east, rng);  // GitHub-hosted runners change per job
    const std::string key = session_key_id(account, role.name, start);
    Principal web;
    web.user_identity = {{"type", "WebIdentityUser"},
                         {"principalId", fmt::format("{}:sts.amazonaws.com:{}", provider, kGithubSubject)},
                         {"userName", kGithubSubject},
                         {"identityProvider", provider}};
    web.source_ip = runner_ip;
    web.agent = Agent::github_configure_credentials;
    web.role = &role;
    ApiCall assume = assume_call(account, role, "AssumeRoleWithWebIdentity", "GitHubActions", key, start, 3600);
    assume.response["subjectFromWebIdentityToken"] = kGithubSubject;
    assume.response["provider"] = provider;
    assume.response["audience"] = "sts.amazonaws.com";
    assume.additional = {{"identityProviderConnectionVerificationMethod", "IAMTrustStore"}};
    trail.add(web, assume, start, role.region, rng);

    Principal session = session_of(account, role, "GitHubActions", key, start, runner_ip, Agent::cli_linux);
    const std::string repository = account.company + "/api";
    const std::vector<ApiCall> calls = {
        management_call("ecr", "GetAuthorizationToken", true),
        management_call("ecr", "InitiateLayerUpload", false, {{"repositoryName", repository}}),
        management_call("ecr", "CompleteLayerUpload", false, {{"repositoryName", repository}}),
        management_call("ecr", "PutImage", false, {{"repositoryName", repository}, {"imageTag", rng.hex(7)}}),
        management_call("ecs", "RegisterTaskDefinition", false, {{"family", "api"}}),
        management_call("ecs", "UpdateService", false, {{"cluster", "prod"}, {"service", "api"}}),
    };
    core::UnixTime time = start + 5;
    for (const auto& call : calls) {
      trail.add(session, call, time, role.region, rng);
      time += rng.uniform(2, 60);
    }
  }
}

void audit_day(Account& account, Trail& trail, Role& role, core::UnixTime day, Rng& rng) {
  const core::UnixTime start = day + 6 * 3600 + rng.uniform(0, 600);
  const std::string session = "prowler-" + core::format_date(day);
  const std::string key = session_key_id(account, role.name, start);
  Principal caller;
  caller.user_identity = other_account_identity(account.security_account_id, session);
  caller.source_ip = role.client.ips.front();
  caller.agent = Agent::python_sdk;
  caller.role = &role;
  trail.add(caller, assume_call(account, role, "AssumeRole", session, key, start, 3600), start, role.region, rng);

  Principal scan = session_of(account, role, session, key, start, role.client.ips.front(), Agent::python_sdk);
  const std::vector<ApiCall> calls = {
      management_call("iam", "GenerateCredentialReport", false),
      management_call("iam", "GetCredentialReport", true),
      management_call("iam", "GetAccountSummary", true),
      management_call("iam", "GetAccountAuthorizationDetails", true),
      management_call("iam", "GetAccountAuthorizationDetails", true, {{"marker", rng.hex(40)}}),
      management_call("cloudtrail", "DescribeTrails", true),
      management_call("cloudtrail", "GetTrailStatus", true, {{"name", std::string(kTrailName)}}),
      management_call("ec2", "DescribeSecurityGroups", true),
      management_call("guardduty", "ListDetectors", true),
      management_call("kms", "ListKeys", true),
      management_call("s3", "ListBuckets", true, {{"Host", "s3.amazonaws.com"}}),
  };
  core::UnixTime time = start + 3;
  for (size_t i = 0; i < calls.size() && i < static_cast<size_t>(role.daily_events); ++i) {
    trail.add(scan, calls[i], time, role.region, rng);
    time += rng.uniform(30, 150);
  }
}

void datadog_day(Account& account, Trail& trail, Role& role, core::UnixTime day, Rng& rng) {
  for (int hour = 0; hour < 24; hour += 2) {  // a crawl every two hours
    const core::UnixTime start = day + hour * 3600 + rng.uniform(0, 300);
    const std::string session = "DatadogAWSIntegration";
    const std::string key = session_key_id(account, role.name, start);
    const std::string ip = rng.pick(role.client.ips);
    Principal caller;
    caller.user_identity = other_account_identity(kDatadogAccount, session);
    caller.source_ip = ip;
    caller.agent = Agent::datadog;
    caller.role = &role;
    trail.add(caller, assume_call(account, role, "AssumeRole", session, key, start, 3600), start, role.region, rng);
    Principal crawler = session_of(account, role, session, key, start, ip, Agent::datadog);
    static const std::vector<std::pair<std::string, std::string>> kCalls = {
        {"monitoring", "GetMetricData"}, {"monitoring", "ListMetrics"}, {"tagging", "GetResources"}, {"ec2", "DescribeInstances"}};
    const auto& [service, name] = kCalls[static_cast<size_t>(hour / 2) % kCalls.size()];
    trail.add(crawler, management_call(service, name, true), start + rng.uniform(2, 40), role.region, rng);
  }
}

void sso_day(Account& account, Trail& trail, Role& role, core::UnixTime day, Rng& rng) {
  std::vector<const User*> people;
  for (const auto& user : account.users) {
    if (user.workload == Workload::person && user.client.ips.size() > 1) people.push_back(&user);
  }
  if (people.empty() || !is_workday(day)) return;
  // Three people share each everyday permission set, taking turns day by day; one person uses
  // the rarely used administrator set.
  const std::int64_t holders = role.active_day_chance >= 0.5 ? 3 : 1;
  const std::int64_t offset = Rng(0).fork(role.name).uniform(0, static_cast<std::int64_t>(people.size()) - 1);
  const std::int64_t turn = (day - core::day_start(account.start)) / core::kSecondsPerDay % holders;
  const User& person = *people[static_cast<size_t>((offset + turn) % static_cast<std::int64_t>(people.size()))];
  const std::string email = fmt::format("{}@{}", person.name, role.service);
  const std::string provider = role.trust_policy["Statement"][0]["Principal"]["Federated"].get<std::string>();
  const core::UnixTime start = business_time(day, rng);
  const std::string key = session_key_id(account, role.name + email, start);

  Principal federation;
  federation.user_identity = {{"type", "SAMLUser"},
                              {"principalId", fmt::format("{}:{}", rng.text(28, kAlphanumeric), email)},
                              {"userName", email},
                              {"identityProvider", rng.text(28, kAlphanumeric)}};
  federation.source_ip = person.client.ips.front();
  federation.agent = Agent::console_internal;
  federation.role = &role;
  ApiCall assume = assume_call(account, role, "AssumeRoleWithSAML", email, key, start, role.max_session_seconds);
  assume.request["principalArn"] = provider;
  assume.response["subject"] = email;
  assume.response["audience"] = "https://signin.aws.amazon.com/saml";
  trail.add(federation, assume, start, kPrimaryRegion, rng);

  Principal console = session_of(account, role, email, key, start, person.client.ips.front(), Agent::browser_chrome_mac);
  console.console = true;
  core::UnixTime time = start + rng.uniform(5, 60);
  for (int i = 0; i < role.daily_events; ++i) {
    trail.add(console, console_call(rng), time, kPrimaryRegion, rng);
    time += rng.uniform(10, 600);
  }
}

}  // namespace

void generate_federated_day(Account& account, Trail& trail, Role& role, core::UnixTime day, Rng& rng) {
  switch (role.workload) {
    case Workload::github_oidc: github_day(account, trail, role, day, rng); break;
    case Workload::cross_account_audit: audit_day(account, trail, role, day, rng); break;
    case Workload::vendor_integration: datadog_day(account, trail, role, day, rng); break;
    case Workload::sso_console: sso_day(account, trail, role, day, rng); break;
    default: break;
  }
}

}  // namespace keyward::generator
