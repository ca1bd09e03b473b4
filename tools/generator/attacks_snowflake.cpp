// Snowflake attack, on the last day of the login history: the password of a LEGACY_SERVICE user
// (password sign-in, no MFA possible) leaked from an ETL host's configuration. From a hosting
// provider the attacker's Python connector fails twice with a stale password, then signs in with
// the current one: a network and a client the user never signed in from.

#include <fmt/format.h>

#include "tools/generator/planted.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {

std::vector<SnowflakeLogin> snowflake_attacks(const Company& company, const std::vector<SnowflakeUserRef>& users,
                                              core::UnixTime history_start, std::vector<InjectedAttack>& planted) {
  Rng rng = company.rng("snowflake").fork("attacks");
  std::vector<SnowflakeLogin> logins;
  const core::UnixTime start = core::day_start(company.end_time - 1) + 2 * 3600 + 48 * 60 + 16;
  if (start < history_start) return logins;
  const SnowflakeUserRef* victim = nullptr;
  for (const auto& user : users) {
    if (user.type == "LEGACY_SERVICE" && user.has_password && user.active) {
      victim = &user;
      break;
    }
  }
  if (victim == nullptr) return logins;

  const std::string ip = attacker_ip(AttackerNetwork::hosting_nl, rng);
  core::UnixTime time = start;
  for (int i = 0; i < 2; ++i) {
    logins.push_back({time, victim->name, ip, "PYTHON_DRIVER", "3.12.3", "390100", "INCORRECT_USERNAME_PASSWORD"});
    time += rng.uniform(3, 20);
  }
  logins.push_back({time, victim->name, ip, "PYTHON_DRIVER", "3.12.3", "", ""});
  planted.push_back(planted_attack("snowflake", "leaked legacy service password used from a hosting provider",
                                   {"snowflake.service_user.password_new_network", "network.new_asn", "network.new_country"},
                                   victim->name, start, time));
  return logins;
}

}  // namespace keyward::generator
