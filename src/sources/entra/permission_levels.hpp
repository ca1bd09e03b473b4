#pragma once

// Normalized levels of Microsoft Entra permissions: delegated OAuth scopes (oauth2PermissionGrants)
// and application permissions (appRoleAssignments), for Grant::level.

#include <string>
#include <string_view>

namespace keyward::sources::entra {

// Returns "read", "write", "admin", or "" when the scope's level is unknown. Scopes that control
// the directory, roles, other apps or consent (Directory.ReadWrite.All, full_access_as_app, ...)
// are "admin". Names containing ".ReadWrite", ".Write", ".Send" or ".Manage" are "write". Names
// containing ".Read" and the OpenID Connect scopes are "read".
std::string_view scope_level(std::string_view scope);

// An application permission named by its appRoleId.
struct AppRole {
  std::string name;   // "Mail.ReadWrite", or the appRoleId itself when unknown
  std::string level;  // as scope_level(name), "" when the role is unknown
  bool known = false;
};

// Maps a well-known appRoleId of Microsoft Graph or Office 365 Exchange Online, as named by the
// assignment's resourceDisplayName, to its permission name.
AppRole app_role(std::string_view resource_display_name, std::string_view app_role_id);

}  // namespace keyward::sources::entra
