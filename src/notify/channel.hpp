#pragma once

// Notification channels: where new alerts are sent (a generic webhook, a Slack incoming webhook,
// syslog over UDP or TCP, the Splunk HTTP Event Collector). Settings come from the
// `notifications:` section of keyward.yaml (notify/settings.hpp); docs/alerts.md has the format.

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace keyward::notify {

enum class ChannelType { webhook, slack, syslog, splunk_hec };

std::string_view to_string(ChannelType type);

// Retry policy of a channel. HTTP channels retry on 429, 5xx and connection errors; TCP
// syslog retries when it cannot connect or send. Delays double from initial_backoff up to
// max_backoff, except that an HTTP Retry-After header sets the next delay.
struct RetryPolicy {
  int max_attempts = 4;  // the first try included
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{30000};
  // A Retry-After longer than this ends the retries instead of blocking the ingest for it.
  std::chrono::seconds max_retry_after{120};
  std::chrono::seconds timeout{10};  // per attempt: connect, send and response together
  // Waits between attempts; tests replace it to record the delays instead of sleeping.
  std::function<void(std::chrono::milliseconds)> sleep;
};

// One channel's settings, as validated by parse_notification_settings.
struct ChannelSettings {
  std::string name;  // `name:` in the file, else "<type> #<position>"
  ChannelType type = ChannelType::webhook;
  // The endpoint of HTTP channels. A secret for Slack (the URL carries the credential), so it is
  // never printed: messages show redact_url(url).
  std::string url;
  bool allow_plain_http = false;  // http:// to a host other than loopback
  std::string host;               // syslog
  int port = 0;                   // syslog
  bool tcp = false;               // syslog transport: TCP with octet-counting framing, else UDP
  int facility = 16;              // syslog facility number; 16 is local0
  std::string index;              // Splunk HEC index; empty: the token's default index
  std::string sourcetype = "keyward:alert";  // Splunk HEC sourcetype
  core::Severity min_severity = core::Severity::medium;
  std::string token;  // secret from token_env or token_file; empty when none is configured
  RetryPolicy retry;
};

// One channel that could not deliver. The message names the channel and never contains a token.
struct DeliveryFailure {
  std::string channel;
  std::string message;
};

class Channel {
 public:
  explicit Channel(ChannelSettings settings) : settings_(std::move(settings)) {}
  virtual ~Channel() = default;
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  const ChannelSettings& settings() const { return settings_; }
  // Sends `alerts`, all at or above min_severity, retrying as settings().retry sets.
  virtual core::Status deliver(const std::vector<core::Alert>& alerts) = 0;

 protected:
  ChannelSettings settings_;
};

// Builds the channel of settings.type. Defined beside each channel: webhook.cpp, slack.cpp,
// syslog.cpp, splunk_hec.cpp.
std::unique_ptr<Channel> make_webhook_channel(ChannelSettings settings);
std::unique_ptr<Channel> make_slack_channel(ChannelSettings settings);
std::unique_ptr<Channel> make_syslog_channel(ChannelSettings settings);
std::unique_ptr<Channel> make_splunk_hec_channel(ChannelSettings settings);

// The alert as channels send it: {"id": alert id, then the fields of `keyward alerts --format json`}.
nlohmann::json alert_payload(const core::Alert& alert);

// Returns "scheme://host[:port]" of `url`, dropping the path, query and user info, which can
// carry credentials (a Slack webhook path is one).
std::string redact_url(std::string_view url);

// The name of this machine for syslog HOSTNAME and Splunk host, or "-" when it has none.
std::string local_host_name();

}  // namespace keyward::notify
