#pragma once

// Each platform folder under sources/ adds its sources to the registry through one function, so
// adding a platform touches its own folder and one line in registry.cpp.

#include <memory>
#include <vector>

#include "sources/source.hpp"

namespace keyward::sources {

using SourceList = std::vector<std::unique_ptr<Source>>;

void add_gcp_sources(SourceList& list);
void add_entra_sources(SourceList& list);
void add_okta_sources(SourceList& list);
void add_github_sources(SourceList& list);
void add_workspace_sources(SourceList& list);
void add_salesforce_sources(SourceList& list);
void add_slack_sources(SourceList& list);
void add_snowflake_sources(SourceList& list);

}  // namespace keyward::sources
