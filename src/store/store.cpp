#include "store/store.hpp"

namespace keyward::store {

core::Result<core::Finding> Store::set_finding_status(const FindingStatusChange&) {
  return core::make_error(core::ErrorCode::invalid_argument, "this store does not keep finding status changes");
}

core::Result<std::vector<FindingEvent>> Store::list_finding_events(const std::string&) {
  return core::make_error(core::ErrorCode::invalid_argument, "this store does not keep finding status changes");
}

namespace {

core::Error alert_state_unsupported() {
  return core::make_error(core::ErrorCode::invalid_argument, "this store does not keep alert status changes");
}

}  // namespace

core::Result<std::vector<StoredAlert>> Store::query_alerts(const AlertFilter&, core::UnixTime) {
  return alert_state_unsupported();
}

core::Result<StoredAlert> Store::set_alert_status(const AlertStatusChange&) { return alert_state_unsupported(); }

core::Result<std::vector<AlertEvent>> Store::list_alert_events(const std::string&) { return alert_state_unsupported(); }

core::Result<std::vector<core::Alert>> Store::take_new_alerts() { return alert_state_unsupported(); }

core::Status Store::record_notification_failure(const std::string&, const std::vector<core::Alert>&, const std::string&,
                                                core::UnixTime) {
  return alert_state_unsupported();
}

core::Result<std::vector<NotificationRetry>> Store::list_notification_retries(const std::string&, std::size_t) {
  return alert_state_unsupported();
}

core::Status Store::clear_notification_retries(const std::string&, const std::vector<core::Alert>&) {
  return alert_state_unsupported();
}

}  // namespace keyward::store

namespace keyward::store {

core::Status Store::put_exposures(const std::vector<core::Exposure>&, core::UnixTime) {
  return core::make_error(core::ErrorCode::invalid_argument, "this store does not keep exposures");
}

core::Result<std::vector<core::Exposure>> Store::list_exposures() { return std::vector<core::Exposure>{}; }

core::Status Store::update_exposure_matches(const std::vector<core::Exposure>&) {
  return core::make_error(core::ErrorCode::invalid_argument, "this store does not keep exposures");
}

core::Result<std::string> Store::fingerprint_key() {
  return core::make_error(core::ErrorCode::invalid_argument, "this store does not keep a fingerprint key");
}

}  // namespace keyward::store
