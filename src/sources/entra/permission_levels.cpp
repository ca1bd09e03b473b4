#include "sources/entra/permission_levels.hpp"

#include <array>
#include <utility>

namespace keyward::sources::entra {
namespace {

using Entry = std::pair<std::string_view, std::string_view>;

// Scopes that let the holder change the directory, roles, other apps' credentials or consent,
// or read every mailbox: each amounts to tenant administration.
constexpr std::array<std::string_view, 7> kAdminScopes = {
    "Directory.ReadWrite.All",       "RoleManagement.ReadWrite.Directory", "Application.ReadWrite.All",
    "AppRoleAssignment.ReadWrite.All", "Directory.AccessAsUser.All",       "full_access_as_app",
    "DelegatedPermissionGrant.ReadWrite.All",
};

constexpr std::array<std::string_view, 4> kSignInScopes = {"openid", "profile", "email", "offline_access"};

// Application permission ids of Microsoft Graph (resource appId 00000003-0000-0000-c000-000000000000),
// as listed in the Microsoft Graph permissions reference.
constexpr std::array<Entry, 18> kGraphAppRoles = {{
    {"1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", "Application.ReadWrite.All"},
    {"9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "Application.Read.All"},
    {"18a4783c-866b-4cc7-a460-3d5e5662c884", "Application.ReadWrite.OwnedBy"},
    {"06b708a9-e830-4db3-a914-8e69da51d44f", "AppRoleAssignment.ReadWrite.All"},
    {"7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Directory.Read.All"},
    {"19dbc75e-c2e2-444c-a770-ec69d8559fc7", "Directory.ReadWrite.All"},
    {"9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8", "RoleManagement.ReadWrite.Directory"},
    {"df021288-bdef-4463-88db-98f22de89214", "User.Read.All"},
    {"741f803b-c850-494e-b5df-cde7c675a1ca", "User.ReadWrite.All"},
    {"405a51b5-8d8d-430b-9842-8be4b0e9f324", "User.Export.All"},
    {"5b567255-7703-4780-807c-7be8301ae99b", "Group.Read.All"},
    {"62a82d76-70ea-41e2-9197-370581804d09", "Group.ReadWrite.All"},
    {"dbaae8cf-10b5-4b86-a4a1-f871c94c6695", "GroupMember.ReadWrite.All"},
    {"e2a3a72e-5f79-4c64-b1b1-878b674786c9", "Mail.ReadWrite"},
    {"01d4889c-1287-42c6-ac1f-5d1e02578ef6", "Files.Read.All"},
    {"75359482-378d-4052-8f01-80520e7db3cd", "Files.ReadWrite.All"},
    {"230c1aed-a721-4c5d-9cb4-a90514e508ef", "Reports.Read.All"},
    {"00000000-0000-0000-0000-000000000000", "(default access)"},
}};

// Application permission ids of Office 365 Exchange Online (00000002-0000-0ff1-ce00-000000000000).
constexpr std::array<Entry, 2> kExchangeAppRoles = {{
    {"dc890d15-9560-4a4c-9b7f-a736ec74ec40", "full_access_as_app"},
    {"e2a3a72e-5f79-4c64-b1b1-878b674786c9", "Mail.ReadWrite"},
}};

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

template <size_t N>
std::string_view find_role(const std::array<Entry, N>& table, std::string_view id) {
  for (const auto& [role_id, name] : table) {
    if (role_id == id) return name;
  }
  return {};
}

}  // namespace

std::string_view scope_level(std::string_view scope) {
  for (std::string_view admin : kAdminScopes) {
    if (scope == admin) return "admin";
  }
  for (std::string_view sign_in : kSignInScopes) {
    if (scope == sign_in) return "read";
  }
  if (contains(scope, ".ReadWrite") || contains(scope, ".Write") || contains(scope, ".Send") ||
      contains(scope, ".Manage")) {
    return "write";
  }
  if (contains(scope, ".Read")) return "read";
  return "";
}

AppRole app_role(std::string_view resource_display_name, std::string_view app_role_id) {
  std::string_view name;
  if (resource_display_name == "Microsoft Graph") name = find_role(kGraphAppRoles, app_role_id);
  if (resource_display_name == "Office 365 Exchange Online") name = find_role(kExchangeAppRoles, app_role_id);
  if (name.empty()) return AppRole{std::string(app_role_id.substr(0, 64)), "", false};
  // The all-zero id is the default role: the app may sign in to the resource with no permission.
  if (app_role_id == "00000000-0000-0000-0000-000000000000") return AppRole{std::string(name), "", true};
  return AppRole{std::string(name), std::string(scope_level(name)), true};
}

}  // namespace keyward::sources::entra
