#include "sources/gcp/audit_log_source.hpp"
#include "sources/gcp/iam_policy_source.hpp"
#include "sources/gcp/service_account_keys_source.hpp"
#include "sources/gcp/service_accounts_source.hpp"
#include "sources/platform_sources.hpp"

namespace keyward::sources {

void add_gcp_sources(SourceList& list) {
  list.push_back(std::make_unique<gcp::AuditLogSource>());
  list.push_back(std::make_unique<gcp::IamPolicySource>());
  list.push_back(std::make_unique<gcp::ServiceAccountsSource>());
  list.push_back(std::make_unique<gcp::ServiceAccountKeysSource>());
}

}  // namespace keyward::sources
