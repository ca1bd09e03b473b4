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
}

}  // namespace keyward::sources
