#include "config/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>

#include "config/yaml.hpp"

namespace keyward::config {
namespace {

// A threshold key with the range of days it accepts.
struct ThresholdField {
  std::string_view key;
  std::optional<int> posture::ThresholdOverride::*member;
  int min;
  int max;
};

constexpr ThresholdField kThresholdFields[] = {
    {"unused_days", &posture::ThresholdOverride::unused_days, 1, 3650},
    {"rotation_days", &posture::ThresholdOverride::rotation_days, 1, 3650},
    {"grace_days", &posture::ThresholdOverride::grace_days, 0, 365},
    {"expiry_warning_days", &posture::ThresholdOverride::expiry_warning_days, 0, 3650},
    {"max_lifetime_days", &posture::ThresholdOverride::max_lifetime_days, 1, 36500},
};

constexpr std::string_view kPostureKeys[] = {"thresholds", "platforms", "tags", "mute_file"};

std::string threshold_keys() {
  std::vector<std::string_view> keys;
  for (const auto& field : kThresholdFields) keys.push_back(field.key);
  return fmt::format("{}", fmt::join(keys, ", "));
}

// Reads the key of a mapping item as text; a key that is a list or mapping is an error.
core::Result<std::string> read_key(const YAML::Node& key, const std::string& file) {
  if (!key.IsScalar()) return yaml_error(file, key, fmt::format("a key is {}; keys are plain names", describe_node_type(key)));
  return key.Scalar();
}

core::Status expect_map(const YAML::Node& node, const std::string& file, const std::string& path, std::string_view example) {
  if (node.IsMap()) return {};
  return yaml_error(file, node, fmt::format("'{}' is {}, not a mapping; write it as\n{}", path, describe_node_type(node), example));
}

// Reads threshold keys from `node` into `values`. `skip` names keys the caller reads itself.
core::Status read_thresholds(const YAML::Node& node, const std::string& file, const std::string& path,
                             posture::ThresholdOverride& values, std::string_view skip = {}) {
  for (const auto& item : node) {
    auto key = read_key(item.first, file);
    if (!key) return key.error();
    if (!skip.empty() && *key == skip) continue;
    const auto field = std::find_if(std::begin(kThresholdFields), std::end(kThresholdFields),
                                    [&](const ThresholdField& candidate) { return candidate.key == *key; });
    if (field == std::end(kThresholdFields)) {
      return yaml_error(file, item.first, fmt::format("unknown key '{}.{}'; thresholds are {}", path, *key, threshold_keys()));
    }
    const YAML::Node& value = item.second;
    const std::string text = value.IsScalar() ? value.Scalar() : std::string();
    int days = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), days);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || days < field->min || days > field->max) {
      return yaml_error(file, value,
                        fmt::format("invalid '{}.{}': expected a whole number of days from {} to {}, got '{}'", path, *key,
                                    field->min, field->max, value.IsScalar() ? text : std::string(describe_node_type(value))));
    }
    values.*(field->member) = days;
  }
  return {};
}

core::Status read_platforms(const YAML::Node& node, const std::string& file, Config& config) {
  if (auto status = expect_map(node, file, "posture.platforms", "platforms:\n  github:\n    unused_days: 60"); !status) {
    return status;
  }
  for (const auto& item : node) {
    auto platform = read_key(item.first, file);
    if (!platform) return platform.error();
    if (!is_known_platform(*platform)) {
      return yaml_error(file, item.first, fmt::format("unknown platform '{}' in 'posture.platforms'; use one of {}", *platform,
                                                      fmt::join(known_platforms(), ", ")));
    }
    const std::string path = "posture.platforms." + *platform;
    if (auto status = expect_map(item.second, file, path, "github:\n  unused_days: 60"); !status) return status;
    if (auto status = read_thresholds(item.second, file, path, config.platforms[*platform]); !status) return status;
  }
  return {};
}

core::Status read_tags(const YAML::Node& node, const std::string& file, Config& config) {
  constexpr std::string_view kExample = "tags:\n  - tag: environment=production\n    rotation_days: 30";
  if (!node.IsSequence()) {
    return yaml_error(file, node, fmt::format("'posture.tags' is {}, not a list; write it as\n{}", describe_node_type(node), kExample));
  }
  size_t number = 0;
  for (const auto& entry : node) {
    ++number;
    const std::string path = fmt::format("posture.tags[{}]", number);
    if (auto status = expect_map(entry, file, path, kExample); !status) return status;
    const YAML::Node tag = entry["tag"];
    if (!tag || !tag.IsScalar() || tag.Scalar().empty() || tag.Scalar().front() == '=') {
      return yaml_error(file, tag ? tag : entry,
                        fmt::format("'{}' needs 'tag: KEY' or 'tag: KEY=VALUE' naming the identity tag it applies to", path));
    }
    posture::TagThresholds rule;
    const std::string& text = tag.Scalar();
    const size_t equals = text.find('=');
    rule.key = text.substr(0, equals);
    if (equals != std::string::npos) rule.value = text.substr(equals + 1);
    if (auto status = read_thresholds(entry, file, path, rule.values, "tag"); !status) return status;
    config.tags.push_back(std::move(rule));
  }
  return {};
}

core::Status read_posture(const YAML::Node& node, const std::string& file, Config& config) {
  if (auto status = expect_map(node, file, "posture", "posture:\n  thresholds:\n    unused_days: 90"); !status) return status;
  for (const auto& item : node) {
    auto key = read_key(item.first, file);
    if (!key) return key.error();
    const YAML::Node& value = item.second;
    if (*key == "thresholds") {
      if (auto status = expect_map(value, file, "posture.thresholds", "thresholds:\n  unused_days: 90"); !status) return status;
      if (auto status = read_thresholds(value, file, "posture.thresholds", config.thresholds); !status) return status;
    } else if (*key == "platforms") {
      if (auto status = read_platforms(value, file, config); !status) return status;
    } else if (*key == "tags") {
      if (auto status = read_tags(value, file, config); !status) return status;
    } else if (*key == "mute_file") {
      if (!value.IsScalar() || value.Scalar().empty()) {
        return yaml_error(file, value, "'posture.mute_file' must be a file path, e.g. mute_file: keyward-mutes.yaml");
      }
      const std::filesystem::path mute_file(value.Scalar());
      config.mute_file = mute_file.is_absolute()
                             ? mute_file.string()
                             : (std::filesystem::path(file).parent_path() / mute_file).lexically_normal().string();
    } else {
      return yaml_error(file, item.first,
                        fmt::format("unknown key 'posture.{}'; use {}", *key, fmt::join(kPostureKeys, ", ")));
    }
  }
  return {};
}

// Reads a whole number from `min` to `max` at `path`, e.g. secrets.verify.timeout_seconds.
core::Result<int> read_bounded_number(const YAML::Node& value, const std::string& file, const std::string& path, int min,
                                      int max) {
  const std::string text = value.IsScalar() ? value.Scalar() : std::string();
  int number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || number < min || number > max) {
    return yaml_error(file, value,
                      fmt::format("invalid '{}': expected a whole number from {} to {}, got '{}'", path, min, max,
                                  value.IsScalar() ? text : std::string(describe_node_type(value))));
  }
  return number;
}

core::Status read_verify_endpoints(const YAML::Node& node, const std::string& file, SecretsVerifyConfig& verify) {
  constexpr std::string_view kExample = "endpoints:\n  gitlab: https://gitlab.example.com";
  if (auto status = expect_map(node, file, "secrets.verify.endpoints", kExample); !status) return status;
  for (const auto& item : node) {
    auto service = read_key(item.first, file);
    if (!service) return service.error();
    const YAML::Node& url = item.second;
    if (!url.IsScalar() || url.Scalar().empty()) {
      return yaml_error(file, url, fmt::format("'secrets.verify.endpoints.{}' must be a base URL, e.g. {}: {}", *service,
                                               *service, secrets::default_endpoint(*service).empty()
                                                             ? std::string_view("https://api.example.com")
                                                             : secrets::default_endpoint(*service)));
    }
    if (auto status = secrets::check_verify_endpoint(*service, url.Scalar()); !status) {
      const bool known = !secrets::default_endpoint(*service).empty();
      return yaml_error(file, known ? url : item.first, status.error().message);
    }
    verify.endpoints[*service] = url.Scalar();
  }
  return {};
}

core::Status read_verify(const YAML::Node& node, const std::string& file, SecretsVerifyConfig& verify) {
  constexpr std::string_view kVerifyKeys[] = {"endpoints", "timeout_seconds", "max_requests"};
  if (auto status = expect_map(node, file, "secrets.verify", "verify:\n  timeout_seconds: 5"); !status) return status;
  for (const auto& item : node) {
    auto key = read_key(item.first, file);
    if (!key) return key.error();
    if (*key == "endpoints") {
      if (auto status = read_verify_endpoints(item.second, file, verify); !status) return status;
    } else if (*key == "timeout_seconds") {
      auto seconds = read_bounded_number(item.second, file, "secrets.verify.timeout_seconds", 1, 300);
      if (!seconds) return seconds.error();
      verify.timeout_seconds = *seconds;
    } else if (*key == "max_requests") {
      auto requests = read_bounded_number(item.second, file, "secrets.verify.max_requests", 0, 100000);
      if (!requests) return requests.error();
      verify.max_requests = *requests;
    } else {
      return yaml_error(file, item.first,
                        fmt::format("unknown key 'secrets.verify.{}'; use {}", *key, fmt::join(kVerifyKeys, ", ")));
    }
  }
  return {};
}

// Reads secrets.verify; the section's other keys belong to other parts of the scanner, which read
// them from config.sections["secrets"].
core::Status read_secrets(const YAML::Node& node, const std::string& file, Config& config) {
  if (auto status = expect_map(node, file, "secrets", "secrets:\n  verify:\n    timeout_seconds: 5"); !status) return status;
  for (const auto& item : node) {
    auto key = read_key(item.first, file);
    if (!key) return key.error();
    if (*key != "verify") continue;
    if (auto status = read_verify(item.second, file, config.secrets_verify); !status) return status;
  }
  config.sections["secrets"] = node;
  return {};
}

core::Result<Config> read_config(const YAML::Node& root, const std::string& path) {
  Config config;
  config.path = path;
  if (root.IsNull()) return config;
  if (!root.IsMap()) {
    return yaml_error(path, root, fmt::format("the configuration is {}, not a mapping; start with a section such as\n"
                                              "posture:\n  thresholds:\n    unused_days: 90",
                                              describe_node_type(root)));
  }
  for (const auto& item : root) {
    auto key = read_key(item.first, path);
    if (!key) return key.error();
    if (*key == "posture") {
      if (auto status = read_posture(item.second, path, config); !status) return status.error();
      continue;
    }
    if (*key == "secrets") {
      if (auto status = read_secrets(item.second, path, config); !status) return status.error();
      continue;
    }
    if (*key == "detection" || *key == "notifications") {
      config.sections[*key] = item.second;
      continue;
    }
    // Later versions add sections; an older binary reading a newer file warns instead of failing.
    const long long line = item.first.Mark().is_null() ? -1 : item.first.Mark().line + 1;
    config.warnings.push_back(fmt::format(
        "{}:{}: unknown section '{}' ignored; this version reads 'posture', 'detection', 'notifications' and "
        "'secrets'",
        path, line, *key));
  }
  return config;
}

}  // namespace

std::optional<ConfigLocation> locate_config(const std::string& config_option) {
  if (!config_option.empty()) return ConfigLocation{config_option, "--config"};
  const char* from_environment = std::getenv(std::string(kConfigEnvironment).c_str());
  if (from_environment && *from_environment) return ConfigLocation{from_environment, "$KEYWARD_CONFIG"};
  std::error_code error;
  if (std::filesystem::is_regular_file(std::string(kDefaultConfigFile), error)) {
    return ConfigLocation{std::string(kDefaultConfigFile), "./keyward.yaml"};
  }
  return std::nullopt;
}

core::Result<Config> load_config(const std::string& path) {
  auto document = load_yaml_file(path);
  if (!document) return document.error();
  try {
    return read_config(*document, path);
  } catch (const YAML::Exception& exception) {
    return yaml_exception_error(path, exception);
  }
}

core::Result<Config> parse_config(std::string_view yaml, const std::string& path) {
  auto document = parse_yaml(yaml, path);
  if (!document) return document.error();
  try {
    return read_config(*document, path);
  } catch (const YAML::Exception& exception) {
    return yaml_exception_error(path, exception);
  }
}

core::Result<Config> load_cli_config(const std::string& config_option) {
  const auto location = locate_config(config_option);
  if (!location) return Config{};
  auto config = load_config(location->path);
  if (!config && config.error().code == core::ErrorCode::io_error) {
    core::Error error = config.error();
    error.message += fmt::format(" (named by {}; fix the path or unset it)", location->origin);
    return error;
  }
  return config;
}

posture::PostureOptions make_posture_options(const Config& config, const posture::ThresholdOverride& flags) {
  posture::PostureOptions options;
  config.thresholds.apply_to(options.defaults);
  options.platforms = config.platforms;
  options.tags = config.tags;

  flags.apply_to(options.defaults);
  for (const auto& field : kThresholdFields) {
    if (!(flags.*(field.member))) continue;
    for (auto& [platform, values] : options.platforms) (values.*(field.member)).reset();
    for (auto& rule : options.tags) (rule.values.*(field.member)).reset();
  }
  return options;
}

secrets::VerifyOptions make_verify_options(const Config& config) {
  secrets::VerifyOptions options;
  options.endpoints = config.secrets_verify.endpoints;
  if (config.secrets_verify.timeout_seconds) options.timeout_ms = 1000L * *config.secrets_verify.timeout_seconds;
  if (config.secrets_verify.max_requests) options.max_requests = *config.secrets_verify.max_requests;
  return options;
}

}  // namespace keyward::config
