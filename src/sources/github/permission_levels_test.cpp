#include "sources/github/permission_levels.hpp"

#include <gtest/gtest.h>

#include <string>

namespace keyward::sources::github {
namespace {

TEST(GithubPermissionLevels, ClassicScopes) {
  const struct {
    const char* scope;
    const char* level;
  } cases[] = {
      {"repo", "write"},         {"public_repo", "write"},      {"workflow", "write"},
      {"admin:org", "admin"},    {"delete_repo", "admin"},      {"admin:enterprise", "admin"},
      {"admin:repo_hook", "admin"}, {"admin:public_key", "admin"}, {"write:org", "write"},
      {"read:org", "read"},      {"read:user", "read"},         {"user:email", "read"},
      {"write:packages", "write"}, {"read:packages", "read"},   {"unknown:scope", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(classic_scope_level(c.scope), c.level) << c.scope;
}

TEST(GithubPermissionLevels, AppPermissions) {
  EXPECT_EQ(permission_level("contents", "read"), "read");
  EXPECT_EQ(permission_level("contents", "write"), "write");
  EXPECT_EQ(permission_level("administration", "write"), "admin");
  EXPECT_EQ(permission_level("administration", "read"), "read");
  EXPECT_EQ(permission_level("members", "write"), "admin");
  EXPECT_EQ(permission_level("organization_administration", "write"), "admin");
  EXPECT_EQ(permission_level("organization_projects", "admin"), "admin");
  EXPECT_EQ(permission_level("contents", "none"), "");
}

TEST(GithubPermissionLevels, ResourceTypes) {
  EXPECT_EQ(permission_resource_type("contents"), "repository");
  EXPECT_EQ(permission_resource_type("administration"), "repository");
  EXPECT_EQ(permission_resource_type("members"), "organization");
  EXPECT_EQ(permission_resource_type("organization_secrets"), "organization");
  EXPECT_EQ(permission_resource_type("gpg_keys"), "user");
  EXPECT_EQ(permission_resource_type("email_addresses"), "user");
}

}  // namespace
}  // namespace keyward::sources::github
