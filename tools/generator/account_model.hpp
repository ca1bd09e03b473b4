#pragma once

// The in-memory picture of the generated AWS account: users, groups, roles, managed policies,
// access keys and the clients each identity uses. Population code fills it, activity code adds
// CloudTrail records and updates the last-used fields, and the export writers print it in the
// formats AWS produces.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "tools/generator/aws_account.hpp"
#include "tools/generator/clients.hpp"

namespace keyward::generator {

// Ordered so the files keep the field order AWS prints.
using Json = nlohmann::ordered_json;

inline constexpr std::string_view kPrimaryRegion = "us-east-1";
inline constexpr std::string_view kSecondaryRegion = "eu-west-1";

struct AccessKey {
  std::string id;  // AKIA + 16 base32 characters
  bool active = true;
  core::UnixTime created = 0;
  std::optional<core::UnixTime> last_used;
  std::string last_used_region;
  std::string last_used_service;  // IAM service namespace, e.g. "s3"
};

// What an identity does day to day; selects its activity generator.
enum class Workload {
  none,
  person,
  app_service,
  ci_pipeline,
  terraform,
  backup,
  monitoring,
  data_pipeline,
  shared_automation,
  lambda_function,
  ec2_instance,
  ecs_task,
  github_oidc,
  cross_account_audit,
  vendor_integration,
  service_linked,
  sso_console,
};

// Where an identity's traffic comes from and which client sends it.
struct Client {
  std::vector<std::string> ips;
  std::vector<Agent> agents;
};

struct InlinePolicy {
  std::string name;
  Json document;
};

struct Tag {
  std::string key;
  std::string value;
};

struct User {
  std::string name;
  std::string id;  // AIDA...
  std::string path = "/";
  bool machine = false;
  core::UnixTime created = 0;
  bool password = false;
  core::UnixTime password_changed = 0;
  std::optional<core::UnixTime> password_last_used;
  bool mfa = false;
  std::vector<AccessKey> keys;  // at most two, oldest first (access_key_1, access_key_2)
  std::vector<std::string> groups;
  std::vector<std::string> policy_arns;
  std::vector<InlinePolicy> inline_policies;
  std::vector<Tag> tags;

  Workload workload = Workload::none;
  std::string region = std::string(kPrimaryRegion);
  std::string app;  // stem of the bucket, table, queue and secret names it works with
  Client client;
  int daily_events = 0;           // events on an active day
  double active_day_chance = 1.0; // probability that a given day is active
};

struct Role {
  std::string name;
  std::string id;  // AROA...
  std::string path = "/";
  std::string description;
  core::UnixTime created = 0;
  Json trust_policy;
  std::vector<std::string> policy_arns;
  std::vector<InlinePolicy> inline_policies;
  std::vector<Tag> tags;
  std::string instance_profile;  // name, empty when the role has none
  std::string instance_profile_id;
  int max_session_seconds = 3600;
  std::optional<core::UnixTime> last_used;
  std::string last_used_region;

  Workload workload = Workload::none;
  std::string region = std::string(kPrimaryRegion);
  std::string app;
  std::string service;  // the AWS service that assumes it, e.g. "lambda.amazonaws.com"
  Client client;
  int daily_events = 0;
  double active_day_chance = 1.0;
};

struct Group {
  std::string name;
  std::string id;  // AGPA...
  core::UnixTime created = 0;
  std::vector<std::string> policy_arns;
  std::vector<InlinePolicy> inline_policies;
};

struct ManagedPolicy {
  std::string name;
  std::string id;  // ANPA...
  std::string arn;
  std::string path = "/";
  bool aws_managed = false;
  core::UnixTime created = 0;
  core::UnixTime updated = 0;
  std::vector<Json> versions;  // oldest first; the last one is the default version
  int first_version = 1;       // versions[i] is "v<first_version + i>"
  std::string description;
};

struct RootAccount {
  core::UnixTime created = 0;
  std::optional<core::UnixTime> password_last_used;
  bool mfa = true;
  AccessKey key;  // planted: AWS advises against any root access key
};

struct Account {
  std::string id;      // 12 digits
  std::string id_tag;  // 8 base32 characters shared by the account's unique ids, as AWS does
  std::string company; // prefix of bucket names
  std::string security_account_id;
  std::string management_account_id;
  core::UnixTime start = 0;  // first day of CloudTrail activity
  core::UnixTime end = 0;    // credential report time; no activity at or after it
  RootAccount root;
  std::vector<User> users;
  std::vector<Group> groups;
  std::vector<Role> roles;
  std::vector<ManagedPolicy> policies;
  std::vector<std::string> secrets;    // secret names in Secrets Manager
  std::vector<std::string> nat_ips;    // NAT gateway addresses of the production VPC
  std::vector<std::string> office_ips; // the office uplink people and on-premises jobs share
  std::vector<InjectedAttack> planted; // attacks and posture issues, for GeneratedAccount

  User* find_user(std::string_view name);
  Role* find_role(std::string_view name);
  const ManagedPolicy* find_policy(std::string_view arn) const;
  std::string user_arn(const User& user) const;
  std::string role_arn(const Role& role) const;
  std::string root_arn() const { return "arn:aws:iam::" + id + ":root"; }
  std::string policy_arn(std::string_view path, std::string_view name) const;
  std::string secret_arn(std::string_view name, std::string_view region = kPrimaryRegion) const;
  std::string bucket(std::string_view app) const { return company + "-" + std::string(app) + "-prod"; }
};

// AWS unique id: a four-letter type prefix, the account tag and 9 random base32 characters
// (21 characters in all, like AIDA.../AROA...); access key ids have 16 after the prefix.
class Rng;
std::string make_unique_id(std::string_view prefix, const Account& account, Rng& rng);
std::string make_access_key_id(std::string_view prefix, const Account& account, Rng& rng);

// Formats a time as the AWS CLI prints timestamps: "2026-11-02T17:04:11+00:00".
std::string cli_time(core::UnixTime time);

}  // namespace keyward::generator
