#pragma once

// Builds the account's identities: who exists, what they may do, which keys they hold and how
// they behave. The planted posture problems are decided here and listed in Account::planted.

#include "core/result.hpp"
#include "tools/generator/account_model.hpp"
#include "tools/generator/aws_account.hpp"
#include "tools/generator/random.hpp"

namespace keyward::generator {

// Names of the planted identities, shared by population, activity and attack code.
inline constexpr std::string_view kLeakedCiUser = "ci-deploy";
inline constexpr std::string_view kDormantUser = "svc-legacy-export";
inline constexpr std::string_view kSharedKeyUser = "svc-shared-automation";
inline constexpr std::string_view kConsoleMachineUser = "svc-reporting";
inline constexpr std::string_view kTerraformUser = "terraform-prod";
inline constexpr std::string_view kLambdaDeployerUser = "svc-lambda-deployer";
inline constexpr std::string_view kTwoKeyUser = "backup-nightly";
inline constexpr std::string_view kWildcardUser = "svc-jenkins-legacy";
inline constexpr std::string_view kNeverUsedUser = "integration-old-crm";
inline constexpr std::string_view kAdminPerson = "maria.lopez";
inline constexpr std::string_view kCompromisedRole = "jenkins-agent-role";
inline constexpr std::string_view kGuardRole = "cloudtrail-guard-role";
inline constexpr std::string_view kEscalationTargetRole = "reporting-generator-role";
inline constexpr std::string_view kTrailName = "org-audit-trail";
// The AWS account Datadog's integration assumes roles from, as Datadog's documentation of the
// integration role's trust policy gives it.
inline constexpr std::string_view kDatadogAccount = "464622532012";

// Days before end_time at which the dormant key was last used before its reuse.
inline constexpr int kDormantDays = 131;

core::Result<Account> build_account(const GeneratorOptions& options, Rng& rng);

// Parts of build_account, one file each.
void add_groups(Account& account, Rng& rng);
void add_planted_users(Account& account, Rng& rng);
void add_machine_users(Account& account, Rng& rng, int count);
void add_people(Account& account, Rng& rng, int count);
void add_roles(Account& account, Rng& rng, int count);
void add_platform_roles(Account& account, Rng& rng);
void add_generated_roles(Account& account, Rng& rng, int count);

// Helpers shared by the population files.
User new_user(Account& account, Rng& rng, std::string name, bool machine, double created_days_ago);
// Registers the application's own secret, "prod/APP/credentials", and returns its name.
std::string add_app_secret(Account& account, std::string_view app);
core::UnixTime days_before_end(const Account& account, double days);
AccessKey make_key(const Account& account, Rng& rng, core::UnixTime created, bool active = true);
// A key used last `days` before the end, outside the generated CloudTrail window.
void set_last_used_before_window(AccessKey& key, const Account& account, Rng& rng, int days);
Role new_role(Account& account, Rng& rng, std::string name, std::string path, double created_days_ago, Json trust);
void set_role_last_used_before_window(Role& role, const Account& account, Rng& rng, int days);
void give_instance_profile(Account& account, Rng& rng, Role& role);
void plant(Account& account, std::string name, std::string rule, std::string identity_arn);

}  // namespace keyward::generator
