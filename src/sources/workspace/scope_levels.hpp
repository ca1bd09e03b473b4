#pragma once

// Maps Google OAuth scopes to the normalized grant level and the kind of data they reach. The
// table is in scope_levels.cpp so reviewers can read and extend it in one place.

#include <string>
#include <string_view>
#include <vector>

namespace keyward::sources::workspace {

struct ScopeLevel {
  std::string level;          // "read", "write", "admin", or "" when the scope is not known
  std::string resource_type;  // "mailbox", "drive", "directory", "profile", ...
};

// Returns the level and resource type of one scope, e.g. https://mail.google.com/ is write access
// to the mailbox and .../auth/admin.directory.user is admin access to the directory.
ScopeLevel level_of_scope(std::string_view scope);

// Splits a scope list as exports write it: separated by spaces, commas or line breaks. Empty
// items are dropped and at most `max_scopes` are returned.
std::vector<std::string> split_scopes(std::string_view text, size_t max_scopes = 256);

}  // namespace keyward::sources::workspace
