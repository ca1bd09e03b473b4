#include "sources/entra/permission_levels.hpp"

#include <gtest/gtest.h>

#include <string>

namespace keyward::sources::entra {
namespace {

TEST(EntraPermissionLevels, ScopeLevels) {
  struct Case {
    std::string scope;
    std::string level;
  };
  const Case cases[] = {
      {"openid", "read"},
      {"profile", "read"},
      {"email", "read"},
      {"offline_access", "read"},
      {"User.Read", "read"},
      {"User.ReadBasic.All", "read"},
      {"Calendars.Read", "read"},
      {"Mail.ReadWrite", "write"},
      {"Mail.Send", "write"},
      {"Files.ReadWrite.All", "write"},
      {"Sites.Manage.All", "write"},
      {"Directory.ReadWrite.All", "admin"},
      {"RoleManagement.ReadWrite.Directory", "admin"},
      {"Application.ReadWrite.All", "admin"},
      {"AppRoleAssignment.ReadWrite.All", "admin"},
      {"full_access_as_app", "admin"},
      {"user_impersonation", ""},
      {"TeamSettings.Custom", ""},
      {"", ""},
  };
  for (const Case& item : cases) {
    EXPECT_EQ(scope_level(item.scope), item.level) << item.scope;
  }
}

TEST(EntraPermissionLevels, GraphAppRolesByResource) {
  const AppRole mail = app_role("Microsoft Graph", "e2a3a72e-5f79-4c64-b1b1-878b674786c9");
  EXPECT_TRUE(mail.known);
  EXPECT_EQ(mail.name, "Mail.ReadWrite");
  EXPECT_EQ(mail.level, "write");

  const AppRole directory = app_role("Microsoft Graph", "19dbc75e-c2e2-444c-a770-ec69d8559fc7");
  EXPECT_EQ(directory.name, "Directory.ReadWrite.All");
  EXPECT_EQ(directory.level, "admin");

  const AppRole users = app_role("Microsoft Graph", "df021288-bdef-4463-88db-98f22de89214");
  EXPECT_EQ(users.name, "User.Read.All");
  EXPECT_EQ(users.level, "read");

  const AppRole exchange = app_role("Office 365 Exchange Online", "dc890d15-9560-4a4c-9b7f-a736ec74ec40");
  EXPECT_EQ(exchange.name, "full_access_as_app");
  EXPECT_EQ(exchange.level, "admin");
}

TEST(EntraPermissionLevels, UnknownRoleKeepsId) {
  const AppRole other_resource = app_role("Contoso Orders API", "e2a3a72e-5f79-4c64-b1b1-878b674786c9");
  EXPECT_FALSE(other_resource.known);
  EXPECT_EQ(other_resource.name, "e2a3a72e-5f79-4c64-b1b1-878b674786c9");
  EXPECT_EQ(other_resource.level, "");

  const AppRole unknown = app_role("Microsoft Graph", "4b9c2d1e-7f8a-4e6b-9c0d-1e2f3a4b5c6d");
  EXPECT_FALSE(unknown.known);
  EXPECT_EQ(unknown.level, "");

  const AppRole default_access = app_role("Microsoft Graph", "00000000-0000-0000-0000-000000000000");
  EXPECT_TRUE(default_access.known);
  EXPECT_EQ(default_access.level, "");
}

}  // namespace
}  // namespace keyward::sources::entra
