#include "sources/workspace/scope_levels.hpp"

#include <gtest/gtest.h>

namespace keyward::sources::workspace {
namespace {

struct ScopeCase {
  const char* scope;
  const char* level;
  const char* resource_type;
};

TEST(WorkspaceScopeLevels, MapsKnownScopes) {
  const ScopeCase cases[] = {
      {"https://mail.google.com/", "write", "mailbox"},
      {"https://www.googleapis.com/auth/gmail.readonly", "read", "mailbox"},
      {"https://www.googleapis.com/auth/gmail.metadata", "read", "mailbox"},
      {"https://www.googleapis.com/auth/gmail.send", "write", "mailbox"},
      {"https://www.googleapis.com/auth/drive", "write", "drive"},
      {"https://www.googleapis.com/auth/drive.file", "write", "drive"},
      {"https://www.googleapis.com/auth/drive.readonly", "read", "drive"},
      {"https://www.googleapis.com/auth/drive.metadata.readonly", "read", "drive"},
      {"https://www.googleapis.com/auth/spreadsheets", "write", "drive"},
      {"https://www.googleapis.com/auth/calendar.readonly", "read", "calendar"},
      {"https://www.googleapis.com/auth/calendar.events", "write", "calendar"},
      {"https://www.googleapis.com/auth/admin.directory.user", "admin", "directory"},
      {"https://www.googleapis.com/auth/admin.directory.user.readonly", "read", "directory"},
      {"https://www.googleapis.com/auth/admin.reports.audit.readonly", "read", "directory"},
      {"https://www.googleapis.com/auth/cloud-platform", "admin", "project"},
      {"https://www.googleapis.com/auth/cloud-platform.read-only", "read", "project"},
      {"https://www.googleapis.com/auth/userinfo.email", "read", "profile"},
      {"openid", "read", "profile"},
      {"email", "read", "profile"},
      {"https://www.googleapis.com/auth/unknown.thing.readonly", "read", ""},
      {"https://www.googleapis.com/auth/unknown.thing", "", ""},
      {"https://www.google.com/m8/feeds", "", ""},
      {"", "", ""},
  };
  for (const ScopeCase& scope_case : cases) {
    const ScopeLevel level = level_of_scope(scope_case.scope);
    EXPECT_EQ(level.level, scope_case.level) << scope_case.scope;
    EXPECT_EQ(level.resource_type, scope_case.resource_type) << scope_case.scope;
  }
}

TEST(WorkspaceScopeLevels, SplitsScopeLists) {
  EXPECT_EQ(split_scopes("a b,c\n d"), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_TRUE(split_scopes("  , ").empty());
  EXPECT_EQ(split_scopes("a b c", 2).size(), 2u);
}

}  // namespace
}  // namespace keyward::sources::workspace
