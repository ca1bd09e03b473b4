#pragma once

// User-agent families for CloudTrail's userAgent field, and markers of offensive tooling.
//
// Families:
//   aws-cli
//   aws-sdk-go, -go-v2, -java, -js, -python (Boto3, botocore), -ruby, -dotnet, -php, -rust, -cpp
//   terraform, pulumi, cloudformation
//   aws-console       console.amazonaws.com, signin.amazonaws.com, "AWS Internal", S3Console
//   aws-service       an AWS service calling on the principal's behalf ("lambda.amazonaws.com",
//                     "aws-internal/3 ...")
//   browser
//   curl, wget, python-requests, python-urllib, go-http-client, powershell
//   security-scanner  auditors such as ScoutSuite and Prowler
//   offensive-tool    Pacu, TruffleHog, CloudFox, Stratus Red Team, WeirdAAL
//   other             any other text
//   unknown           an empty field

#include <string>
#include <string_view>
#include <vector>

namespace keyward::enrich {

struct UserAgentInfo {
  std::string_view family;  // one of the families above; points to static storage
  // Set when the client is an offensive tool or runs on a penetration-testing distribution
  // (Kali, Parrot or Pentoo, as the AWS CLI and SDKs write the OS release into the user agent).
  bool offensive = false;
  std::string_view marker;  // what was recognized: "Kali Linux", "Pacu", "ScoutSuite", or empty
};

UserAgentInfo classify_user_agent(std::string_view user_agent);

// Every family classify_user_agent can return.
const std::vector<std::string>& user_agent_families();

}  // namespace keyward::enrich
