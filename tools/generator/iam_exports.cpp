#include "tools/generator/iam_exports.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace keyward::generator {
namespace {

constexpr std::string_view kReportHeader =
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,"
    "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,"
    "access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
    "access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
    "cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

const char* flag(bool value) { return value ? "true" : "false"; }

// The five access-key columns; a missing key and a key never used both read N/A.
std::string key_columns(const AccessKey* key) {
  if (!key) return "false,N/A,N/A,N/A,N/A";
  if (!key->last_used) return fmt::format("{},{},N/A,N/A,N/A", flag(key->active), cli_time(key->created));
  return fmt::format("{},{},{},{},{}", flag(key->active), cli_time(key->created), cli_time(*key->last_used),
                     key->last_used_region, key->last_used_service);
}

std::string user_row(const Account& account, const User& user) {
  std::string password_last_used = "N/A";
  std::string password_last_changed = "N/A";
  if (user.password) {
    password_last_used = user.password_last_used ? cli_time(*user.password_last_used) : "no_information";
    password_last_changed = cli_time(user.password_changed);
  }
  const AccessKey* first = user.keys.size() > 0 ? &user.keys[0] : nullptr;
  const AccessKey* second = user.keys.size() > 1 ? &user.keys[1] : nullptr;
  // The account has no password expiry policy, so password_next_rotation is N/A.
  return fmt::format("{},{},{},{},{},{},N/A,{},{},{},false,N/A,false,N/A", user.name, account.user_arn(user),
                     cli_time(user.created), flag(user.password), password_last_used, password_last_changed,
                     flag(user.mfa), key_columns(first), key_columns(second));
}

std::string root_row(const Account& account) {
  const RootAccount& root = account.root;
  const std::string password_last_used = root.password_last_used ? cli_time(*root.password_last_used) : "no_information";
  return fmt::format("<root_account>,{},{},not_supported,{},not_supported,not_supported,{},{},{},false,N/A,false,N/A",
                     account.root_arn(), cli_time(root.created), password_last_used, flag(root.mfa),
                     key_columns(&root.key), key_columns(nullptr));
}

template <class T>
std::vector<const T*> sorted_by_name(const std::vector<T>& items) {
  std::vector<const T*> sorted;
  for (const auto& item : items) sorted.push_back(&item);
  std::sort(sorted.begin(), sorted.end(), [](const T* a, const T* b) { return a->name < b->name; });
  return sorted;
}

Json attached(const Account& account, const std::vector<std::string>& arns) {
  Json list = Json::array();
  for (const auto& arn : arns) {
    const ManagedPolicy* policy = account.find_policy(arn);
    list.push_back({{"PolicyName", policy ? policy->name : arn.substr(arn.rfind('/') + 1)}, {"PolicyArn", arn}});
  }
  return list;
}

Json inline_list(const std::vector<InlinePolicy>& policies) {
  Json list = Json::array();
  for (const auto& policy : policies) list.push_back({{"PolicyName", policy.name}, {"PolicyDocument", policy.document}});
  return list;
}

Json tag_list(const std::vector<Tag>& tags) {
  Json list = Json::array();
  for (const auto& tag : tags) list.push_back({{"Key", tag.key}, {"Value", tag.value}});
  return list;
}

Json user_detail(const Account& account, const User& user) {
  Json detail;
  detail["Path"] = user.path;
  detail["UserName"] = user.name;
  detail["UserId"] = user.id;
  detail["Arn"] = account.user_arn(user);
  detail["CreateDate"] = cli_time(user.created);
  if (!user.inline_policies.empty()) detail["UserPolicyList"] = inline_list(user.inline_policies);
  detail["GroupList"] = user.groups;
  detail["AttachedManagedPolicies"] = attached(account, user.policy_arns);
  detail["Tags"] = tag_list(user.tags);
  return detail;
}

Json group_detail(const Account& account, const Group& group) {
  Json detail;
  detail["Path"] = "/";
  detail["GroupName"] = group.name;
  detail["GroupId"] = group.id;
  detail["Arn"] = fmt::format("arn:aws:iam::{}:group/{}", account.id, group.name);
  detail["CreateDate"] = cli_time(group.created);
  detail["GroupPolicyList"] = inline_list(group.inline_policies);
  detail["AttachedManagedPolicies"] = attached(account, group.policy_arns);
  return detail;
}

Json role_summary(const Account& account, const Role& role) {
  Json summary;
  summary["Path"] = role.path;
  summary["RoleName"] = role.name;
  summary["RoleId"] = role.id;
  summary["Arn"] = account.role_arn(role);
  summary["CreateDate"] = cli_time(role.created);
  summary["AssumeRolePolicyDocument"] = role.trust_policy;
  return summary;
}

Json role_detail(const Account& account, const Role& role) {
  Json detail = role_summary(account, role);
  Json profiles = Json::array();
  if (!role.instance_profile.empty()) {
    Json profile;
    profile["Path"] = "/";
    profile["InstanceProfileName"] = role.instance_profile;
    profile["InstanceProfileId"] = role.instance_profile_id;
    profile["Arn"] = fmt::format("arn:aws:iam::{}:instance-profile/{}", account.id, role.instance_profile);
    profile["CreateDate"] = cli_time(role.created + 5);
    profile["Roles"] = Json::array({role_summary(account, role)});
    profiles.push_back(profile);
  }
  detail["InstanceProfileList"] = profiles;
  detail["RolePolicyList"] = inline_list(role.inline_policies);
  detail["AttachedManagedPolicies"] = attached(account, role.policy_arns);
  detail["Tags"] = tag_list(role.tags);
  Json last_used = Json::object();
  if (role.last_used) last_used = {{"LastUsedDate", cli_time(*role.last_used)}, {"Region", role.last_used_region}};
  detail["RoleLastUsed"] = last_used;
  return detail;
}

int attachment_count(const Account& account, const std::string& arn) {
  int count = 0;
  auto counts = [&](const std::vector<std::string>& arns) { return std::count(arns.begin(), arns.end(), arn); };
  for (const auto& user : account.users) count += static_cast<int>(counts(user.policy_arns));
  for (const auto& group : account.groups) count += static_cast<int>(counts(group.policy_arns));
  for (const auto& role : account.roles) count += static_cast<int>(counts(role.policy_arns));
  return count;
}

Json policy_detail(const ManagedPolicy& policy, int attachments) {
  const int versions = static_cast<int>(policy.versions.size());
  Json detail;
  detail["PolicyName"] = policy.name;
  detail["PolicyId"] = policy.id;
  detail["Arn"] = policy.arn;
  detail["Path"] = policy.path;
  detail["DefaultVersionId"] = fmt::format("v{}", policy.first_version + versions - 1);
  detail["AttachmentCount"] = attachments;
  detail["PermissionsBoundaryUsageCount"] = 0;
  detail["IsAttachable"] = true;
  detail["CreateDate"] = cli_time(policy.created);
  detail["UpdateDate"] = cli_time(policy.updated);
  Json list = Json::array();
  for (int i = versions - 1; i >= 0; --i) {  // newest first, as IAM lists them
    const core::UnixTime created = versions == 1 ? policy.updated : policy.created + (policy.updated - policy.created) * i / (versions - 1);
    Json version;
    version["Document"] = policy.versions[static_cast<size_t>(i)];
    version["VersionId"] = fmt::format("v{}", policy.first_version + i);
    version["IsDefaultVersion"] = i == versions - 1;
    version["CreateDate"] = cli_time(created);
    list.push_back(version);
  }
  detail["PolicyVersionList"] = list;
  return detail;
}

}  // namespace

std::string base64_encode(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  for (size_t i = 0; i < data.size(); i += 3) {
    const size_t left = std::min<size_t>(3, data.size() - i);
    std::uint32_t chunk = static_cast<unsigned char>(data[i]) << 16;
    if (left > 1) chunk |= static_cast<unsigned char>(data[i + 1]) << 8;
    if (left > 2) chunk |= static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += left > 1 ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += left > 2 ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

std::string render_credential_report_csv(const Account& account) {
  std::string csv(kReportHeader);
  csv += '\n';
  csv += root_row(account);
  for (const User* user : sorted_by_name(account.users)) {
    csv += '\n';
    csv += user_row(account, *user);
  }
  return csv;
}

std::string render_credential_report(const Account& account) {
  Json report;
  report["Content"] = base64_encode(render_credential_report_csv(account));
  report["ReportFormat"] = "text/csv";
  report["GeneratedTime"] = cli_time(account.end);
  return report.dump(4) + "\n";
}

std::string render_authorization_details(const Account& account) {
  Json details;
  details["UserDetailList"] = Json::array();
  for (const User* user : sorted_by_name(account.users)) details["UserDetailList"].push_back(user_detail(account, *user));
  details["GroupDetailList"] = Json::array();
  for (const Group* group : sorted_by_name(account.groups)) details["GroupDetailList"].push_back(group_detail(account, *group));
  details["RoleDetailList"] = Json::array();
  for (const Role* role : sorted_by_name(account.roles)) details["RoleDetailList"].push_back(role_detail(account, *role));
  details["Policies"] = Json::array();
  for (const ManagedPolicy* policy : sorted_by_name(account.policies)) {
    const int attachments = attachment_count(account, policy->arn);
    // Like the API, AWS managed policies appear only while something attaches them.
    if (policy->aws_managed && attachments == 0) continue;
    details["Policies"].push_back(policy_detail(*policy, attachments));
  }
  return details.dump(4) + "\n";
}

std::string render_access_keys(const Account& account) {
  std::string lines;
  for (const User* user : sorted_by_name(account.users)) {
    if (user->keys.empty()) continue;
    Json output;
    output["AccessKeyMetadata"] = Json::array();
    for (const auto& key : user->keys) {
      output["AccessKeyMetadata"].push_back({{"UserName", user->name},
                                             {"AccessKeyId", key.id},
                                             {"Status", key.active ? "Active" : "Inactive"},
                                             {"CreateDate", cli_time(key.created)}});
    }
    output["IsTruncated"] = false;
    lines += output.dump() + "\n";
  }
  return lines;
}

}  // namespace keyward::generator
