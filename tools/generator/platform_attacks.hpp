#pragma once

// The attacks injected into the SaaS and cloud platforms other than AWS, one file each
// (attacks_gcp.cpp, attacks_okta.cpp, ...). Each platform generator hands its attack function the
// identities it generated, in the small structs below, and writes the records it gets back with
// its own record writer, so the attack records have exactly the platform's format. Each function
// draws from its own random stream (company.rng("PLATFORM").fork("attacks")), so the ordinary
// activity is the same bytes with or without the attacks, and appends what it planted, with the
// detectors that should report it, to `planted`.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/time.hpp"
#include "tools/generator/aws_account.hpp"
#include "tools/generator/company.hpp"

namespace keyward::generator {

// --- Google Cloud: Cloud Audit Log entries as a log sink writes them.
struct GcpServiceAccountRef {
  std::string email;
  std::string unique_id;
  std::string project_id;
  const Employee* owner = nullptr;
  std::string used_key_id;  // a user-managed key the audit log shows in use, or empty
  bool disabled = false;
};
struct GcpAuditRecord {
  core::UnixTime time = 0;
  bool activity = false;  // admin activity log; false: data access log
  nlohmann::json entry;
};
// `log_start` is the first second the audit logs cover.
std::vector<GcpAuditRecord> gcp_attacks(const Company& company, const std::vector<GcpServiceAccountRef>& accounts,
                                        core::UnixTime log_start, std::vector<InjectedAttack>& planted);

// --- Okta: System Log events, written by okta.cpp's writer.
struct OktaTokenRef {
  std::string id;
  std::string name;
  nlohmann::json actor;  // the System Log actor of the token's owner
  bool used = false;     // the log shows it in use
};
struct OktaLogEvent {
  core::UnixTime time = 0;
  std::string event_type;
  std::string message;
  nlohmann::json actor;
  std::string ip;
  std::string user_agent;
  nlohmann::json targets;
  std::string token_id;
};
// `targets`: System Log target objects of ordinary users the attacker can act on.
std::vector<OktaLogEvent> okta_attacks(const Company& company, const std::vector<OktaTokenRef>& tokens,
                                       const std::vector<nlohmann::json>& targets, core::UnixTime log_start,
                                       std::vector<InjectedAttack>& planted);

// --- GitHub: organization audit log records (without the fields every record gets).
struct GithubTokenRef {
  std::string id;           // numeric token id
  std::string owner_login;
  bool classic = true;      // classic personal access token; false: fine-grained
  std::string scopes;       // classic scopes, comma-separated
};
std::vector<nlohmann::json> github_attacks(const Company& company, const std::string& organization,
                                           const std::vector<std::string>& repositories,
                                           const std::vector<GithubTokenRef>& tokens, core::UnixTime log_start,
                                           std::vector<InjectedAttack>& planted);

// --- Google Workspace: Reports API activities, wrapped by workspace.cpp's writer.
struct WorkspaceActivity {
  std::string application;  // "token" or "admin"
  core::UnixTime time = 0;
  const Employee* actor = nullptr;
  std::string ip;
  nlohmann::json event;  // one entry of the activity's "events"
};
std::vector<WorkspaceActivity> workspace_attacks(const Company& company, const std::vector<const Employee*>& admins,
                                                 std::vector<InjectedAttack>& planted);

// --- Slack: Audit Logs API entries, without the context every entry gets.
struct SlackMemberRef {
  const Employee* employee = nullptr;
  std::string id;
};
struct SlackAuditAction {
  core::UnixTime time = 0;
  std::string action;
  SlackMemberRef actor;
  nlohmann::json entity;
  nlohmann::json details;
  std::string ip;
  std::string user_agent;
};
std::vector<SlackAuditAction> slack_attacks(const Company& company, const std::vector<SlackMemberRef>& members,
                                            core::UnixTime log_start, std::vector<InjectedAttack>& planted);

// --- Snowflake: LOGIN_HISTORY rows, formatted by snowflake.cpp.
struct SnowflakeUserRef {
  std::string name;
  std::string type;  // PERSON, SERVICE or LEGACY_SERVICE
  bool has_password = false;
  bool active = false;  // signs in during the window
};
struct SnowflakeLogin {
  core::UnixTime time = 0;
  std::string user;
  std::string ip;
  std::string client_type;
  std::string client_version;
  std::string error_code;  // empty on success
  std::string error_message;
};
std::vector<SnowflakeLogin> snowflake_attacks(const Company& company, const std::vector<SnowflakeUserRef>& users,
                                              core::UnixTime history_start, std::vector<InjectedAttack>& planted);

// --- Entra ID: service principal sign-ins (Graph beta auditLogs/signIns records).
struct EntraAppRef {
  std::string object_id;  // service principal object id
  std::string app_id;
  std::string name;
  std::vector<std::string> secret_key_ids;  // client secrets, oldest first
  bool signs_in = false;  // the sign-in log shows it
};
// `resource_name`, `resource_app_id`: what the attacker signs in to (Microsoft Graph).
std::vector<nlohmann::json> entra_attacks(const Company& company, const std::vector<EntraAppRef>& apps,
                                          const std::string& resource_name, const std::string& resource_app_id,
                                          core::UnixTime log_start, std::vector<InjectedAttack>& planted);

// Attacker networks shared by the platforms' attacks: ranges the enrichment test fixture
// describes (src/enrich/testdata/README.md): two hosting providers and a commercial VPN.
enum class AttackerNetwork { hosting_de, hosting_nl, vpn_se };
std::string attacker_ip(AttackerNetwork network, Rng& rng);

}  // namespace keyward::generator
