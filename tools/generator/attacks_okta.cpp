// Okta attack, on the last day the System Log covers. An admin's SSWS API token, usable from any
// network, leaks. A scripted HTTP client uses it through a commercial VPN to reset a user's
// factors and password and add the user to groups, the moves that hand an attacker a working
// account.

#include <fmt/format.h>

#include "tools/generator/planted.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {

std::vector<OktaLogEvent> okta_attacks(const Company& company, const std::vector<OktaTokenRef>& tokens,
                                       const std::vector<nlohmann::json>& targets, core::UnixTime log_start,
                                       std::vector<InjectedAttack>& planted) {
  Rng rng = company.rng("okta").fork("attacks");
  std::vector<OktaLogEvent> events;
  const core::UnixTime start = core::day_start(company.end_time - 1) + 3 * 3600 + 26 * 60 + 51;
  if (start < log_start || targets.empty()) return events;
  const OktaTokenRef* token = nullptr;
  for (const auto& candidate : tokens) {
    if (candidate.used) {
      token = &candidate;
      break;
    }
  }
  if (token == nullptr) return events;

  const std::string ip = attacker_ip(AttackerNetwork::vpn_se, rng);
  const std::string agent = "python-requests/2.31.0";
  const nlohmann::json& victim = targets[static_cast<size_t>(rng.uniform(0, static_cast<std::int64_t>(targets.size()) - 1))];
  const nlohmann::json target = nlohmann::json::array({victim});
  core::UnixTime time = start;
  const std::pair<std::string, std::string> steps[] = {
      {"user.mfa.factor.reset_all", "Reset all factors for user"},
      {"user.account.reset_password", "Fired when the user's Okta password is reset"},
      {"group.user_membership.add", "Add user to group membership"},
      {"group.user_membership.add", "Add user to group membership"},
      {"application.user_membership.add", "Add user to application membership"},
  };
  for (const auto& [type, message] : steps) {
    events.push_back({time, type, message, token->actor, ip, agent, target, token->id});
    time += rng.uniform(4, 50);
  }
  planted.push_back(planted_attack("okta", "admin's API token used through a commercial VPN to take over a user",
                                   {"okta.api_token.new_network"}, token->id, start, time));
  return events;
}

}  // namespace keyward::generator
