#include "sources/platform_sources.hpp"
#include "sources/snowflake/access_history_source.hpp"
#include "sources/snowflake/login_history_source.hpp"
#include "sources/snowflake/sessions_source.hpp"
#include "sources/snowflake/users_source.hpp"

namespace keyward::sources {

void add_snowflake_sources(SourceList& list) {
  list.push_back(std::make_unique<snowflake::UsersSource>());
  list.push_back(std::make_unique<snowflake::LoginHistorySource>());
  list.push_back(std::make_unique<snowflake::AccessHistorySource>());
  list.push_back(std::make_unique<snowflake::SessionsSource>());
}

}  // namespace keyward::sources
