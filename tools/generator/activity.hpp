#pragma once

// CloudTrail activity: weeks of ordinary traffic for every identity with a workload, then the
// injected attacks. Each identity draws from its own random stream, so changing one identity's
// behaviour leaves the others' records unchanged.

#include <string>
#include <vector>

#include "tools/generator/account_model.hpp"
#include "tools/generator/random.hpp"
#include "tools/generator/trail.hpp"

namespace keyward::generator {

void generate_user_activity(Account& account, Trail& trail, const Rng& base);
void generate_role_activity(Account& account, Trail& trail, const Rng& base);
// Adds the attacks and lists each in account.planted with the detector that should raise it.
void inject_attacks(Account& account, Trail& trail, const Rng& base);
// The company generator's further attacks (attacks_aws.cpp), listed in account.planted the same way.
void inject_more_attacks(Account& account, Trail& trail, const Rng& base);

// Start of each day of the activity window, oldest first.
std::vector<core::UnixTime> activity_days(const Account& account);
// Monday to Friday.
bool is_workday(core::UnixTime day_start);
// A time in US office hours (13:00-23:00 UTC) of the day.
core::UnixTime business_time(core::UnixTime day_start, Rng& rng);

// The temporary key (ASIA...) of an owner's `block`-th credential period, the same wherever it
// is asked for, so attack code can reuse the key a stolen session had.
std::string session_key_id(const Account& account, std::string_view owner, long long block);
// The EC2 instance id a role's instance runs as.
std::string instance_id(const Role& role);
// When the credentials of a role's `block`-th credential period were issued.
core::UnixTime credential_issue_time(const Role& role, long long block);
// Length of one EC2 instance or ECS task credential period. AWS hands out new instance and task
// credentials several times a day; 12 hours keeps the AssumeRole volume of the demo small.
inline constexpr core::UnixTime kInstanceCredentialPeriod = 12 * 3600;

// A call people make from the console: reads of instances, alarms, logs, functions, buckets.
ApiCall console_call(Rng& rng);

// The AssumeRole record an AWS service writes when it takes a role for a function, task or instance.
void add_service_assume_role(const Account& account, Trail& trail, Role& role, std::string_view session_name,
                             std::string_view session_key, core::UnixTime time, Rng& rng);

}  // namespace keyward::generator
