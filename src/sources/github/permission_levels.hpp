#pragma once

// How GitHub permissions and OAuth scopes map to keyward's normalized grant levels ("read",
// "write", "admin", or "" when unknown). The raw scope or permission stays in Grant::actions.

#include <string_view>

namespace keyward::sources::github {

// Level of a classic personal access token or OAuth app scope, e.g. "repo" -> "write",
// "admin:org" -> "admin", "read:org" -> "read". Unknown scopes return "".
std::string_view classic_scope_level(std::string_view scope);

// Level of a GitHub App or fine-grained token permission `name` granted at `access` ("read",
// "write" or "admin"). Write access to a permission that controls access itself
// (administration, members, organization_administration, ...) counts as "admin".
std::string_view permission_level(std::string_view name, std::string_view access);

// What a GitHub App permission applies to: "organization" for organization permissions
// (members, organization_*), "user" for account permissions (email_addresses, gpg_keys, ...),
// else "repository".
std::string_view permission_resource_type(std::string_view name);

}  // namespace keyward::sources::github
