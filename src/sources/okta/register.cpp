#include "sources/okta/sources.hpp"
#include "sources/platform_sources.hpp"

namespace keyward::sources {

void add_okta_sources(SourceList& list) {
  list.push_back(std::make_unique<okta::SystemLogSource>());
  list.push_back(std::make_unique<okta::ApiTokensSource>());
  list.push_back(std::make_unique<okta::AppGrantsSource>());
  list.push_back(std::make_unique<okta::AppsSource>());
  list.push_back(std::make_unique<okta::UsersSource>());
}

}  // namespace keyward::sources
