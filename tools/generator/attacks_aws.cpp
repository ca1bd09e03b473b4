// The AWS attacks the company generator adds to the demo account's three (attacks.cpp), each from
// a network the enrichment fixture describes, in the last days of the window:
//   (a) a service's access key, leaked, checked with GetCallerIdentity from a hosting provider in
//       the Netherlands and used to list buckets;
//   (b) an EC2 instance's role credentials, copied out of the instance, used through a commercial
//       VPN to read the application's bucket;
//   (c) LLM-jacking: another service's key, from a hosting provider in Germany, enumerates Bedrock
//       models and then invokes one in a burst in a region the key never used.
// network.new_asn is not expected on (a) and (c): the engine drops it when a platform's own network
// detector (here aws.sts.key_validated_from_new_network) reports the same event.
// Each picks the first identity of its kind that the population did not plant something on and
// that was active in the window, so the attack stands out against a real baseline.

#include <fmt/format.h>

#include "tools/generator/activity.hpp"
#include "tools/generator/api_calls.hpp"
#include "tools/generator/population.hpp"

namespace keyward::generator {
namespace {

constexpr std::string_view kBedrockRegion = "us-west-2";
constexpr std::string_view kBedrockModel = "anthropic.claude-3-5-sonnet-20240620-v1:0";

bool is_planted_name(std::string_view name) {
  for (std::string_view planted : {kLeakedCiUser, kDormantUser, kSharedKeyUser, kConsoleMachineUser, kTerraformUser,
                                   kLambdaDeployerUser, kTwoKeyUser, kWildcardUser, kNeverUsedUser}) {
    if (name == planted) return true;
  }
  return false;
}

// A service user whose only key was used inside the window from the primary region, skipping
// `skip` earlier matches so two attacks never share a victim.
User* active_service_user(Account& account, int skip) {
  for (User& user : account.users) {
    if (!user.machine || user.workload != Workload::app_service || is_planted_name(user.name)) continue;
    if (user.keys.size() != 1 || !user.keys.front().active || user.region != kPrimaryRegion) continue;
    const AccessKey& key = user.keys.front();
    if (!key.last_used || *key.last_used < account.end - 3 * core::kSecondsPerDay) continue;
    if (skip-- == 0) return &user;
  }
  return nullptr;
}

struct Session {
  Trail& trail;
  Principal principal;
  core::UnixTime time = 0;
  Rng& rng;

  void call(const ApiCall& api_call, int max_gap_seconds, std::string_view region = kPrimaryRegion) {
    trail.add(principal, api_call, time, region, rng);
    time += rng.uniform(1, max_gap_seconds);
  }
};

void key_validated_from_vps(Account& account, Trail& trail, Rng& rng) {
  User* user = active_service_user(account, 0);
  if (user == nullptr) return;
  AccessKey& key = user->keys.front();
  const core::UnixTime start = core::day_start(account.end - 3 * core::kSecondsPerDay) + 23 * 3600 + 41 * 60 + 5;
  Session attacker{trail, {}, start, rng};
  attacker.principal.user_identity = iam_user_identity(account, *user, key.id);
  attacker.principal.source_ip = random_ip(Network::m247_nl, rng);
  attacker.principal.agent = Agent::cli_linux;
  attacker.principal.key = &key;
  attacker.call(get_caller_identity(), 40);
  attacker.call(management_call("s3", "ListBuckets", true, {{"Host", "s3.amazonaws.com"}}), 25);
  attacker.call(s3_list_objects(account, account.bucket(user->app), "", kPrimaryRegion), 5);
  account.planted.push_back(planted_attack(
      "aws", "leaked service key validated with GetCallerIdentity from a hosting provider in the Netherlands",
      {"aws.sts.key_validated_from_new_network", "network.new_country", "credential.concurrent_networks"},
      account.user_arn(*user), start, attacker.time));
}

void instance_credentials_through_vpn(Account& account, Trail& trail, Rng& rng) {
  Role* role = nullptr;
  for (Role& candidate : account.roles) {
    if (candidate.workload == Workload::ec2_instance && candidate.name != kCompromisedRole && candidate.daily_events > 0 &&
        candidate.active_day_chance >= 1.0) {
      role = &candidate;
      break;
    }
  }
  if (role == nullptr) return;
  const core::UnixTime start = core::day_start(account.end - 2 * core::kSecondsPerDay) + 19 * 3600 + 7 * 60 + 48;
  const long long block = start / kInstanceCredentialPeriod;
  const std::string key = session_key_id(account, role->name, block);
  Session intruder{trail, {}, start, rng};
  intruder.principal.user_identity = assumed_role_identity(account, *role, instance_id(*role), key,
                                                           credential_issue_time(*role, block), true);
  intruder.principal.source_ip = random_ip(Network::vpn_se, rng);
  intruder.principal.agent = Agent::cli_linux;
  intruder.principal.role = role;
  const std::string bucket = account.bucket(role->app);
  intruder.call(get_caller_identity(), 30);
  intruder.call(management_call("s3", "ListBuckets", true, {{"Host", "s3.amazonaws.com"}}), 20);
  intruder.call(s3_list_objects(account, bucket, "", kPrimaryRegion), 10);
  for (int i = 0; i < 8; ++i) {
    intruder.call(s3_object_call(account, "GetObject", bucket, object_key(role->app, start - 86400 * i, rng), kPrimaryRegion, rng), 6);
  }
  account.planted.push_back(planted_attack("aws", "EC2 instance role credentials used through a commercial VPN",
                                           {"aws.credential.workload_outside_aws", "aws.network.anonymizer_source",
                                            "credential.risk_accumulation", "network.new_asn", "network.new_country"},
                                           account.role_arn(*role), start, intruder.time));
}

void bedrock_llm_jacking(Account& account, Trail& trail, Rng& rng) {
  User* user = active_service_user(account, 1);
  if (user == nullptr) return;
  AccessKey& key = user->keys.front();
  const core::UnixTime start = core::day_start(account.end - core::kSecondsPerDay) + 1 * 3600 + 52 * 60 + 30;
  Session attacker{trail, {}, start, rng};
  attacker.principal.user_identity = iam_user_identity(account, *user, key.id);
  attacker.principal.source_ip = random_ip(Network::digitalocean_de, rng);
  attacker.principal.agent = Agent::python_sdk;
  attacker.principal.key = &key;
  const Json model = {{"modelId", kBedrockModel}};
  attacker.call(get_caller_identity(), 10);
  attacker.call(management_call("bedrock", "ListFoundationModels", true), 3, kBedrockRegion);
  attacker.call(management_call("bedrock", "GetFoundationModelAvailability", true, model), 3, kBedrockRegion);
  for (int i = 0; i < 140; ++i) {
    ApiCall invoke = management_call("bedrock", "InvokeModel", true, model);
    invoke.host = fmt::format("bedrock-runtime.{}.amazonaws.com", kBedrockRegion);
    attacker.call(invoke, 4, kBedrockRegion);
  }
  account.planted.push_back(planted_attack(
      "aws", "LLM-jacking: leaked service key enumerates and invokes Bedrock models from a hosting provider in Germany",
      {"aws.bedrock.model_abuse", "aws.credential.new_region", "aws.sts.key_validated_from_new_network",
       "network.new_country", "credential.volume_spike", "credential.risk_accumulation"},
      account.user_arn(*user), start, attacker.time));
}

// The demo's leaked CI key (attacks.cpp) also calls sensitive APIs for the first time, far above
// the key's hourly volume, with several anomalies in a day. The demo lists one detector per
// entry, so these detections get an entry of their own over the same window.
void label_leaked_ci_follow_ons(Account& account) {
  const User* ci = account.find_user(kLeakedCiUser);
  if (ci == nullptr) return;
  const std::string arn = account.user_arn(*ci);
  for (const InjectedAttack& planted : account.planted) {
    if (!planted.is_attack() || planted.identity_arn != arn) continue;
    account.planted.push_back(planted_attack(
        "aws", "leaked CI access key used from a hosting provider abroad: first sensitive calls, volume and risk",
        {"aws.api.first_sensitive_call", "credential.volume_spike", "credential.risk_accumulation"}, arn, planted.start,
        planted.end));
    return;
  }
}

}  // namespace

void inject_more_attacks(Account& account, Trail& trail, const Rng& base) {
  Rng rng = base.fork("more-attacks");
  label_leaked_ci_follow_ons(account);
  key_validated_from_vps(account, trail, rng);
  instance_credentials_through_vpn(account, trail, rng);
  bedrock_llm_jacking(account, trail, rng);
}

}  // namespace keyward::generator
