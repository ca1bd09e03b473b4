#pragma once

// The configuration file, keyward.yaml: posture thresholds (defaults, per platform, per tag), the
// mute file and the live verification settings of `keyward scan --verify`. docs/tuning.md and
// docs/scanning.md describe the format; config/keyward.example.yaml is an example.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/result.hpp"
#include "posture/check.hpp"
#include "secrets/verify/verifier.hpp"

namespace keyward::config {

inline constexpr std::string_view kConfigEnvironment = "KEYWARD_CONFIG";
inline constexpr std::string_view kDefaultConfigFile = "keyward.yaml";

// Where the configuration comes from.
struct ConfigLocation {
  std::string path;
  std::string origin;  // "--config", "$KEYWARD_CONFIG" or "./keyward.yaml"
};

// Returns the configuration file to read: `config_option` (--config) when set, else
// $KEYWARD_CONFIG when set, else ./keyward.yaml when that file exists, else nullopt.
std::optional<ConfigLocation> locate_config(const std::string& config_option);

// secrets.verify: the endpoints and limits of the requests `keyward scan --verify` sends.
struct SecretsVerifyConfig {
  std::map<std::string, std::string> endpoints;  // service key ("github") -> base URL
  std::optional<int> timeout_seconds;            // per request
  std::optional<int> max_requests;               // per scan
};

struct Config {
  std::string path;  // the file read, or empty when there is none
  posture::ThresholdOverride thresholds;                        // posture.thresholds
  std::map<std::string, posture::ThresholdOverride> platforms;  // posture.platforms, by platform
  std::vector<posture::TagThresholds> tags;                     // posture.tags, in file order
  // posture.mute_file resolved against the directory of the configuration file; empty when unset.
  std::string mute_file;
  SecretsVerifyConfig secrets_verify;  // secrets.verify
  // The sections other modules read and validate themselves ("detection", "notifications", and
  // "secrets" for its keys other than verify), as parsed YAML, so their errors can name the file
  // and line. Absent when the file has none.
  std::map<std::string, YAML::Node> sections;
  // Problems that do not stop the run, e.g. "keyward.yaml:12: unknown section 'report' ignored".
  std::vector<std::string> warnings;
};

// Reads and validates a configuration file. Errors name the file, line and key.
core::Result<Config> load_config(const std::string& path);
// Parses configuration text; `path` names it in errors and anchors a relative mute_file.
core::Result<Config> parse_config(std::string_view yaml, const std::string& path);

// Locates and loads the configuration for a command. Returns an empty Config when there is no
// file; a file named by --config or $KEYWARD_CONFIG that cannot be read is an error.
core::Result<Config> load_cli_config(const std::string& config_option);

// Builds posture options from the built-in defaults, then the configuration, then `flags`: the
// threshold options given on the command line. A flag overrides the value for every identity,
// so it also replaces that threshold in the per-platform and per-tag sections.
posture::PostureOptions make_posture_options(const Config& config, const posture::ThresholdOverride& flags);

// Builds verification options from the built-in defaults and secrets.verify.
secrets::VerifyOptions make_verify_options(const Config& config);

}  // namespace keyward::config
