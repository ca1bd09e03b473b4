#pragma once

// The GitHub sources: each reads the output of one REST API endpoint as `gh api --paginate`
// prints it (a JSON array per page, pages concatenated), or the organization audit log. See
// docs/sources/github.md for the exact calls and the permissions they need.

#include "sources/source.hpp"

namespace keyward::sources::github {

#define KEYWARD_GITHUB_SOURCE(ClassName)                                        \
  class ClassName final : public Source {                                       \
   public:                                                                      \
    std::string_view name() const override;                                     \
    std::string_view description() const override;                              \
    int detect(std::string_view head, std::string_view path) const override;    \
    core::Status parse(const Input& input, ParseContext& ctx) const override;   \
  };

// GET /orgs/{org}/installations: GitHub App installations and their permissions.
KEYWARD_GITHUB_SOURCE(InstallationsSource)
// GET /orgs/{org}/credential-authorizations: classic PATs and SSH keys authorized for SAML SSO.
KEYWARD_GITHUB_SOURCE(CredentialAuthorizationsSource)
// GET /orgs/{org}/personal-access-tokens and /orgs/{org}/personal-access-token-requests.
KEYWARD_GITHUB_SOURCE(FineGrainedPatsSource)
// GET /repos/{owner}/{repo}/keys: deploy keys.
KEYWARD_GITHUB_SOURCE(DeployKeysSource)
// GET /repos/{owner}/{repo}/hooks and /orgs/{org}/hooks: webhooks.
KEYWARD_GITHUB_SOURCE(WebhooksSource)
// GET /orgs/{org}/audit-log, and the audit log export of the web UI (JSON or CSV).
KEYWARD_GITHUB_SOURCE(AuditLogSource)

#undef KEYWARD_GITHUB_SOURCE

}  // namespace keyward::sources::github
