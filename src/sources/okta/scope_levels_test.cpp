#include "sources/okta/scope_levels.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace keyward::sources::okta {
namespace {

TEST(OktaScopeLevels, MapsScopesToLevels) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"okta.users.read", "read"},
      {"okta.logs.read", "read"},
      {"okta.apps.read", "read"},
      {"okta.apiTokens.read", "read"},
      {"okta.users.read.self", "read"},
      {"okta.users.manage", "write"},
      {"okta.groups.manage", "write"},
      {"okta.users.manage.self", "write"},
      {"okta.clients.register", "write"},
      {"okta.roles.manage", "admin"},
      {"okta.apiTokens.manage", "admin"},
      {"okta.authorizationServers.manage", "admin"},
      {"okta.appGrants.manage", "admin"},
      {"okta.apps.manage", "admin"},
      {"okta.idps.manage", "admin"},
      {"okta.policies.manage", "admin"},
      {"openid", ""},
      {"profile", ""},
      {"inventory:read", ""},
      {"", ""},
  };
  for (const auto& [scope, level] : cases) {
    EXPECT_EQ(okta_scope_level(scope), level) << scope;
  }
}

}  // namespace
}  // namespace keyward::sources::okta
