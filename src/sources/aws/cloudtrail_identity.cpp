#include "sources/aws/cloudtrail_identity.hpp"

#include <initializer_list>

namespace keyward::sources::aws {
namespace {

constexpr std::string_view kAssumedRolePrefix = "assumed-role/";

std::string concat(std::initializer_list<std::string_view> parts) {
  std::string out;
  size_t size = 0;
  for (auto part : parts) size += part.size();
  out.reserve(size);
  for (auto part : parts) out.append(part);
  return out;
}

std::string_view partition_of(std::string_view arn) {
  // arn:PARTITION:service:region:account:resource
  if (arn.substr(0, 4) != "arn:") return "aws";
  const size_t end = arn.find(':', 4);
  if (end == std::string_view::npos || end == 4) return "aws";
  return arn.substr(4, end - 4);
}

std::string assumed_role_id(const UserIdentityFields& fields) {
  if (!fields.issuer_arn.empty() && fields.issuer_arn.find(":role/") != std::string_view::npos) {
    return std::string(fields.issuer_arn);
  }
  if (std::string role = role_arn_from_session_arn(fields.arn); !role.empty()) return role;
  if (!fields.arn.empty()) return std::string(fields.arn);
  if (!fields.principal_id.empty()) return concat({"AssumedRole:", fields.principal_id});
  return {};
}

std::string iam_user_id(const UserIdentityFields& fields) {
  if (!fields.arn.empty()) return std::string(fields.arn);
  if (!fields.account_id.empty() && !fields.user_name.empty()) {
    return concat({"arn:aws:iam::", fields.account_id, ":user/", fields.user_name});
  }
  if (!fields.principal_id.empty()) return concat({"IAMUser:", fields.principal_id});
  return {};
}

std::string root_id(const UserIdentityFields& fields) {
  if (!fields.account_id.empty()) {
    return concat({"arn:", partition_of(fields.arn), ":iam::", fields.account_id, ":root"});
  }
  return std::string(fields.arn);
}

std::string aws_account_id(const UserIdentityFields& fields) {
  std::string_view principal = fields.principal_id;
  if (const size_t colon = principal.find(':'); colon != std::string_view::npos) {
    principal = principal.substr(0, colon);
  }
  if (principal.empty()) return concat({"aws-account:", fields.account_id});
  return concat({"aws-account:", fields.account_id, ":", principal});
}

}  // namespace

std::string role_arn_from_session_arn(std::string_view session_arn) {
  // arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION
  const size_t service = session_arn.find(":sts::");
  if (session_arn.substr(0, 4) != "arn:" || service == std::string_view::npos) return {};
  const size_t account_begin = service + 6;
  const size_t account_end = session_arn.find(':', account_begin);
  if (account_end == std::string_view::npos) return {};
  std::string_view resource = session_arn.substr(account_end + 1);
  if (resource.substr(0, kAssumedRolePrefix.size()) != kAssumedRolePrefix) return {};
  std::string_view role = resource.substr(kAssumedRolePrefix.size());
  role = role.substr(0, role.find('/'));
  if (role.empty()) return {};
  return concat({"arn:", partition_of(session_arn), ":iam::",
                 session_arn.substr(account_begin, account_end - account_begin), ":role/", role});
}

std::string normalize_identity_id(const UserIdentityFields& fields) {
  const std::string_view type = fields.type;
  if (type == "IAMUser") return iam_user_id(fields);
  if (type == "AssumedRole") return assumed_role_id(fields);
  if (type == "Root") return root_id(fields);
  if (type == "FederatedUser") {
    return fields.issuer_arn.empty() ? std::string(fields.arn) : std::string(fields.issuer_arn);
  }
  if (type == "AWSService") {
    return concat({"aws-service:", fields.invoked_by.empty() ? std::string_view("unknown") : fields.invoked_by});
  }
  if (type == "AWSAccount") return aws_account_id(fields);
  if (!fields.arn.empty()) return std::string(fields.arn);
  if (!fields.principal_id.empty()) {
    return concat({type.empty() ? std::string_view("unknown") : type, ":", fields.principal_id});
  }
  return {};
}

}  // namespace keyward::sources::aws
