// Google Workspace attacks, two days before the end of the window:
//   (a) consent phishing: a salesperson authorizes an OAuth app the organization never saw, with
//       full Gmail and Drive scopes, and the app reads mail from a hosting provider for an hour;
//   (b) an IT admin's session, stolen, grants domain-wide delegation with mail, Drive and
//       directory scopes to a new API client, through a commercial VPN.

#include <fmt/format.h>

#include "tools/generator/planted.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {
namespace {

using nlohmann::json;

json parameter(const std::string& name, const std::string& value) { return {{"name", name}, {"value", value}}; }

}  // namespace

std::vector<WorkspaceActivity> workspace_attacks(const Company& company, const std::vector<const Employee*>& admins,
                                                 std::vector<InjectedAttack>& planted) {
  Rng rng = company.rng("workspace").fork("attacks");
  std::vector<WorkspaceActivity> activities;
  const core::UnixTime day = core::day_start(company.end_time - 2 * core::kSecondsPerDay);
  if (company.days < 10) return activities;  // the organization needs a week of token activity first

  const Employee* victim = nullptr;
  for (const Employee& employee : company.employees) {
    if (employee.status == "active" && employee.department == "sales") {
      victim = &employee;
      break;
    }
  }
  if (victim != nullptr) {
    const std::string client = rng.text(12, "0123456789") + "-" + rng.text(32, "abcdefghijklmnopqrstuvwxyz0123456789") +
                               ".apps.googleusercontent.com";
    const std::string app_name = "DocuView Pro";
    const std::vector<std::string> scopes = {"openid", "https://www.googleapis.com/auth/userinfo.email", "https://mail.google.com/",
                                             "https://www.googleapis.com/auth/drive"};
    const core::UnixTime start = day + 15 * 3600 + 8 * 60 + 44;
    auto app_parameters = [&] {
      return json::array({parameter("client_id", client), parameter("app_name", app_name), parameter("client_type", "WEB")});
    };
    json authorize = app_parameters();
    authorize.push_back({{"name", "scope"}, {"multiValue", scopes}});
    // The victim consents from their own browser; the app then calls from its server.
    activities.push_back({"token", start, victim, fmt::format("198.51.100.{}", rng.uniform(1, 254)),
                          {{"type", "auth"}, {"name", "authorize"}, {"parameters", std::move(authorize)}}});
    const std::string ip = attacker_ip(AttackerNetwork::hosting_nl, rng);
    core::UnixTime time = start + rng.uniform(20, 90);
    for (int i = 0; i < 30; ++i) {
      json parameters = app_parameters();
      parameters.push_back(parameter("api_name", "gmail"));
      parameters.push_back(parameter("method_name", "gmail.users.messages.get"));
      parameters.push_back({{"name", "num_response_bytes"}, {"intValue", std::to_string(rng.uniform(20000, 900000))}});
      activities.push_back({"token", time, victim, ip, {{"type", "auth"}, {"name", "activity"}, {"parameters", std::move(parameters)}}});
      time += rng.uniform(30, 150);
    }
    planted.push_back(planted_attack("workspace", "consent phishing: unknown OAuth app granted full Gmail and Drive reads mail",
                                     {"workspace.oauth.high_risk_grant_to_new_app"}, client, start, time));
  }
  if (!admins.empty()) {
    const Employee* admin = admins.back();
    const core::UnixTime time = day + 22 * 3600 + 51 * 60 + 3;
    const std::string client = "1" + rng.text(20, "0123456789");
    json parameters = json::array(
        {parameter("API_CLIENT_NAME", client),
         {{"name", "API_SCOPES"},
          {"multiValue", {"https://mail.google.com/", "https://www.googleapis.com/auth/drive",
                          "https://www.googleapis.com/auth/admin.directory.user"}}}});
    activities.push_back({"admin", time, admin, attacker_ip(AttackerNetwork::vpn_se, rng),
                          {{"type", "DOMAIN_SETTINGS"}, {"name", "AUTHORIZE_API_CLIENT_ACCESS"}, {"parameters", std::move(parameters)}}});
    planted.push_back(planted_attack("workspace", "stolen admin session grants domain-wide delegation through a VPN",
                                     {"workspace.admin.domain_wide_delegation_granted"}, admin->email, time, time));
  }
  return activities;
}

}  // namespace keyward::generator
