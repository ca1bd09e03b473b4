#pragma once

// Maps Snowflake role names to the normalized privilege level. The system-defined
// administrator roles are "admin"; custom roles cannot be judged from their name alone.

#include <string>
#include <string_view>

namespace keyward::sources::snowflake {

// Returns "admin" for ACCOUNTADMIN, SECURITYADMIN, SYSADMIN, USERADMIN and ORGADMIN (in any
// letter case, quoted or not), "read" for PUBLIC, and "" for every other role.
std::string level_of_role(std::string_view role);

}  // namespace keyward::sources::snowflake
