#pragma once

// Normalized levels of Slack OAuth scopes, for Grant::level and the app-wide privilege.

#include <string>
#include <string_view>
#include <vector>

namespace keyward::sources::slack {

// Returns "read", "write" or "admin" for one scope ("channels:history", "chat:write"), or ""
// when the scope is not known: admin.* scopes are admin, *:read and *:history are read,
// *:write and the legacy posting scopes are write.
std::string scope_level(std::string_view scope);

// Returns the level of an app as a whole: "admin" when any scope is admin or when the app can
// both upload files and read every member's email (files:write with users:read.email, enough to
// collect addresses and phish every member); otherwise the highest scope level, or "".
std::string app_privilege(const std::vector<std::string>& scopes);

}  // namespace keyward::sources::slack
