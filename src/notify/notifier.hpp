#pragma once

// Sends alerts that are new to the store to the channels of the `notifications:` section of
// keyward.yaml. Delivery failures are reported per channel and never fail the ingest.

#include <yaml-cpp/yaml.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/model.hpp"
#include "core/result.hpp"
#include "notify/channel.hpp"

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
  // TODO: an alert a channel failed to deliver is not kept for a later retry; take_new_alerts
  // has already marked it as taken.
  std::vector<DeliveryFailure> notify(const std::vector<core::Alert>& alerts);

 private:
  std::vector<std::unique_ptr<Channel>> channels_;
};

}  // namespace keyward::notify
