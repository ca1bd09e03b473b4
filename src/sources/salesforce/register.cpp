#include "sources/platform_sources.hpp"

namespace keyward::sources {

void add_salesforce_sources(SourceList& list) {
  (void)list;
}

}  // namespace keyward::sources
