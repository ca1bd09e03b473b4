#pragma once

// Privilege level of an Okta API scope (the scopeId of an app grant), for Grant::level.

#include <string_view>

namespace keyward::sources::okta {

// Returns "read", "write" or "admin" for an Okta API scope, or "" when the scope is not an Okta
// management scope (OIDC scopes such as "openid", custom authorization server scopes).
// okta.*.read is read and okta.*.manage is write, except the scopes that let the holder grant
// itself or others more access, which are admin: managing admin roles, API tokens,
// authorization servers, app grants, apps, identity providers and policies.
std::string_view okta_scope_level(std::string_view scope);

}  // namespace keyward::sources::okta
