// Groups, the generated machine users and the people of the account.

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "tools/generator/names.hpp"
#include "tools/generator/policies.hpp"
#include "tools/generator/population.hpp"

namespace keyward::generator {
namespace {

struct MachineKind {
  std::string_view prefix;
  Workload workload;
  int weight;
  int min_events;
  int max_events;
};

constexpr MachineKind kMachineKinds[] = {
    {"svc-", Workload::app_service, 46, 3, 9},      {"ci-", Workload::ci_pipeline, 10, 10, 24},
    {"etl-", Workload::data_pipeline, 10, 8, 22},    {"backup-", Workload::backup, 4, 8, 16},
    {"monitoring-", Workload::monitoring, 5, 12, 12}, {"integration-", Workload::app_service, 15, 2, 6},
};

std::string shared_policy(Account& account, Rng& rng, std::string_view name, Json (*document)(const Account&)) {
  const std::string arn = account.policy_arn("/", name);
  if (!account.find_policy(arn)) add_customer_policy(account, rng, name, document(account), days_before_end(account, 1500), 2);
  return arn;
}

Json monitoring_for(const Account&) { return monitoring_document(); }

std::string unique_name(const std::set<std::string>& taken, std::string name) {
  if (!taken.count(name)) return name;
  for (int suffix = 2;; ++suffix) {
    std::string candidate = fmt::format("{}-{}", name, suffix);
    if (!taken.count(candidate)) return candidate;
  }
}

std::set<std::string> user_names(const Account& account) {
  std::set<std::string> names;
  for (const auto& user : account.users) names.insert(user.name);
  return names;
}

Client machine_client(const Account& account, Rng& rng, Workload workload, bool europe) {
  Client client;
  Network network = Network::aws_us_east_1;
  switch (workload) {
    case Workload::ci_pipeline: network = rng.chance(0.5) ? Network::aws_us_east_1 : Network::azure_us_east; break;
    case Workload::data_pipeline: network = europe ? Network::aws_eu_west_1 : Network::gcp_us_central1; break;
    case Workload::monitoring: network = Network::gcp_us_central1; break;
    case Workload::backup: client.ips = {account.office_ips[0]}; break;
    default: {
      // Applications outside the VPC: on EC2 with a stored key, on Google Cloud, or on premises.
      static constexpr Network kPlaces[] = {Network::aws_us_east_1, Network::gcp_us_central1, Network::office};
      network = kPlaces[rng.weighted({40, 30, 30})];
      if (europe) network = Network::aws_eu_west_1;
      if (network == Network::office) client.ips = {account.office_ips[rng.uniform(0, 1)]};
    }
  }
  if (client.ips.empty()) {
    client.ips.push_back(random_ip(network, rng));
    if (rng.chance(0.3)) client.ips.push_back(random_ip(network, rng));
  }
  static const std::vector<Agent> kSdkAgents = {Agent::go_sdk, Agent::python_sdk, Agent::java_sdk, Agent::node_sdk};
  if (workload == Workload::ci_pipeline) {
    client.agents = {rng.chance(0.6) ? Agent::cli_linux : Agent::go_sdk};
  } else if (workload == Workload::data_pipeline || workload == Workload::backup) {
    client.agents = {Agent::python_sdk};
  } else if (workload == Workload::monitoring) {
    client.agents = {Agent::go_sdk};
  } else {
    client.agents = {rng.pick(kSdkAgents)};
  }
  return client;
}

// Decides whether the user's keys are in use, rarely used or abandoned, and sets them up so.
void add_machine_keys(Account& account, Rng& rng, User& user) {
  const double draw = rng.unit();
  const int window = static_cast<int>((account.end - account.start) / core::kSecondsPerDay);
  const int age_days = static_cast<int>((account.end - user.created) / core::kSecondsPerDay);
  if (draw < 0.30) {  // abandoned: about 30% of machine keys, the OWASP NHI1 picture
    user.workload = Workload::none;
    const int created_days = static_cast<int>(rng.uniform(std::min(age_days, 120), age_days));
    user.keys.push_back(make_key(account, rng, days_before_end(account, created_days)));
    if (rng.chance(0.67)) set_last_used_before_window(user.keys.back(), account, rng, static_cast<int>(rng.uniform(95, std::max(96, created_days - 1))));
    return;
  }
  if (draw < 0.42) user.active_day_chance = 0.12;  // used now and then
  const int created_days = static_cast<int>(rng.uniform(std::min(age_days, window + 3), age_days));
  if (rng.chance(0.08) && created_days > window + 40) {
    // A finished rotation: the old key is deactivated and kept.
    user.keys.push_back(make_key(account, rng, days_before_end(account, created_days), false));
    set_last_used_before_window(user.keys.back(), account, rng, created_days / 2);
    user.keys.push_back(make_key(account, rng, days_before_end(account, created_days / 2 - 1)));
  } else {
    user.keys.push_back(make_key(account, rng, days_before_end(account, created_days)));
    if (rng.chance(0.03)) user.keys.push_back(make_key(account, rng, days_before_end(account, rng.uniform(3, 60))));
  }
  set_last_used_before_window(user.keys.back(), account, rng, window + static_cast<int>(rng.uniform(1, 20)));
}

}  // namespace

User new_user(Account& account, Rng& rng, std::string name, bool machine, double created_days_ago) {
  User user;
  user.name = std::move(name);
  user.id = make_unique_id("AIDA", account, rng);
  user.machine = machine;
  user.created = days_before_end(account, created_days_ago) + rng.uniform(0, 30000);
  return user;
}

std::string add_app_secret(Account& account, std::string_view app) {
  std::string name = fmt::format("prod/{}/credentials", app);
  if (std::find(account.secrets.begin(), account.secrets.end(), name) == account.secrets.end()) account.secrets.push_back(name);
  return name;
}

void add_groups(Account& account, Rng& rng) {
  const core::UnixTime created = days_before_end(account, 2350);
  auto add_group = [&](std::string name, std::vector<std::string> policies, std::vector<InlinePolicy> inline_policies) {
    account.groups.push_back(Group{std::move(name), make_unique_id("AGPA", account, rng), created + rng.uniform(0, 86400 * 30),
                                   std::move(policies), std::move(inline_policies)});
  };
  const std::string change_password = aws_policy_arn("/", "IAMUserChangePassword");
  add_group("Admins", {aws_policy_arn("/", "AdministratorAccess")}, {});
  add_group("Developers", {add_customer_policy(account, rng, "developer-access", developer_document(account), created, 3), change_password}, {});
  add_group("DataEngineers", {add_customer_policy(account, rng, "data-engineer-access", data_engineer_document(account), created, 2), change_password}, {});
  add_group("ReadOnly", {aws_policy_arn("/", "AmazonS3ReadOnlyAccess"), change_password}, {});
  add_group("Billing", {change_password}, {{"billing-read", billing_document()}});
}

void add_machine_users(Account& account, Rng& rng, int count) {
  std::set<std::string> taken = user_names(account);
  std::vector<int> weights;
  for (const auto& kind : kMachineKinds) weights.push_back(kind.weight);
  for (int i = 0; i < count; ++i) {
    const MachineKind& kind = kMachineKinds[rng.weighted(weights)];
    const bool vendor = kind.prefix == "integration-";
    const std::string app = vendor ? rng.pick(vendor_names()) : rng.pick(app_names());
    User user = new_user(account, rng, unique_name(taken, std::string(kind.prefix) + app), true, rng.uniform(60, 1900));
    taken.insert(user.name);
    user.workload = kind.workload;
    user.app = app;
    const bool europe = kind.workload == Workload::data_pipeline ? rng.chance(0.5) : rng.chance(0.15);
    if (europe) user.region = std::string(kSecondaryRegion);
    user.client = machine_client(account, rng, kind.workload, europe);
    user.daily_events = static_cast<int>(rng.uniform(kind.min_events, kind.max_events));
    if (kind.workload == Workload::ci_pipeline) {
      user.policy_arns.push_back(shared_policy(account, rng, "ci-deploy-policy", ci_deploy_document));
    } else if (kind.workload == Workload::data_pipeline) {
      user.policy_arns.push_back(shared_policy(account, rng, "data-engineer-access", data_engineer_document));
    } else if (kind.workload == Workload::backup) {
      user.policy_arns.push_back(shared_policy(account, rng, "backup-operator", backup_document));
    } else if (kind.workload == Workload::monitoring) {
      user.policy_arns.push_back(shared_policy(account, rng, "monitoring-read", monitoring_for));
    } else {
      user.policy_arns.push_back(add_customer_policy(account, rng, user.name + "-access",
                                                     app_access_document(account, app, user.region), user.created + 600,
                                                     rng.chance(0.2) ? 2 : 1));
      add_app_secret(account, app);
    }
    if (vendor) user.tags = {{"vendor", app}};
    else user.tags = {{"team", app}};
    add_machine_keys(account, rng, user);
    account.users.push_back(std::move(user));
  }
}

}  // namespace keyward::generator
