#include "tools/generator/population.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "tools/generator/policies.hpp"

namespace keyward::generator {
namespace {

constexpr int kMinUsers = 30;
constexpr int kMaxUsers = 5000;
constexpr int kMinRoles = 30;
constexpr int kMaxRoles = 2000;
// The attacks need a learned baseline first: novelty detectors stay quiet for an identity's
// first week, so the window must leave a week or more before the attack days.
constexpr int kMinDays = 10;
constexpr int kMaxDays = 90;
// Share of IAM users that are machines (service, CI, pipeline and integration users).
constexpr double kMachineShare = 0.55;

std::string account_number(Rng& rng) { return std::to_string(rng.uniform(1, 9)) + rng.text(11, "0123456789"); }

core::Status validate(const GeneratorOptions& options) {
  auto out_of_range = [](std::string_view name, long long value, long long low, long long high) {
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("{} is {}; it must be between {} and {}", name, value, low, high));
  };
  if (options.users < kMinUsers || options.users > kMaxUsers) return out_of_range("--users", options.users, kMinUsers, kMaxUsers);
  if (options.roles < kMinRoles || options.roles > kMaxRoles) return out_of_range("--roles", options.roles, kMinRoles, kMaxRoles);
  if (options.days < kMinDays || options.days > kMaxDays) return out_of_range("--days", options.days, kMinDays, kMaxDays);
  return {};
}

void add_root(Account& account, Rng& rng) {
  const int window = static_cast<int>((account.end - account.start) / core::kSecondsPerDay);
  account.root.created = days_before_end(account, 2400);
  account.root.mfa = true;
  account.root.password_last_used = days_before_end(account, window + 12) + rng.uniform(0, 20000);
  account.root.key = make_key(account, rng, days_before_end(account, 2310));
  set_last_used_before_window(account.root.key, account, rng, window + 380);
  plant(account, "root account has an active access key", "aws.root.access_key", account.root_arn());
}

void add_secrets(Account& account) {
  for (const char* name : {"prod/stripe/api-key", "prod/github/app-private-key", "prod/sendgrid/api-key",
                           "prod/datadog/api-key", "prod/postgres/master", "prod/redis/auth-token",
                           "prod/okta/client-secret", "prod/slack/webhook", "prod/snowflake/service-user",
                           "prod/jwt/signing-key", "prod/pagerduty/integration-key", "prod/twilio/auth-token"}) {
    account.secrets.emplace_back(name);
  }
}

}  // namespace

core::UnixTime days_before_end(const Account& account, double days) {
  return account.end - static_cast<core::UnixTime>(std::llround(days * core::kSecondsPerDay));
}

AccessKey make_key(const Account& account, Rng& rng, core::UnixTime created, bool active) {
  AccessKey key;
  key.id = make_access_key_id("AKIA", account, rng);
  key.created = created;
  key.active = active;
  return key;
}

void set_last_used_before_window(AccessKey& key, const Account& account, Rng& rng, int days) {
  const core::UnixTime used = days_before_end(account, days) + rng.uniform(0, 40000);
  if (used <= key.created) return;  // a key never used after its creation keeps N/A
  key.last_used = std::min(used, account.start - 1);
  key.last_used_region = std::string(kPrimaryRegion);
  key.last_used_service = rng.chance(0.5) ? "s3" : "sts";
}

void plant(Account& account, std::string name, std::string rule, std::string identity_arn) {
  account.planted.push_back(InjectedAttack{std::move(name), std::move(rule), std::move(identity_arn)});
}

core::Result<Account> build_account(const GeneratorOptions& options, Rng& rng) {
  if (auto valid = validate(options); !valid) return valid.error();

  Account account;
  Rng account_rng = rng.fork("account");
  account.id = account_number(account_rng);
  account.id_tag = account_rng.text(8, kUpperBase32);
  account.company = "brightline";
  account.security_account_id = account_number(account_rng);
  account.management_account_id = account_number(account_rng);
  account.end = options.end_time;
  account.start = options.end_time - static_cast<core::UnixTime>(options.days) * core::kSecondsPerDay;
  account.nat_ips = {random_ip(Network::aws_us_east_1, account_rng), random_ip(Network::aws_us_east_1, account_rng),
                     random_ip(Network::aws_eu_west_1, account_rng)};
  account.office_ips = {random_ip(Network::office, account_rng), random_ip(Network::office, account_rng)};

  add_aws_managed_policies(account);
  add_secrets(account);
  add_root(account, account_rng);

  Rng users_rng = rng.fork("users");
  add_groups(account, users_rng);
  add_planted_users(account, users_rng);
  const int machines = std::max(0, static_cast<int>(std::lround(options.users * kMachineShare)) -
                                       static_cast<int>(account.users.size()));
  add_machine_users(account, users_rng, machines);
  add_people(account, users_rng, options.users - static_cast<int>(account.users.size()));

  Rng roles_rng = rng.fork("roles");
  add_roles(account, roles_rng, options.roles);
  return account;
}

}  // namespace keyward::generator
