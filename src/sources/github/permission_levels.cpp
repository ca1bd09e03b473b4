#include "sources/github/permission_levels.hpp"

#include <array>
#include <utility>

namespace keyward::sources::github {
namespace {

using Entry = std::pair<std::string_view, std::string_view>;

// Classic scopes as listed in GitHub's "Scopes for OAuth apps" reference. A scope is "admin" when
// it lets the holder change who has access, delete repositories or manage the enterprise. Scopes
// that write code, packages or settings are "write", and read:* and informational scopes "read".
constexpr std::array kClassicScopes{
    Entry{"repo", "write"},
    Entry{"repo:status", "write"},
    Entry{"repo_deployment", "write"},
    Entry{"public_repo", "write"},
    Entry{"repo:invite", "write"},
    Entry{"security_events", "write"},
    Entry{"admin:repo_hook", "admin"},
    Entry{"write:repo_hook", "write"},
    Entry{"read:repo_hook", "read"},
    Entry{"admin:org", "admin"},
    Entry{"write:org", "write"},
    Entry{"read:org", "read"},
    Entry{"admin:public_key", "admin"},
    Entry{"write:public_key", "write"},
    Entry{"read:public_key", "read"},
    Entry{"admin:org_hook", "admin"},
    Entry{"gist", "write"},
    Entry{"notifications", "read"},
    Entry{"user", "write"},
    Entry{"read:user", "read"},
    Entry{"user:email", "read"},
    Entry{"user:follow", "write"},
    Entry{"project", "write"},
    Entry{"read:project", "read"},
    Entry{"delete_repo", "admin"},
    Entry{"write:packages", "write"},
    Entry{"read:packages", "read"},
    Entry{"delete:packages", "admin"},
    Entry{"admin:gpg_key", "admin"},
    Entry{"write:gpg_key", "write"},
    Entry{"read:gpg_key", "read"},
    Entry{"codespace", "write"},
    Entry{"workflow", "write"},
    Entry{"admin:enterprise", "admin"},
    Entry{"manage_runners:enterprise", "admin"},
    Entry{"manage_billing:enterprise", "admin"},
    Entry{"read:enterprise", "read"},
    Entry{"audit_log", "read"},
    Entry{"read:audit_log", "read"},
    Entry{"copilot", "write"},
    Entry{"manage_billing:copilot", "admin"},
    Entry{"admin:ssh_signing_key", "admin"},
    Entry{"write:ssh_signing_key", "write"},
    Entry{"read:ssh_signing_key", "read"},
    Entry{"write:discussion", "write"},
    Entry{"read:discussion", "read"},
};

// Permissions whose write access lets the holder grant access or change who is a member.
constexpr std::array<std::string_view, 7> kAccessControlPermissions{
    "administration",
    "members",
    "organization_administration",
    "organization_personal_access_tokens",
    "organization_custom_roles",
    "organization_custom_org_roles",
    "organization_user_blocking",
};

// Account (user) permissions of GitHub Apps and fine-grained tokens.
constexpr std::array<std::string_view, 12> kUserPermissions{
    "blocking",         "codespaces_user_secrets", "copilot_messages", "email_addresses",
    "followers",        "git_ssh_keys",            "gpg_keys",         "interaction_limits",
    "profile",          "starring",                "watching",         "ssh_signing_keys",
};

// Organization permissions that do not start with "organization_".
constexpr std::array<std::string_view, 3> kOrganizationPermissions{"members", "team_discussions", "custom_properties_for_organizations"};

template <class Container>
bool contains(const Container& values, std::string_view value) {
  for (std::string_view candidate : values) {
    if (candidate == value) return true;
  }
  return false;
}

}  // namespace

std::string_view classic_scope_level(std::string_view scope) {
  for (const auto& [name, level] : kClassicScopes) {
    if (name == scope) return level;
  }
  return {};
}

std::string_view permission_level(std::string_view name, std::string_view access) {
  if (access == "admin") return "admin";
  if (access == "write") return contains(kAccessControlPermissions, name) ? "admin" : "write";
  if (access == "read") return "read";
  return {};
}

std::string_view permission_resource_type(std::string_view name) {
  if (name.rfind("organization_", 0) == 0 || contains(kOrganizationPermissions, name)) return "organization";
  if (contains(kUserPermissions, name)) return "user";
  return "repository";
}

}  // namespace keyward::sources::github
