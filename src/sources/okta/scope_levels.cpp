#include "sources/okta/scope_levels.hpp"

#include <array>

namespace keyward::sources::okta {
namespace {

// Scopes whose holder can raise its own or another principal's privileges.
// okta.appGrants.manage grants any scope to any app, okta.apps.manage replaces other apps'
// credentials, okta.idps.manage adds an identity provider that signs in as any user.
constexpr std::array<std::string_view, 7> kAdminScopes = {
    "okta.roles.manage",
    "okta.apiTokens.manage",
    "okta.authorizationServers.manage",
    "okta.appGrants.manage",
    "okta.apps.manage",
    "okta.idps.manage",
    "okta.policies.manage",
};

// Returns true when `scope` has the dot-separated segment `segment`.
bool has_segment(std::string_view scope, std::string_view segment) {
  size_t begin = 0;
  while (begin <= scope.size()) {
    size_t end = scope.find('.', begin);
    if (end == std::string_view::npos) end = scope.size();
    if (scope.substr(begin, end - begin) == segment) return true;
    begin = end + 1;
  }
  return false;
}

}  // namespace

std::string_view okta_scope_level(std::string_view scope) {
  if (scope.substr(0, 5) != "okta.") return "";
  for (std::string_view admin : kAdminScopes) {
    if (scope == admin) return "admin";
  }
  // okta.users.read.self and okta.myAccount.email.read are reads too.
  if (has_segment(scope, "read")) return "read";
  // okta.*.manage, okta.users.manage.self, okta.clients.register: every other Okta scope writes.
  return "write";
}

}  // namespace keyward::sources::okta
