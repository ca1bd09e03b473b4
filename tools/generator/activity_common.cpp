#include <fmt/format.h>

#include "tools/generator/activity.hpp"
#include "tools/generator/api_calls.hpp"

namespace keyward::generator {

std::vector<core::UnixTime> activity_days(const Account& account) {
  std::vector<core::UnixTime> days;
  for (core::UnixTime day = core::day_start(account.start); day < account.end; day += core::kSecondsPerDay) {
    days.push_back(day);
  }
  return days;
}

bool is_workday(core::UnixTime day_start) {
  const std::int64_t weekday = (day_start / core::kSecondsPerDay + 4) % 7;  // 1970-01-01 was a Thursday (4)
  return weekday >= 1 && weekday <= 5;
}

core::UnixTime business_time(core::UnixTime day_start, Rng& rng) { return day_start + rng.uniform(13 * 3600, 23 * 3600 - 1); }

std::string session_key_id(const Account& account, std::string_view owner, long long block) {
  Rng rng = Rng(0).fork(fmt::format("{}/{}/{}", account.id, owner, block));
  return make_access_key_id("ASIA", account, rng);
}

std::string instance_id(const Role& role) {
  Rng rng = Rng(0).fork(role.id);
  return "i-0" + rng.hex(16);
}

core::UnixTime credential_issue_time(const Role& role, long long block) {
  return block * kInstanceCredentialPeriod + Rng(0).fork(fmt::format("{}/{}", role.id, block)).uniform(0, 120);
}

void add_service_assume_role(const Account& account, Trail& trail, Role& role, std::string_view session_name,
                             std::string_view session_key, core::UnixTime time, Rng& rng) {
  Principal service;
  service.user_identity = aws_service_identity(role.service);
  service.source_ip = role.service;
  service.user_agent = role.service;
  service.tls = false;
  service.role = &role;

  const std::string role_arn = account.role_arn(role);
  ApiCall call = management_call("sts", "AssumeRole", true, {{"roleArn", role_arn}, {"roleSessionName", session_name}});
  call.version = "1.08";
  Json credentials;
  credentials["accessKeyId"] = session_key;
  // NOTE: real records also carry the session token here; it is left out so no credential-like
  // value appears in generated data.
  credentials["expiration"] = response_date(time + kInstanceCredentialPeriod + 1800);
  Json assumed;
  assumed["assumedRoleId"] = fmt::format("{}:{}", role.id, session_name);
  assumed["arn"] = fmt::format("arn:aws:sts::{}:assumed-role/{}/{}", account.id, role.name, session_name);
  call.response = {{"credentials", credentials}, {"assumedRoleUser", assumed}};
  Json target;
  target["accountId"] = account.id;
  target["type"] = "AWS::IAM::Role";
  target["ARN"] = role_arn;
  call.resources = Json::array({target});
  trail.add(service, call, time, role.region, rng);
}

}  // namespace keyward::generator
