#include "notify/notifier.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config/yaml.hpp"
#include "notify/http_post.hpp"

namespace keyward::notify {
namespace {

using config::yaml_error;

const std::map<std::string, int, std::less<>> kFacilities = {
    {"kern", 0},   {"user", 1},      {"mail", 2},    {"daemon", 3},  {"auth", 4},    {"syslog", 5},
    {"lpr", 6},    {"news", 7},      {"uucp", 8},    {"cron", 9},    {"authpriv", 10}, {"ftp", 11},
    {"ntp", 12},   {"security", 13}, {"console", 14}, {"local0", 16}, {"local1", 17}, {"local2", 18},
    {"local3", 19}, {"local4", 20},  {"local5", 21}, {"local6", 22}, {"local7", 23}};

// Keys each channel type accepts, besides the common ones.
const std::set<std::string, std::less<>> kCommonKeys = {"type", "name", "min_severity", "max_attempts", "timeout_seconds"};
const std::map<ChannelType, std::set<std::string, std::less<>>> kTypeKeys = {
    {ChannelType::webhook, {"url", "url_env", "url_file", "token_env", "token_file", "allow_plain_http"}},
    {ChannelType::slack, {"url_env", "url_file", "allow_plain_http"}},
    {ChannelType::syslog, {"address", "transport", "facility"}},
    {ChannelType::splunk_hec, {"url", "url_env", "url_file", "token_env", "token_file", "allow_plain_http", "index", "sourcetype"}},
};

std::optional<ChannelType> parse_type(std::string_view text) {
  for (ChannelType type : {ChannelType::webhook, ChannelType::slack, ChannelType::syslog, ChannelType::splunk_hec}) {
    if (to_string(type) == text) return type;
  }
  return std::nullopt;
}

std::string trim_trailing_space(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

// Reads a secret from a file that only its owner can read: a regular file owned by the user
// running keyward, with no group or other permission bits.
core::Result<std::string> read_secret_file(const std::string& path, const std::string& key) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return core::make_error(core::ErrorCode::io_error, fmt::format("{} {}: {}", key, path, std::strerror(errno)));
  }
  if (!S_ISREG(info.st_mode)) {
    return core::make_error(core::ErrorCode::invalid_input, fmt::format("{} {} is not a regular file", key, path));
  }
  if (info.st_uid != ::geteuid()) {
    return core::make_error(core::ErrorCode::invalid_input,
                            fmt::format("{} {} belongs to uid {}, not to the user running keyward (uid {}); a secret "
                                        "file must belong to that user",
                                        key, path, info.st_uid, ::geteuid()));
  }
  if ((info.st_mode & 077) != 0) {
    return core::make_error(core::ErrorCode::invalid_input,
                            fmt::format("{} {} can be read or written by other users (mode {:04o}); run chmod 600 {}", key,
                                        path, info.st_mode & 07777, path));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return core::make_error(core::ErrorCode::io_error, fmt::format("{} {}: failed to read the file", key, path));
  return trim_trailing_space(text.str());
}

// Reads an optional secret given as NAME_env (an environment variable) or NAME_file (a file).
// Returns an empty string when neither key is present.
core::Result<std::string> read_secret(const YAML::Node& channel, const std::string& name, const std::string& file,
                                      const std::filesystem::path& base) {
  const std::string env_key = name + "_env";
  const std::string file_key = name + "_file";
  const YAML::Node env_node = channel[env_key];
  const YAML::Node file_node = channel[file_key];
  if (env_node && file_node) {
    return yaml_error(file, file_node, fmt::format("give either {} or {}, not both", env_key, file_key));
  }
  if (env_node) {
    const std::string variable = env_node.as<std::string>();
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr || *value == '\0') {
      return yaml_error(file, env_node, fmt::format("{}: environment variable {} is not set or empty", env_key, variable));
    }
    return trim_trailing_space(value);
  }
  if (file_node) {
    std::filesystem::path path = file_node.as<std::string>();
    if (path.is_relative()) path = base / path;
    auto secret = read_secret_file(path.string(), file_key);
    if (!secret) return yaml_error(file, file_node, secret.error().message);
    if (secret->empty()) return yaml_error(file, file_node, fmt::format("{} {} is empty", file_key, path.string()));
    return secret;
  }
  return std::string();
}

// Splits "host:port" or "[v6 address]:port".
bool split_address(const std::string& address, std::string& host, int& port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 >= address.size()) return false;
  host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) return false;
  const std::string digits = address.substr(colon + 1);
  if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
  port = std::stoi(digits);
  return port > 0 && port <= 65535;
}

core::Result<ChannelSettings> parse_channel(const YAML::Node& channel, size_t position, const std::string& file,
                                            const std::filesystem::path& base) {
  if (!channel.IsMap()) {
    return yaml_error(file, channel, fmt::format("notifications.channels[{}] must be a mapping, not {}", position,
                                                 config::describe_node_type(channel)));
  }
  const YAML::Node type_node = channel["type"];
  if (!type_node) {
    return yaml_error(file, channel, fmt::format("notifications.channels[{}]: missing type (webhook, slack, syslog or "
                                                 "splunk_hec)", position));
  }
  const auto type = parse_type(type_node.as<std::string>());
  if (!type) {
    return yaml_error(file, type_node, fmt::format("unknown channel type '{}'; use webhook, slack, syslog or splunk_hec",
                                                   type_node.as<std::string>()));
  }

  ChannelSettings settings;
  settings.type = *type;
  settings.name = channel["name"] ? channel["name"].as<std::string>() : fmt::format("{} #{}", to_string(*type), position + 1);

  for (const auto& item : channel) {
    const std::string key = item.first.as<std::string>();
    if (key == "token" || (key == "url" && *type == ChannelType::slack)) {
      const std::string what = key == "token" ? "tokens" : "Slack webhook URLs (the URL is the credential)";
      return yaml_error(file, item.first,
                        fmt::format("channel '{}': {} are not read from keyward.yaml; use {}_env (an environment "
                                    "variable) or {}_file (a file only its owner can read)",
                                    settings.name, what, key, key));
    }
    if (!kCommonKeys.contains(key) && !kTypeKeys.at(*type).contains(key)) {
      return yaml_error(file, item.first, fmt::format("channel '{}': unknown key '{}' for type {}", settings.name, key,
                                                      to_string(*type)));
    }
  }

  if (const YAML::Node node = channel["min_severity"]) {
    auto severity = core::parse_severity(node.as<std::string>());
    if (!severity) {
      return yaml_error(file, node, fmt::format("channel '{}': invalid min_severity '{}'; use info, low, medium, high or "
                                                "critical", settings.name, node.as<std::string>()));
    }
    settings.min_severity = *severity;
  }
  if (const YAML::Node node = channel["max_attempts"]) {
    settings.retry.max_attempts = node.as<int>();
    if (settings.retry.max_attempts < 1 || settings.retry.max_attempts > 10) {
      return yaml_error(file, node, fmt::format("channel '{}': max_attempts must be 1 to 10", settings.name));
    }
  }
  if (const YAML::Node node = channel["timeout_seconds"]) {
    const int seconds = node.as<int>();
    if (seconds < 1 || seconds > 300) {
      return yaml_error(file, node, fmt::format("channel '{}': timeout_seconds must be 1 to 300", settings.name));
    }
    settings.retry.timeout = std::chrono::seconds(seconds);
  }

  if (*type == ChannelType::syslog) {
    const YAML::Node address = channel["address"];
    if (!address || !split_address(address.as<std::string>(), settings.host, settings.port)) {
      return yaml_error(file, address ? address : channel,
                        fmt::format("channel '{}': address must be HOST:PORT, e.g. siem.example.com:514", settings.name));
    }
    const std::string transport = channel["transport"] ? channel["transport"].as<std::string>() : "udp";
    if (transport != "udp" && transport != "tcp") {
      return yaml_error(file, channel["transport"], fmt::format("channel '{}': transport must be udp or tcp", settings.name));
    }
    settings.tcp = transport == "tcp";
    if (const YAML::Node node = channel["facility"]) {
      const std::string text = node.as<std::string>();
      auto named = kFacilities.find(text);
      if (named != kFacilities.end()) {
        settings.facility = named->second;
      } else if (!text.empty() && text.size() <= 2 && text.find_first_not_of("0123456789") == std::string::npos &&
                 std::stoi(text) <= 23) {
        settings.facility = std::stoi(text);
      } else {
        return yaml_error(file, node, fmt::format("channel '{}': invalid facility '{}'; use local0 to local7, auth, "
                                                  "authpriv, daemon, user, or a number 0 to 23", settings.name, text));
      }
    }
    return settings;
  }

  // HTTP channels.
  if (channel["url"] && (channel["url_env"] || channel["url_file"])) {
    return yaml_error(file, channel["url"], fmt::format("channel '{}': give one of url, url_env and url_file", settings.name));
  }
  if (channel["url"]) {
    settings.url = channel["url"].as<std::string>();
  } else {
    auto url = read_secret(channel, "url", file, base);
    if (!url) return url.error();
    settings.url = *url;
  }
  if (settings.url.empty()) {
    const char* keys = *type == ChannelType::slack ? "url_env or url_file" : "url, url_env or url_file";
    return yaml_error(file, channel, fmt::format("channel '{}': missing {}", settings.name, keys));
  }
  settings.allow_plain_http = channel["allow_plain_http"] && channel["allow_plain_http"].as<bool>();
  if (auto status = check_http_url(settings.url, settings.allow_plain_http); !status) {
    return yaml_error(file, channel, fmt::format("channel '{}': {}", settings.name, status.error().message));
  }

  auto token = read_secret(channel, "token", file, base);
  if (!token) return token.error();
  settings.token = *token;
  if (*type == ChannelType::splunk_hec) {
    if (settings.token.empty()) {
      return yaml_error(file, channel, fmt::format("channel '{}': the HTTP Event Collector needs token_env or token_file",
                                                   settings.name));
    }
    if (channel["index"]) settings.index = channel["index"].as<std::string>();
    if (channel["sourcetype"]) settings.sourcetype = channel["sourcetype"].as<std::string>();
  }
  return settings;
}

std::unique_ptr<Channel> make_channel(ChannelSettings settings) {
  switch (settings.type) {
    case ChannelType::webhook: return make_webhook_channel(std::move(settings));
    case ChannelType::slack: return make_slack_channel(std::move(settings));
    case ChannelType::syslog: return make_syslog_channel(std::move(settings));
    case ChannelType::splunk_hec: return make_splunk_hec_channel(std::move(settings));
  }
  return nullptr;
}

}  // namespace

core::Result<std::vector<ChannelSettings>> parse_notification_settings(const YAML::Node& section, const std::string& file) {
  std::vector<ChannelSettings> channels;
  if (!section || section.IsNull()) return channels;
  const std::filesystem::path base = std::filesystem::path(file).parent_path();
  try {
    if (!section.IsMap()) {
      return yaml_error(file, section, fmt::format("notifications must be a mapping with a channels list, not {}",
                                                   config::describe_node_type(section)));
    }
    for (const auto& item : section) {
      if (item.first.as<std::string>() != "channels") {
        return yaml_error(file, item.first, fmt::format("unknown key 'notifications.{}'; this version reads "
                                                        "notifications.channels", item.first.as<std::string>()));
      }
    }
    const YAML::Node list = section["channels"];
    if (!list || !list.IsSequence()) {
      return yaml_error(file, list ? list : section, "notifications.channels must be a list of channels");
    }
    std::set<std::string> names;
    for (size_t i = 0; i < list.size(); ++i) {
      auto settings = parse_channel(list[i], i, file, base);
      if (!settings) return settings.error();
      if (!names.insert(settings->name).second) {
        return yaml_error(file, list[i], fmt::format("two channels are named '{}'; names must be unique", settings->name));
      }
      channels.push_back(std::move(*settings));
    }
  } catch (const YAML::Exception& exception) {
    return config::yaml_exception_error(file, exception);
  }
  return channels;
}

Notifier::Notifier(std::vector<std::unique_ptr<Channel>> channels) : channels_(std::move(channels)) {}

core::Result<Notifier> Notifier::from_config(const config::Config& config) {
  auto section = config.sections.find("notifications");
  if (section == config.sections.end()) return Notifier();
  auto settings = parse_notification_settings(section->second, config.path);
  if (!settings) return settings.error();
  std::vector<std::unique_ptr<Channel>> channels;
  for (auto& channel : *settings) channels.push_back(make_channel(std::move(channel)));
  return Notifier(std::move(channels));
}

std::vector<DeliveryFailure> Notifier::notify(const std::vector<core::Alert>& alerts, store::Store* store) {
  std::vector<DeliveryFailure> failures;
  for (const auto& channel : channels_) {
    std::vector<core::Alert> selected;
    for (const auto& alert : alerts) {
      if (alert.severity >= channel->settings().min_severity) selected.push_back(alert);
    }
    if (selected.empty()) continue;
    deliver_with_retries(*channel, selected, store, failures);
  }
  return failures;
}

std::vector<DeliveryFailure> Notifier::retry_failed(store::Store& store) {
  std::vector<DeliveryFailure> failures;
  const auto now = std::chrono::steady_clock::now();
  for (const auto& channel : channels_) {
    auto last = last_attempt_.find(channel->settings().name);
    if (last != last_attempt_.end() && now - last->second < kRetryInterval) continue;
    deliver_with_retries(*channel, {}, &store, failures);
  }
  return failures;
}

void Notifier::deliver_with_retries(Channel& channel, const std::vector<core::Alert>& fresh, store::Store* store,
                                    std::vector<DeliveryFailure>& failures) {
  const std::string& name = channel.settings().name;
  std::vector<store::NotificationRetry> pending;
  if (store != nullptr) {
    auto listed = store->list_notification_retries(name, kMaxRetriesPerDelivery);
    if (listed) {
      pending = std::move(*listed);
    } else {
      failures.push_back(DeliveryFailure{name, fmt::format("channel '{}': cannot read alerts to send again: {}", name,
                                                           listed.error().message)});
    }
  }
  if (fresh.empty() && pending.empty()) return;

  // Earlier failures first, so the receiver gets alerts in the order they were raised.
  std::vector<core::Alert> batch;
  std::set<std::pair<std::string, std::string>> in_batch;
  for (const auto& retry : pending) {
    if (in_batch.emplace(retry.alert.detector, retry.alert.dedupe_key).second) batch.push_back(retry.alert);
  }
  for (const auto& alert : fresh) {
    if (in_batch.emplace(alert.detector, alert.dedupe_key).second) batch.push_back(alert);
  }

  last_attempt_[name] = std::chrono::steady_clock::now();
  auto delivered = channel.deliver(batch);
  if (delivered) {
    if (store != nullptr && !pending.empty()) {
      std::vector<core::Alert> sent;
      for (const auto& retry : pending) sent.push_back(retry.alert);
      if (auto cleared = store->clear_notification_retries(name, sent); !cleared) {
        failures.push_back(DeliveryFailure{name, fmt::format("channel '{}': delivered, but cannot clear the retry record: {}",
                                                             name, cleared.error().message)});
      }
    }
    return;
  }

  std::string message = delivered.error().message;
  if (store == nullptr) {
    failures.push_back(DeliveryFailure{name, std::move(message)});
    return;
  }
  std::vector<core::Alert> given_up;
  for (const auto& retry : pending) {
    if (retry.attempts + 1 >= kMaxDeliveryAttempts) given_up.push_back(retry.alert);
  }
  if (auto recorded = store->record_notification_failure(name, batch, message, core::now()); !recorded) {
    message += fmt::format("; the {} alert(s) cannot be kept for a later retry: {}", batch.size(), recorded.error().message);
  } else if (batch.size() > given_up.size()) {
    message += fmt::format("; {} alert(s) will be sent again with this channel's next delivery", batch.size() - given_up.size());
  }
  if (!given_up.empty()) {
    (void)store->clear_notification_retries(name, given_up);
    message += fmt::format("; gave up on {} alert(s) after {} failed deliveries (see `keyward alerts`)", given_up.size(),
                           kMaxDeliveryAttempts);
  }
  failures.push_back(DeliveryFailure{name, std::move(message)});
}

}  // namespace keyward::notify
