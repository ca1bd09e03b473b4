#include "posture/policy/remediation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

namespace keyward::posture::policy {
namespace {

constexpr std::string_view kInlinePrefix = "inline:";
constexpr std::string_view kGroupPrefix = "group:";

// Quotes a value for a POSIX shell unless it consists of characters that need no quoting. IAM
// names and ARNs normally do not need it.
std::string shell_quote(std::string_view value) {
  bool plain = !value.empty() && value.find_first_not_of(
                                     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789+=,.@_-:/") == std::string_view::npos;
  if (plain) return std::string(value);
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted.push_back(c);
    }
  }
  quoted += "'";
  return quoted;
}

bool is_user(const core::Identity& identity) { return identity.kind == "iam_user"; }

// Commands for one policy reached through `via` ("user", "role" or "group:<name>").
void append_policy_commands(const core::Identity& identity, const std::string& policy,
                            const std::string& via, std::string& out) {
  std::string principal_flag = is_user(identity) ? "--user-name" : "--role-name";
  std::string principal_kind = is_user(identity) ? "user" : "role";
  std::string name = shell_quote(identity.name);
  bool from_group = via.starts_with(kGroupPrefix);
  std::string group = from_group ? shell_quote(std::string_view(via).substr(kGroupPrefix.size())) : "";

  if (std::string_view(policy).starts_with(kInlinePrefix)) {
    std::string policy_name = shell_quote(std::string_view(policy).substr(kInlinePrefix.size()));
    if (from_group) {
      out += fmt::format("aws iam get-group-policy --group-name {} --policy-name {}\n", group, policy_name);
      out += fmt::format("aws iam delete-group-policy --group-name {} --policy-name {}\n", group, policy_name);
    } else {
      out += fmt::format("aws iam get-{}-policy {} {} --policy-name {}\n", principal_kind,
                         principal_flag, name, policy_name);
      out += fmt::format("aws iam delete-{}-policy {} {} --policy-name {}\n", principal_kind,
                         principal_flag, name, policy_name);
    }
    return;
  }

  std::string arn = shell_quote(policy);
  out += fmt::format(
      "aws iam get-policy-version --policy-arn {0} --version-id "
      "$(aws iam get-policy --policy-arn {0} --query Policy.DefaultVersionId --output text)\n",
      arn);
  if (from_group) {
    out += fmt::format("aws iam remove-user-from-group --group-name {} --user-name {}\n", group, name);
    out += fmt::format("aws iam detach-group-policy --group-name {} --policy-arn {}  # affects every member\n",
                       group, arn);
  } else {
    out += fmt::format("aws iam detach-{}-policy {} {} --policy-arn {}\n", principal_kind, principal_flag,
                       name, arn);
  }
}

}  // namespace

std::string describe_source(const core::Grant& grant) {
  if (grant.via.starts_with(kGroupPrefix)) {
    return fmt::format("{} (via group {})", grant.source_policy, grant.via.substr(kGroupPrefix.size()));
  }
  return grant.source_policy;
}

std::string describe_sources(const std::vector<const core::Grant*>& grants) {
  std::vector<std::string> names;
  for (const core::Grant* grant : grants) {
    std::string name = describe_source(*grant);
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
  }
  std::string text;
  for (const auto& name : names) {
    if (!text.empty()) text += " and ";
    text += name;
  }
  return text;
}

std::string describe_unevaluated_boundary(const core::Identity& identity) {
  auto boundary = identity.attributes.find("permissions_boundary");
  if (boundary == identity.attributes.end() || !boundary->is_string()) return {};
  return fmt::format("The principal has the permissions boundary {}. keyward does not evaluate "
                     "boundaries yet, so the boundary may deny some of these actions.",
                     boundary->get<std::string>());
}

std::string format_policy_commands(const core::Identity& identity,
                                   const std::vector<const core::Grant*>& grants) {
  std::string out;
  std::string name = shell_quote(identity.name);
  if (is_user(identity)) {
    out += fmt::format("aws iam list-attached-user-policies --user-name {}\n", name);
    out += fmt::format("aws iam list-user-policies --user-name {}\n", name);
    out += fmt::format("aws iam list-groups-for-user --user-name {}\n", name);
  } else {
    out += fmt::format("aws iam list-attached-role-policies --role-name {}\n", name);
    out += fmt::format("aws iam list-role-policies --role-name {}\n", name);
  }

  std::set<std::pair<std::string, std::string>> seen;
  for (const core::Grant* grant : grants) {
    if (grant == nullptr || !seen.emplace(grant->source_policy, grant->via).second) continue;
    append_policy_commands(identity, grant->source_policy, grant->via, out);
  }

  if (is_user(identity)) {
    out += fmt::format("aws iam put-user-permissions-boundary --user-name {} --permissions-boundary BOUNDARY_POLICY_ARN\n",
                       name);
  } else {
    out += fmt::format("aws iam put-role-permissions-boundary --role-name {} --permissions-boundary BOUNDARY_POLICY_ARN\n",
                       name);
  }
  return out;
}

}  // namespace keyward::posture::policy
