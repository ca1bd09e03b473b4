#pragma once

// Sends alerts that are new to the store to the channels of the `notifications:` section of
// keyward.yaml. Delivery failures are reported per channel and never fail the ingest.

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/model.hpp"
#include "core/result.hpp"
#include "notify/channel.hpp"
#include "store/store.hpp"

namespace keyward::notify {

// Validates the `notifications:` section read from `file` and reads each channel's token from
// its environment variable (token_env) or owner-only file (token_file, relative to the directory
// of `file`). Errors name the file, line and key; they never contain a token.
core::Result<std::vector<ChannelSettings>> parse_notification_settings(const YAML::Node& section, const std::string& file);

class Notifier {
 public:
  Notifier() = default;
  explicit Notifier(std::vector<std::unique_ptr<Channel>> channels);

  // Builds the channels of config.sections["notifications"]; a configuration without that
  // section gives a Notifier with no channels.
  static core::Result<Notifier> from_config(const config::Config& config);

  bool empty() const { return channels_.empty(); }
  size_t channel_count() const { return channels_.size(); }

  // Sends each alert to every channel whose min_severity it reaches, retrying as each channel's
  // policy sets, and returns one failure per channel that could not deliver. Call it with
  // Store::take_new_alerts() after each commit so that re-ingested alerts are never sent.
  // With a store, the alerts a channel failed to deliver are recorded there and sent again with
  // the next batch for that channel (see retry_failed). After kMaxDeliveryAttempts failed
  // deliveries of an alert, the channel gives up on it and the failure message states that.
  std::vector<DeliveryFailure> notify(const std::vector<core::Alert>& alerts, store::Store* store = nullptr);

  // Sends again the alerts that earlier deliveries failed on, for each channel whose last attempt
  // in this process is at least kRetryInterval old. Long-running commands call it periodically;
  // `keyward ingest` calls it once at the end, even when no alert is new.
  std::vector<DeliveryFailure> retry_failed(store::Store& store);

  static constexpr int kMaxDeliveryAttempts = 10;
  static constexpr std::chrono::seconds kRetryInterval{60};
  // Alerts a retry adds to one delivery at most, so a long outage does not make one huge request.
  static constexpr std::size_t kMaxRetriesPerDelivery = 500;

 private:
  // Delivers `fresh` plus the alerts recorded as failed for `channel` and updates the record.
  void deliver_with_retries(Channel& channel, const std::vector<core::Alert>& fresh, store::Store* store,
                            std::vector<DeliveryFailure>& failures);

  std::vector<std::unique_ptr<Channel>> channels_;
  // When each channel (by name) last had a delivery attempt in this process.
  std::map<std::string, std::chrono::steady_clock::time_point> last_attempt_;
};

}  // namespace keyward::notify
