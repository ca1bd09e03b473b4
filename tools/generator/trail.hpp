#pragma once

// CloudTrail records as AWS writes them. Activity code describes who called (Principal) and what
// (ApiCall); Trail renders the complete record and keeps the last-used fields of access keys and
// roles in step with what it rendered, so the IAM exports agree with the logs.

#include <cstdint>
#include <string>
#include <vector>

#include "tools/generator/account_model.hpp"
#include "tools/generator/random.hpp"

namespace keyward::generator {

// One caller as CloudTrail's userIdentity shows it, with the network and client it calls from.
struct Principal {
  Json user_identity;
  std::string source_ip;
  Agent agent = Agent::go_sdk;
  std::string user_agent;     // when set, used instead of `agent` (AWS services call as "lambda.amazonaws.com")
  AccessKey* key = nullptr;   // long-term key whose last-used fields each call updates
  Role* role = nullptr;       // role whose RoleLastUsed each call updates
  bool console = false;       // a console session: adds sessionCredentialFromConsole
  bool tls = true;            // calls made by AWS services on a principal's behalf carry no tlsDetails
};

struct ApiCall {
  std::string service;  // eventSource without ".amazonaws.com", e.g. "secretsmanager", "monitoring"
  std::string name;     // eventName
  bool read_only = true;
  Json request = nullptr;   // requestParameters; null when the call has none
  Json response = nullptr;  // responseElements
  std::string error_code;
  std::string error_message;
  bool data_event = false;  // S3, DynamoDB and SQS data-plane calls: eventCategory "Data"
  Json resources = nullptr;
  Json additional = nullptr;  // additionalEventData
  std::string event_type = "AwsApiCall";
  std::string version = "1.09";
  std::string host;    // clientProvidedHostHeader when not SERVICE.REGION.amazonaws.com
  std::string region;  // awsRegion when it differs from the caller's, e.g. IAM logs in us-east-1
};

struct TrailRecord {
  core::UnixTime time = 0;
  std::string region;
  std::uint64_t sequence = 0;  // creation order, to keep sorting stable
  std::string json;
};

class Trail {
 public:
  explicit Trail(const Account& account) : account_(account) {}

  // Renders the record for `call` made by `principal` at `time`; `rng` supplies its ids. Calls at
  // or after the account's end time are dropped.
  void add(const Principal& principal, const ApiCall& call, core::UnixTime time, std::string_view region, Rng& rng);

  std::vector<TrailRecord>& records() { return records_; }

 private:
  const Account& account_;
  std::vector<TrailRecord> records_;
};

// The IAM service namespace credential reports use for an eventSource prefix ("monitoring" -> "cloudwatch").
std::string service_namespace(std::string_view service);

// userIdentity blocks, one per kind of caller.
Json iam_user_identity(const Account& account, const User& user, std::string_view access_key_id);
Json console_user_identity(const Account& account, const User& user, std::string_view session_key_id,
                           core::UnixTime session_start, bool mfa);
Json assumed_role_identity(const Account& account, const Role& role, std::string_view session_name,
                           std::string_view session_key_id, core::UnixTime session_start, bool instance_credentials);
Json aws_service_identity(std::string_view service);

// An error message in the form IAM authorization failures take.
std::string access_denied_message(std::string_view principal_arn, std::string_view action, std::string_view resource);

// The date format STS and IAM use inside responseElements: "Nov 28, 2026, 3:12:45 PM".
std::string response_date(core::UnixTime time);

}  // namespace keyward::generator
