#include "posture/policy/remediation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

#include "core/time.hpp"
#include "posture/policy/evaluator.hpp"

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

// Steps for one policy reached through `via` ("user", "role" or "group:<name>").
void append_policy_steps(const core::Identity& identity, const std::string& policy, const std::string& via,
                         std::vector<std::string>& out) {
  std::string principal_flag = is_user(identity) ? "--user-name" : "--role-name";
  std::string principal_kind = is_user(identity) ? "user" : "role";
  std::string name = shell_quote(identity.name);
  bool from_group = via.starts_with(kGroupPrefix);
  std::string group = from_group ? shell_quote(std::string_view(via).substr(kGroupPrefix.size())) : "";

  if (std::string_view(policy).starts_with(kInlinePrefix)) {
    std::string policy_name = shell_quote(std::string_view(policy).substr(kInlinePrefix.size()));
    if (from_group) {
      out.push_back(fmt::format("aws iam get-group-policy --group-name {} --policy-name {}", group, policy_name));
      out.push_back(fmt::format("aws iam delete-group-policy --group-name {} --policy-name {}", group, policy_name));
    } else {
      out.push_back(fmt::format("aws iam get-{}-policy {} {} --policy-name {}", principal_kind, principal_flag, name,
                                policy_name));
      out.push_back(fmt::format("aws iam delete-{}-policy {} {} --policy-name {}", principal_kind, principal_flag,
                                name, policy_name));
    }
    return;
  }

  std::string arn = shell_quote(policy);
  out.push_back(fmt::format(
      "aws iam get-policy-version --policy-arn {0} --version-id "
      "$(aws iam get-policy --policy-arn {0} --query Policy.DefaultVersionId --output text)",
      arn));
  if (from_group) {
    out.push_back(fmt::format("aws iam remove-user-from-group --group-name {} --user-name {}", group, name));
    out.push_back(fmt::format("aws iam detach-group-policy --group-name {} --policy-arn {}  # affects every member",
                              group, arn));
  } else {
    out.push_back(fmt::format("aws iam detach-{}-policy {} {} --policy-arn {}", principal_kind, principal_flag, name,
                              arn));
  }
}

std::string join_limited(const std::vector<std::string>& items, std::size_t limit) {
  std::string text;
  for (std::size_t i = 0; i < items.size() && i < limit; ++i) {
    if (!text.empty()) text += ", ";
    text += items[i];
  }
  if (items.size() > limit) text += fmt::format(" and {} more", items.size() - limit);
  return text;
}

// The principals of the inventory other than `identity` whose statements come from `policy`.
std::vector<std::string> other_holders(const core::Identity& identity, const std::string& policy,
                                       const Inventory& inventory) {
  std::vector<std::string> names;
  for (const auto& other : inventory.identities) {
    if (other.id == identity.id || other.platform != "aws") continue;
    auto rows = inventory.grants.find(other.id);
    if (rows == inventory.grants.end()) continue;
    bool holds = std::any_of(rows->second.begin(), rows->second.end(),
                             [&](const core::Grant& row) { return row.source_policy == policy && row.via != kBoundaryVia; });
    if (holds) names.push_back(other.name);
  }
  return names;
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

std::string describe_unresolved_boundary(std::string_view boundary_arn) {
  return fmt::format("The principal has the permissions boundary {}, whose document is not in the "
                     "inventory, so it was not applied and may deny some of these actions.",
                     boundary_arn);
}

std::vector<std::string> policy_command_steps(const core::Identity& identity,
                                              const std::vector<const core::Grant*>& grants) {
  std::vector<std::string> out;
  std::string name = shell_quote(identity.name);
  if (is_user(identity)) {
    out.push_back(fmt::format("aws iam list-attached-user-policies --user-name {}", name));
    out.push_back(fmt::format("aws iam list-user-policies --user-name {}", name));
    out.push_back(fmt::format("aws iam list-groups-for-user --user-name {}", name));
  } else {
    out.push_back(fmt::format("aws iam list-attached-role-policies --role-name {}", name));
    out.push_back(fmt::format("aws iam list-role-policies --role-name {}", name));
  }

  std::set<std::pair<std::string, std::string>> seen;
  for (const core::Grant* grant : grants) {
    if (grant == nullptr || !seen.emplace(grant->source_policy, grant->via).second) continue;
    append_policy_steps(identity, grant->source_policy, grant->via, out);
  }
  return out;
}

std::string boundary_command(const core::Identity& identity) {
  std::string name = shell_quote(identity.name);
  if (is_user(identity)) {
    return fmt::format("aws iam put-user-permissions-boundary --user-name {} --permissions-boundary BOUNDARY_POLICY_ARN",
                       name);
  }
  return fmt::format("aws iam put-role-permissions-boundary --role-name {} --permissions-boundary BOUNDARY_POLICY_ARN",
                     name);
}

std::vector<std::string> policy_version_steps(std::string_view policy_arn) {
  std::string arn = shell_quote(policy_arn);
  return {fmt::format("aws iam list-policy-versions --policy-arn {}", arn),
          fmt::format("aws iam delete-policy-version --policy-arn {} --version-id VERSION_ID  # each version whose "
                      "IsDefaultVersion is false",
                      arn)};
}

std::vector<std::string> trust_policy_steps(const core::Identity& role, const core::Identity& principal) {
  std::string name = shell_quote(role.name);
  return {fmt::format("aws iam get-role --role-name {} --query Role.AssumeRolePolicyDocument > trust-policy.json", name),
          fmt::format("aws iam update-assume-role-policy --role-name {} --policy-document file://trust-policy.json"
                      "  # after removing {} from Principal",
                      name, principal.id)};
}

std::vector<std::string> check_first_items(const core::Identity& identity,
                                           const std::vector<const core::Grant*>& grants,
                                           const Inventory& inventory) {
  std::vector<std::string> items;

  auto activity = inventory.activity_by_identity.find(identity.id);
  if (activity != inventory.activity_by_identity.end() && !activity->second.actions.empty()) {
    const ActivityProfile& profile = activity->second;
    items.push_back(fmt::format("Recorded activity ({} events{}) used {}. Keep these actions in the narrowed policy.",
                                profile.events,
                                profile.last_seen ? ", last " + core::format_time(*profile.last_seen) : std::string(),
                                join_limited(profile.actions, 12)));
  } else {
    items.push_back(fmt::format(
        "No activity is recorded for {} in the ingested logs. Before removing access, list the services it used: "
        "aws iam generate-service-last-accessed-details --arn {}, then aws iam get-service-last-accessed-details "
        "--job-id JOB_ID.",
        identity.name, shell_quote(identity.id)));
  }
  if (identity.last_used) {
    items.push_back(fmt::format("The principal was last used {}.", core::format_time(*identity.last_used)));
  }

  auto credentials = inventory.credentials.find(identity.id);
  if (credentials != inventory.credentials.end()) {
    for (const auto& credential : credentials->second) {
      if (credential.status != "active" || credential.last_used_service.empty()) continue;
      items.push_back(fmt::format("Access key {} last called {}{}{}.", credential.id, credential.last_used_service,
                                  credential.last_used_region.empty() ? "" : " in " + credential.last_used_region,
                                  credential.last_used ? " on " + core::format_date(*credential.last_used) : ""));
    }
  }

  std::set<std::string> seen;
  for (const core::Grant* grant : grants) {
    if (grant == nullptr || !seen.insert(grant->source_policy + "\x1f" + grant->via).second) continue;
    if (grant->via.starts_with(kGroupPrefix)) {
      items.push_back(fmt::format("{} comes from group {}: changing the group's policy changes it for every member.",
                                  grant->source_policy, grant->via.substr(kGroupPrefix.size())));
    }
    if (grant->source_policy.starts_with("arn:")) {
      std::vector<std::string> holders = other_holders(identity, grant->source_policy, inventory);
      if (!holders.empty()) {
        items.push_back(fmt::format("{} also applies to {}. Detach it from this principal rather than editing it, "
                                    "or check them with aws iam list-entities-for-policy --policy-arn {}.",
                                    grant->source_policy, join_limited(holders, 8), shell_quote(grant->source_policy)));
      }
    }
  }

  auto profiles = identity.attributes.find("instance_profiles");
  if (profiles != identity.attributes.end() && profiles->is_array() && !profiles->empty()) {
    std::vector<std::string> arns;
    for (const auto& profile : *profiles) {
      if (profile.is_string()) arns.push_back(profile.get<std::string>());
    }
    items.push_back(fmt::format("EC2 instances launched with {} use this role; they lose what is removed.",
                                join_limited(arns, 4)));
  }
  return items;
}

}  // namespace keyward::posture::policy
