#include "sources/github/github_sources.hpp"
#include "sources/platform_sources.hpp"

namespace keyward::sources {

void add_github_sources(SourceList& list) {
  list.push_back(std::make_unique<github::InstallationsSource>());
  list.push_back(std::make_unique<github::CredentialAuthorizationsSource>());
  list.push_back(std::make_unique<github::FineGrainedPatsSource>());
  list.push_back(std::make_unique<github::DeployKeysSource>());
  list.push_back(std::make_unique<github::WebhooksSource>());
  list.push_back(std::make_unique<github::AuditLogSource>());
}

}  // namespace keyward::sources
