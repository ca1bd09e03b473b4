#include "sources/platform_sources.hpp"
#include "sources/workspace/oauth_tokens_source.hpp"
#include "sources/workspace/token_activity_source.hpp"
#include "sources/workspace/users_source.hpp"

namespace keyward::sources {

void add_workspace_sources(SourceList& list) {
  list.push_back(std::make_unique<workspace::OAuthTokensSource>());
  list.push_back(std::make_unique<workspace::TokenActivitySource>());
  list.push_back(std::make_unique<workspace::UsersSource>());
}

}  // namespace keyward::sources
