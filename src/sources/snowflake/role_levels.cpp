#include "sources/snowflake/role_levels.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace keyward::sources::snowflake {

std::string level_of_role(std::string_view role) {
  if (role.size() >= 2 && role.front() == '"' && role.back() == '"') role = role.substr(1, role.size() - 2);
  std::string upper(role);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  // USERADMIN can create users and roles, so it reaches any privilege granted to a role it owns.
  constexpr std::array<std::string_view, 6> kAdminRoles = {"ACCOUNTADMIN", "SECURITYADMIN", "SYSADMIN",
                                                           "USERADMIN",    "ORGADMIN",      "GLOBALORGADMIN"};
  if (std::find(kAdminRoles.begin(), kAdminRoles.end(), upper) != kAdminRoles.end()) return "admin";
  if (upper == "PUBLIC") return "read";
  return {};
}

}  // namespace keyward::sources::snowflake
