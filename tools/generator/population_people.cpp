// The people of the account: console users with passwords, most with MFA, some with a CLI key.

#include <fmt/format.h>

#include <set>

#include "tools/generator/names.hpp"
#include "tools/generator/population.hpp"

namespace keyward::generator {

namespace {

// Number of people whose access key was created together with the user and never used, the
// onboarding habit CIS AWS Foundations 1.11 warns about.
constexpr int kOnboardingKeys = 3;

// Most people work in the US, from home or from the office. The others work remotely from
// Germany or the UK and never use the office uplink.
std::vector<std::string> person_ips(const Account& account, Rng& rng) {
  const size_t country = rng.weighted({80, 12, 8});
  if (country == 1) return {random_ip(Network::telekom_de, rng)};
  if (country == 2) return {random_ip(Network::bt_uk, rng)};
  const size_t isp = rng.weighted({50, 25, 25});
  static constexpr Network kHomeIsps[] = {Network::comcast_us, Network::charter_us, Network::verizon_us};
  const Network home = kHomeIsps[isp];
  return {random_ip(home, rng), account.office_ips[0]};
}

std::string group_for(Rng& rng) {
  switch (rng.weighted({58, 16, 16, 5, 2})) {
    case 0: return "Developers";
    case 1: return "DataEngineers";
    case 2: return "ReadOnly";
    case 3: return "Billing";
    default: return "Admins";
  }
}

User make_person(Account& account, Rng& rng, std::string name) {
  const int window = static_cast<int>((account.end - account.start) / core::kSecondsPerDay);
  User user = new_user(account, rng, std::move(name), false, rng.uniform(window + 30, 2200));
  user.workload = Workload::person;
  user.password = rng.chance(0.98);
  user.groups = {group_for(rng)};
  if (user.password) {
    user.mfa = rng.chance(0.9);
    const core::UnixTime age = account.end - user.created;
    user.password_changed = user.created + rng.uniform(0, age / 2);
    const double activity = rng.unit();
    if (activity < 0.02) {
      // Never signed in: the report shows no_information.
    } else if (activity < 0.14) {
      user.workload = Workload::none;  // left the team or on leave: no recent sign-in
      const core::UnixTime last = days_before_end(account, rng.uniform(window + 30, window + 400));
      if (last > user.password_changed) user.password_last_used = last;
    } else {
      user.password_last_used = days_before_end(account, window + rng.uniform(1, 10));
      if (*user.password_last_used <= user.password_changed) user.password_last_used.reset();
    }
  }
  const Agent browsers[] = {Agent::browser_chrome_mac, Agent::browser_firefox_windows, Agent::browser_safari_mac};
  user.client.ips = person_ips(account, rng);
  user.client.agents = {browsers[rng.uniform(0, 2)]};
  user.daily_events = static_cast<int>(rng.uniform(2, 6));
  user.active_day_chance = 0.6;
  return user;
}

void add_cli_key(Account& account, Rng& rng, User& user) {
  const int window = static_cast<int>((account.end - account.start) / core::kSecondsPerDay);
  const core::UnixTime earliest = std::max(user.created + 86400, days_before_end(account, 900));
  const core::UnixTime created = earliest + rng.uniform(0, std::max<core::UnixTime>(1, days_before_end(account, window + 5) - earliest));
  user.keys.push_back(make_key(account, rng, created));
  user.client.agents.push_back(Agent::cli_macos);
  if (rng.chance(0.2) || user.workload == Workload::none) {
    user.client.agents.pop_back();  // a key on an old laptop, no longer used
    set_last_used_before_window(user.keys.back(), account, rng, static_cast<int>(rng.uniform(100, 500)));
  } else {
    set_last_used_before_window(user.keys.back(), account, rng, window + static_cast<int>(rng.uniform(1, 15)));
  }
}

}  // namespace

void add_people(Account& account, Rng& rng, int count) {
  std::set<std::string> taken;
  for (const auto& user : account.users) taken.insert(user.name);

  User admin = make_person(account, rng, std::string(kAdminPerson));
  admin.groups = {"Admins"};
  admin.password = true;
  admin.mfa = true;
  admin.workload = Workload::person;
  admin.password_changed = admin.created;
  account.users.push_back(std::move(admin));
  taken.insert(std::string(kAdminPerson));

  int onboarding_keys = 0;
  for (int i = 1; i < count; ++i) {
    std::string name;
    do {
      name = rng.pick(first_names()) + "." + rng.pick(last_names());
    } while (taken.count(name) && taken.size() < first_names().size() * last_names().size());
    if (taken.count(name)) name = fmt::format("{}{}", name, i);
    taken.insert(name);

    User person = make_person(account, rng, name);
    if (onboarding_keys < kOnboardingKeys && person.password) {
      // Created by an onboarding script together with the user; never used since.
      person.keys.push_back(make_key(account, rng, person.created + rng.uniform(20, 90)));
      if (onboarding_keys == 0) {
        plant(account, "access key created with the console user and never used", "aws.access_key.created_with_user",
              account.user_arn(person));
      }
      ++onboarding_keys;
    } else if (rng.chance(0.3)) {
      add_cli_key(account, rng, person);
    }
    account.users.push_back(std::move(person));
  }
}

}  // namespace keyward::generator
