#pragma once

// aws CLI commands that show and remove the policies behind IAM findings, and the facts to check
// before running them.

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "posture/check.hpp"

namespace keyward::posture::policy {

// Names a statement's policy for evidence: the policy ARN or "inline:<name>", followed by
// " (via group <name>)" when the principal inherits it from a group.
std::string describe_source(const core::Grant& grant);

// Names several statements' policies for evidence, each policy once, joined with " and ".
std::string describe_sources(const std::vector<const core::Grant*>& grants);

// Returns an evidence line saying that the principal has a permissions boundary whose document
// is not in the inventory, so it was not applied.
std::string describe_unresolved_boundary(std::string_view boundary_arn);

// Returns the commands, one per step, that list the principal's policies, print each policy
// behind `grants` and detach or delete it. Works for IAM users (identity.kind "iam_user") and
// roles; `grants` may repeat a policy, each policy is listed once.
std::vector<std::string> policy_command_steps(const core::Identity& identity,
                                              const std::vector<const core::Grant*>& grants);

// Returns the command that sets a permissions boundary on the principal; BOUNDARY_POLICY_ARN
// stands for the policy the operator chooses.
std::string boundary_command(const core::Identity& identity);

// Returns the commands that list a customer managed policy's versions and delete a non-default
// one, so that iam:SetDefaultPolicyVersion has no older version to restore.
std::vector<std::string> policy_version_steps(std::string_view policy_arn);

// Returns the commands that print `role`'s trust policy and replace it with an edited copy that
// no longer trusts `principal`.
std::vector<std::string> trust_policy_steps(const core::Identity& role, const core::Identity& principal);

// Lists what to verify before narrowing the principal's access: the services and actions its
// recorded activity and access keys used, when it was last used, and who else the policies
// behind `grants` reach (group members, other principals of a managed policy, instances and
// services that use the role).
std::vector<std::string> check_first_items(const core::Identity& identity,
                                           const std::vector<const core::Grant*>& grants,
                                           const Inventory& inventory);

}  // namespace keyward::posture::policy
