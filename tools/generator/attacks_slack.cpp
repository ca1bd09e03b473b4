// Slack attack, on the last day the audit log covers: a marketing employee's session, stolen
// and replayed through a commercial VPN, installs an unreviewed "export" app with admin scopes
// and the scopes that read private channels, DMs and files.

#include <fmt/format.h>

#include "tools/generator/planted.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {

std::vector<SlackAuditAction> slack_attacks(const Company& company, const std::vector<SlackMemberRef>& members,
                                            core::UnixTime log_start, std::vector<InjectedAttack>& planted) {
  Rng rng = company.rng("slack").fork("attacks");
  std::vector<SlackAuditAction> actions;
  const core::UnixTime time = core::day_start(company.end_time - 1) + 5 * 3600 + 37 * 60 + 2;
  if (time < log_start) return actions;
  const SlackMemberRef* actor = nullptr;
  for (const auto& member : members) {
    if (member.employee->status == "active" && member.employee->department == "marketing") {
      actor = &member;
      break;
    }
  }
  if (actor == nullptr) return actions;

  const std::string app_id = "A0" + rng.text(9, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
  const nlohmann::json scopes = {"admin", "channels:history", "groups:history", "im:history", "mpim:history", "files:read",
                                 "users:read", "users:read.email"};
  nlohmann::json entity = {{"type", "app"},
                           {"app", {{"id", app_id}, {"name", "Slack Export Helper"}, {"is_distributed", true},
                                    {"is_directory_approved", false}, {"is_workflow_app", false}, {"scopes", scopes}}}};
  actions.push_back({time, "app_installed", *actor, std::move(entity), {{"is_internal_integration", false}},
                     attacker_ip(AttackerNetwork::vpn_se, rng),
                     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"});
  // Audit log entries name the member who acted, so alerts do too.
  planted.push_back(planted_attack("slack", fmt::format("stolen session installs unreviewed app {} with admin and DM-reading scopes", app_id),
                                   {"slack.app.broad_scopes_granted"}, actor->id, time, time));
  return actions;
}

}  // namespace keyward::generator
