#include "sources/entra/activity_log_source.hpp"
#include "sources/entra/directory_audit_source.hpp"
#include "sources/entra/entra_sources.hpp"
#include "sources/platform_sources.hpp"

namespace keyward::sources {

void add_entra_sources(SourceList& list) {
  list.push_back(std::make_unique<entra::ApplicationsSource>());
  list.push_back(std::make_unique<entra::ServicePrincipalsSource>());
  list.push_back(std::make_unique<entra::PermissionGrantsSource>());
  list.push_back(std::make_unique<entra::AppRoleAssignmentsSource>());
  list.push_back(std::make_unique<entra::UsersSource>());
  list.push_back(std::make_unique<entra::SignInsSource>());
  list.push_back(std::make_unique<entra::DirectoryAuditSource>());
  list.push_back(std::make_unique<entra::ActivityLogSource>());
}

}  // namespace keyward::sources
