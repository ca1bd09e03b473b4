#pragma once

// Generates an Okta org for the shared Company: the Management API list outputs and a few days of
// System Log that the okta-* sources read.

#include <string>

#include "core/result.hpp"
#include "tools/generator/company.hpp"

namespace keyward::generator {

// Writes into `output_dir`/okta/:
//   users.json        GET /api/v1/users: one user per employee (statuses kept) and a few
//                     service-account users (profile.userType "service")
//   api-tokens.json   GET /api/v1/api-tokens: about 0.3 tokens per engineer, some of
//                     deprovisioned people, some without expiry, some usable from any IP
//   apps.json         GET /api/v1/apps: API service apps, custom OIDC and SAML apps, and OIN apps
//                     of company.vendors
//   app-grants.json   GET /api/v1/apps/{appId}/grants of every service app, one output per line
//   system-log.json   GET /api/v1/logs: one page (JSON array of up to 100 events) per line
// The same company gives byte-identical files. Errors: io_error when a file cannot be written.
core::Result<PlatformOutput> generate_okta(const Company& company, const std::string& output_dir);

}  // namespace keyward::generator
