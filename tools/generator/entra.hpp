#pragma once

// Microsoft Entra ID exports of the generated company: users, app registrations with secrets,
// certificates and federated credentials, enterprise apps of third-party vendors with their
// consented permissions, managed identities, and a few days of service principal sign-ins.

#include <string>

#include "core/result.hpp"
#include "tools/generator/company.hpp"

namespace keyward::generator {

// Writes output_dir/entra/ in the formats the entra-* sources read (docs/sources/entra.md):
//   users.json, applications.json, service-principals.json, oauth2-permission-grants.json,
//   app-role-assignments.json   Microsoft Graph v1.0 pages, one page per line
//   sign-ins-graph.json         Graph beta auditLogs/signIns pages (service principals)
//   sign-ins-diagnostic.json    diagnostic settings records, one per line (managed identities)
// The same company gives byte-identical files. Errors: io_error when a file cannot be written.
core::Result<PlatformOutput> generate_entra(const Company& company, const std::string& output_dir);

}  // namespace keyward::generator
