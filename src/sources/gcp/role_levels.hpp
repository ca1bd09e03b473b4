#pragma once

// Normalized level ("read", "write", "admin", or "" when unknown) of a GCP IAM role, for
// core::Grant::level. The raw role stays in the grant's actions.

#include <string_view>

namespace keyward::sources::gcp {

// Returns the level of a predefined or basic role: roles/owner and administrator roles are
// "admin", roles/editor and roles that create, change or act as something are "write", viewer,
// reader and browser roles are "read". Custom roles (projects/P/roles/R, organizations/O/roles/R)
// and predefined roles the rules do not recognize return "", because their permissions are not
// in the policy.
std::string_view role_level(std::string_view role);

}  // namespace keyward::sources::gcp
