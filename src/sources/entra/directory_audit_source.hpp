#pragma once

#include "sources/source.hpp"

namespace keyward::sources::entra {

// Reads Entra ID directory audit logs: Microsoft Graph GET /auditLogs/directoryAudits pages
// (`az rest`, or `Get-MgAuditLogDirectoryAudit | ConvertTo-Json -Depth 10`), JSON lines of
// directoryAudit records, and diagnostic settings records of category AuditLogs.
class DirectoryAuditSource final : public Source {
 public:
  std::string_view name() const override;
  std::string_view description() const override;
  int detect(std::string_view head, std::string_view path) const override;
  core::Status parse(const Input& input, ParseContext& ctx) const override;
};

}  // namespace keyward::sources::entra
