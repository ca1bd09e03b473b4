#pragma once

// aws CLI commands that show and remove the policies behind IAM findings.

#include <string>
#include <vector>

#include "core/model.hpp"

namespace keyward::posture::policy {

// Names a statement's policy for evidence: the policy ARN or "inline:<name>", followed by
// " (via group <name>)" when the principal inherits it from a group.
std::string describe_source(const core::Grant& grant);

// Names several statements' policies for evidence, each policy once, joined with " and ".
std::string describe_sources(const std::vector<const core::Grant*>& grants);

// Returns an evidence line saying that the principal has a permissions boundary, which the
// policy evaluation here does not apply, or "" when identity.attributes has none.
std::string describe_unevaluated_boundary(const core::Identity& identity);

// Formats the commands, one per line, that list the principal's policies, print each policy
// behind `grants`, and detach or delete it, followed by the command that sets a permissions
// boundary. Works for IAM users (identity.kind "iam_user") and roles; `grants` may repeat a
// policy, each policy is listed once.
std::string format_policy_commands(const core::Identity& identity,
                                   const std::vector<const core::Grant*>& grants);

}  // namespace keyward::posture::policy
