#pragma once

// Maps a CloudTrail userIdentity block to the stable principal id that keyward keys activity,
// baselines and alerts on (core::Event::identity_id).

#include <string>
#include <string_view>

namespace keyward::sources::aws {

// The userIdentity fields that decide the principal, as logged.
struct UserIdentityFields {
  std::string_view type;          // "IAMUser", "AssumedRole", "Root", "AWSService", ...
  std::string_view arn;
  std::string_view account_id;
  std::string_view principal_id;
  std::string_view user_name;
  std::string_view invoked_by;
  std::string_view issuer_type;   // sessionContext.sessionIssuer.type: "Role", "IAMUser", "Root"
  std::string_view issuer_arn;    // sessionContext.sessionIssuer.arn
};

// Returns the normalized principal id:
//   IAMUser         the user ARN (built from accountId and userName when arn is missing;
//                   the user's path is then unknown)
//   AssumedRole     the role ARN: sessionIssuer.arn when logged, because it keeps the role path;
//                   otherwise arn:PARTITION:sts::ACCT:assumed-role/ROLE/SESSION becomes
//                   arn:PARTITION:iam::ACCT:role/ROLE
//   Root            arn:aws:iam::ACCT:root
//   FederatedUser   the sessionIssuer ARN (the IAM user or root whose key called
//                   GetFederationToken), else the federated-user ARN
//   AWSService      "aws-service:" + invokedBy, e.g. "aws-service:ec2.amazonaws.com"
//   AWSAccount      "aws-account:" + accountId + ":" + principalId without its session part
//   anything else   the ARN when logged, else TYPE + ":" + principalId, else ""
std::string normalize_identity_id(const UserIdentityFields& fields);

// Maps an assumed-role session ARN to its role ARN (the role path is not in a session ARN).
// Returns "" when `session_arn` is not an assumed-role ARN.
std::string role_arn_from_session_arn(std::string_view session_arn);

}  // namespace keyward::sources::aws
