#pragma once

// Privilege level of an NHI as a whole: the highest level of its grants, or the level its
// source states in attributes "privilege". Non-AWS grants carry a normalized level; AWS policy
// statements do not, so their level is derived from the actions they allow.

#include <span>
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace keyward::inventory {

// Returns 0 for "" (unknown), 1 for "read", 2 for "write", 3 for "admin", ignoring case.
// Other text returns 0.
int privilege_rank(std::string_view level);

// Returns "read", "write", "admin", or "" for rank 0.
std::string_view privilege_name(int rank);

// Returns the level of one AWS Allow statement. It is "admin" for every action on every resource
// (Action "*" or NotAction), or for every action of a service that manages identities and access
// (iam, sts, organizations, sso, identitystore). It is "read" when every action is a Get, List or
// Describe action (wildcards included, as in "s3:Get*"), and "write" otherwise. Deny statements
// and grants of other platforms return "".
// NOTE: Deny statements are not subtracted, so a denied action still raises the level.
std::string aws_statement_level(const core::Grant& grant);

// Returns the highest level of the grants (AWS statements by aws_statement_level) and of the
// identity's "privilege" attribute, or "" when none states a level.
std::string privilege_of(const core::Identity& identity, std::span<const core::Grant> grants);

}  // namespace keyward::inventory
