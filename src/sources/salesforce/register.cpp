#include "sources/platform_sources.hpp"
#include "sources/salesforce/connected_apps_source.hpp"
#include "sources/salesforce/event_monitoring_source.hpp"
#include "sources/salesforce/oauth_tokens_source.hpp"
#include "sources/salesforce/users_source.hpp"

namespace keyward::sources {

void add_salesforce_sources(SourceList& list) {
  list.push_back(std::make_unique<salesforce::OauthTokensSource>());
  list.push_back(std::make_unique<salesforce::ConnectedAppsSource>());
  list.push_back(std::make_unique<salesforce::UsersSource>());
  list.push_back(std::make_unique<salesforce::EventMonitoringSource>());
}

}  // namespace keyward::sources
