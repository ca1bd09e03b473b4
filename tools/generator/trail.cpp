#include "tools/generator/trail.hpp"

#include <fmt/format.h>

namespace keyward::generator {
namespace {

std::string event_source(std::string_view service) {
  if (service == "signin") return "signin.amazonaws.com";
  return std::string(service) + ".amazonaws.com";
}

// Endpoint host the client connected to, as tlsDetails.clientProvidedHostHeader shows it.
std::string endpoint_host(const ApiCall& call, std::string_view region) {
  if (!call.host.empty()) return call.host;
  if (call.service == "iam" || call.service == "route53" || call.service == "cloudfront") {
    return call.service + ".amazonaws.com";
  }
  if (call.service == "signin") return "signin.aws.amazon.com";
  return fmt::format("{}.{}.amazonaws.com", call.service, region);
}

Json tls_details(std::string_view host) {
  Json tls;
  tls["tlsVersion"] = "TLSv1.3";
  tls["cipherSuite"] = "TLS_AES_128_GCM_SHA256";
  tls["clientProvidedHostHeader"] = host;
  return tls;
}

std::string resolved_user_agent(const Principal& principal, const ApiCall& call) {
  if (!principal.user_agent.empty()) return principal.user_agent;
  std::string agent(user_agent(principal.agent));
  if (agent_takes_command(principal.agent)) agent += " md/command#" + cli_command(call.service, call.name);
  return agent;
}

void update_last_used(const Principal& principal, const ApiCall& call, core::UnixTime time, std::string_view region) {
  if (AccessKey* key = principal.key; key && (!key->last_used || *key->last_used <= time)) {
    key->last_used = time;
    key->last_used_region = std::string(region);
    key->last_used_service = service_namespace(call.service);
  }
  if (Role* role = principal.role; role && (!role->last_used || *role->last_used <= time)) {
    role->last_used = time;
    role->last_used_region = std::string(region);
  }
}

}  // namespace

void Trail::add(const Principal& principal, const ApiCall& call, core::UnixTime time, std::string_view caller_region,
                Rng& rng) {
  if (time >= account_.end) return;  // the logs end where the credential report was generated
  const std::string region = call.region.empty() ? std::string(caller_region) : call.region;
  Json record;
  record["eventVersion"] = call.version;
  record["userIdentity"] = principal.user_identity;
  record["eventTime"] = core::format_time(time);
  record["eventSource"] = event_source(call.service);
  record["eventName"] = call.name;
  record["awsRegion"] = region;
  record["sourceIPAddress"] = principal.source_ip;
  record["userAgent"] = resolved_user_agent(principal, call);
  if (!call.error_code.empty()) record["errorCode"] = call.error_code;
  if (!call.error_message.empty()) record["errorMessage"] = call.error_message;
  record["requestParameters"] = call.request;
  record["responseElements"] = call.response;
  if (!call.additional.is_null()) record["additionalEventData"] = call.additional;
  if (call.event_type != "AwsConsoleSignIn") {
    record["requestID"] = call.service == "s3" ? rng.text(16, "0123456789ABCDEF") : rng.uuid();
  }
  record["eventID"] = rng.uuid();
  record["readOnly"] = call.read_only;
  if (!call.resources.is_null()) record["resources"] = call.resources;
  record["eventType"] = call.event_type;
  record["managementEvent"] = !call.data_event;
  record["recipientAccountId"] = account_.id;
  record["eventCategory"] = call.data_event ? "Data" : "Management";
  if (principal.tls) record["tlsDetails"] = tls_details(endpoint_host(call, region));
  if (principal.console) record["sessionCredentialFromConsole"] = "true";

  update_last_used(principal, call, time, region);
  records_.push_back(TrailRecord{time, region, records_.size(), record.dump()});
}

std::string service_namespace(std::string_view service) {
  if (service == "monitoring") return "cloudwatch";
  if (service == "tagging") return "tag";
  return std::string(service);
}

Json iam_user_identity(const Account& account, const User& user, std::string_view access_key_id) {
  Json identity;
  identity["type"] = "IAMUser";
  identity["principalId"] = user.id;
  identity["arn"] = account.user_arn(user);
  identity["accountId"] = account.id;
  if (!access_key_id.empty()) identity["accessKeyId"] = access_key_id;
  identity["userName"] = user.name;
  return identity;
}

Json console_user_identity(const Account& account, const User& user, std::string_view session_key_id,
                           core::UnixTime session_start, bool mfa) {
  Json identity = iam_user_identity(account, user, session_key_id);
  Json context;
  context["sessionIssuer"] = Json::object();
  context["webIdFederationData"] = Json::object();
  context["attributes"] = {{"creationDate", core::format_time(session_start)}, {"mfaAuthenticated", mfa ? "true" : "false"}};
  identity["sessionContext"] = context;
  return identity;
}

Json assumed_role_identity(const Account& account, const Role& role, std::string_view session_name,
                           std::string_view session_key_id, core::UnixTime session_start, bool instance_credentials) {
  Json identity;
  identity["type"] = "AssumedRole";
  identity["principalId"] = fmt::format("{}:{}", role.id, session_name);
  identity["arn"] = fmt::format("arn:aws:sts::{}:assumed-role/{}/{}", account.id, role.name, session_name);
  identity["accountId"] = account.id;
  identity["accessKeyId"] = session_key_id;
  Json issuer;
  issuer["type"] = "Role";
  issuer["principalId"] = role.id;
  issuer["arn"] = account.role_arn(role);
  issuer["accountId"] = account.id;
  issuer["userName"] = role.name;
  Json context;
  context["sessionIssuer"] = issuer;
  context["webIdFederationData"] = Json::object();
  context["attributes"] = {{"creationDate", core::format_time(session_start)}, {"mfaAuthenticated", "false"}};
  if (instance_credentials) context["ec2RoleDelivery"] = "2.0";
  identity["sessionContext"] = context;
  return identity;
}

Json aws_service_identity(std::string_view service) {
  Json identity;
  identity["type"] = "AWSService";
  identity["invokedBy"] = service;
  return identity;
}

std::string access_denied_message(std::string_view principal_arn, std::string_view action, std::string_view resource) {
  return fmt::format(
      "User: {} is not authorized to perform: {} on resource: {} because no identity-based policy allows the {} action",
      principal_arn, action, resource, action);
}

std::string response_date(core::UnixTime time) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string date = core::format_date(time);  // YYYY-MM-DD
  const int month = std::stoi(date.substr(5, 2));
  const int day = std::stoi(date.substr(8, 2));
  const std::int64_t seconds = time - core::day_start(time);
  const std::int64_t hour = seconds / 3600;
  const std::int64_t hour12 = hour % 12 == 0 ? 12 : hour % 12;
  return fmt::format("{} {}, {}, {}:{:02}:{:02} {}", kMonths[month - 1], day, date.substr(0, 4), hour12,
                     seconds / 60 % 60, seconds % 60, hour < 12 ? "AM" : "PM");
}

}  // namespace keyward::generator
