#pragma once

// Generates a GitHub organization for the shared Company: the REST API outputs and a few days of
// audit log that the github-* sources read.

#include <string>

#include "core/result.hpp"
#include "tools/generator/company.hpp"

namespace keyward::generator {

// Writes into `output_dir`/github/, each file as `gh api --paginate` prints it:
//   installations.json               GET /orgs/ORG/installations: apps of company.vendors (some
//                                    with administration or members write) and one own app
//   credential-authorizations.json   GET /orgs/ORG/credential-authorizations: classic PATs and
//                                    SSH keys of engineers, some of people who left, some
//                                    without expiry, some unused for 90+ days
//   fine-grained-pats.json           GET /orgs/ORG/personal-access-tokens
//   fine-grained-pat-requests.json   GET /orgs/ORG/personal-access-token-requests
//   deploy-keys.json                 GET /repos/ORG/REPO/keys for every repository, concatenated
//   hooks.json                       GET /orgs/ORG/hooks and /repos/ORG/REPO/hooks, concatenated;
//                                    a few with insecure_ssl "1" or no secret
//   audit-log.json                   GET /orgs/ORG/audit-log: the last 3 days, pages of 100
// About 0.8 personal access tokens per engineer in all. The same company gives byte-identical
// files. Errors: io_error when a file cannot be written.
core::Result<PlatformOutput> generate_github(const Company& company, const std::string& output_dir);

}  // namespace keyward::generator
