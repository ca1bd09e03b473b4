#include "store/store.hpp"

namespace keyward::store {

core::Result<core::Finding> Store::set_finding_status(const FindingStatusChange&) {
  return core::make_error(core::ErrorCode::invalid_argument, "this store does not keep finding status changes");
}

core::Result<std::vector<FindingEvent>> Store::list_finding_events(const std::string&) {
  return core::make_error(core::ErrorCode::invalid_argument, "this store does not keep finding status changes");
}

}  // namespace keyward::store
