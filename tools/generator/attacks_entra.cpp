// Entra ID attack, on the last day the sign-in log covers: an app registration's client secrets
// leaked from an old deployment. From a hosting provider the attacker tries an outdated value of
// the oldest secret against Microsoft Graph, which fails as invalid, then the newest secret,
// which works.

#include <fmt/format.h>

#include "tools/generator/planted.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {
namespace {

nlohmann::json sign_in(Rng& rng, core::UnixTime time, const EntraAppRef& app, const std::string& key_id, const std::string& ip,
                       const std::string& resource_name, const std::string& resource_app_id, std::int64_t error) {
  nlohmann::json status = {{"errorCode", error},
                           {"failureReason", error == 0 ? nlohmann::json(nullptr) : nlohmann::json("Invalid client secret provided.")}};
  return {{"id", rng.uuid()},
          {"createdDateTime", core::format_time(time)},
          {"appDisplayName", app.name},
          {"appId", app.app_id},
          {"ipAddress", ip},
          {"isInteractive", false},
          {"resourceDisplayName", resource_name},
          {"resourceId", resource_app_id},
          {"servicePrincipalId", app.object_id},
          {"servicePrincipalName", app.name},
          {"servicePrincipalCredentialKeyId", key_id},
          {"federatedCredentialId", ""},
          {"servicePrincipalCredentialThumbprint", ""},
          {"signInEventTypes", nlohmann::json::array({"servicePrincipal"})},
          {"userPrincipalName", nullptr},
          {"status", std::move(status)}};
}

}  // namespace

std::vector<nlohmann::json> entra_attacks(const Company& company, const std::vector<EntraAppRef>& apps,
                                          const std::string& resource_name, const std::string& resource_app_id,
                                          core::UnixTime log_start, std::vector<InjectedAttack>& planted) {
  Rng rng = company.rng("entra").fork("attacks");
  std::vector<nlohmann::json> records;
  const core::UnixTime start = core::day_start(company.end_time - 1) + 7 * 3600 + 19 * 60 + 55;
  if (start < log_start) return records;
  const EntraAppRef* victim = nullptr;
  for (const auto& app : apps) {
    if (app.signs_in && !app.secret_key_ids.empty()) {
      victim = &app;
      break;
    }
  }
  if (victim == nullptr) return records;

  const std::string ip = attacker_ip(AttackerNetwork::hosting_de, rng);
  core::UnixTime time = start;
  // AADSTS7000215: invalid client secret. The value the attacker found for the oldest secret was
  // replaced since, so it no longer matches.
  for (int i = 0; i < 3; ++i) {
    records.push_back(sign_in(rng, time, *victim, victim->secret_key_ids.front(), ip, resource_name, resource_app_id, 7000215));
    time += rng.uniform(2, 30);
  }
  records.push_back(sign_in(rng, time, *victim, victim->secret_key_ids.back(), ip, resource_name, resource_app_id, 0));
  planted.push_back(planted_attack("entra", "leaked client secrets tried against Microsoft Graph from a hosting provider",
                                   // entra.service_principal.new_asn is not expected: its 7-day learning period is
                                   // longer than the sign-in log written here.
                                   {"entra.service_principal.invalid_credential"},
                                   victim->app_id, start, time));
  return records;
}

}  // namespace keyward::generator
