#include "inventory/privilege.hpp"

#include <algorithm>
#include <array>

#include "inventory/attribute_values.hpp"
#include "posture/policy/evaluator.hpp"

namespace keyward::inventory {
namespace {

// Services whose every action includes granting access to others.
constexpr std::array<std::string_view, 5> kAccessManagementServices = {"iam", "sts", "organizations", "sso",
                                                                       "identitystore"};
constexpr std::array<std::string_view, 3> kReadPrefixes = {"get", "list", "describe"};

bool only_stars(std::string_view text) {
  return !text.empty() && text.find_first_not_of('*') == std::string_view::npos;
}

// Returns 3, 2 or 1 for one action pattern of an Allow statement.
int action_rank(std::string_view action, bool every_resource) {
  if (only_stars(action)) return every_resource ? 3 : 2;
  const size_t colon = action.find(':');
  if (colon == std::string_view::npos) return 2;
  const std::string service = lower_ascii(action.substr(0, colon));
  const std::string name = lower_ascii(action.substr(colon + 1));
  if (only_stars(name)) {
    const bool manages_access =
        std::find(kAccessManagementServices.begin(), kAccessManagementServices.end(), service) != kAccessManagementServices.end();
    return manages_access ? 3 : 2;
  }
  for (std::string_view prefix : kReadPrefixes) {
    if (name.starts_with(prefix)) return 1;
  }
  return 2;
}

}  // namespace

int privilege_rank(std::string_view level) {
  const std::string lowered = lower_ascii(level);
  if (lowered == "read") return 1;
  if (lowered == "write") return 2;
  if (lowered == "admin") return 3;
  return 0;
}

std::string_view privilege_name(int rank) {
  switch (rank) {
    case 1: return "read";
    case 2: return "write";
    case 3: return "admin";
    default: return "";
  }
}

std::string aws_statement_level(const core::Grant& grant) {
  if (grant.platform != "aws" || grant.effect != "Allow") return {};
  bool every_resource = !grant.not_resource;
  if (every_resource) {
    every_resource = std::any_of(grant.resources.begin(), grant.resources.end(), [](const std::string& resource) {
      return posture::policy::is_unrestricted_resource(resource);
    });
  }
  // NotAction allows everything except the listed actions.
  if (grant.not_action) return every_resource ? "admin" : "write";
  int rank = 0;
  for (const auto& action : grant.actions) rank = std::max(rank, action_rank(action, every_resource));
  return std::string(privilege_name(rank));
}

std::string privilege_of(const core::Identity& identity, std::span<const core::Grant> grants) {
  int rank = privilege_rank(string_attribute(identity.attributes, core::attribute::kPrivilege));
  for (const auto& grant : grants) {
    const std::string level = grant.level.empty() ? aws_statement_level(grant) : grant.level;
    rank = std::max(rank, privilege_rank(level));
  }
  return std::string(privilege_name(rank));
}

}  // namespace keyward::inventory
