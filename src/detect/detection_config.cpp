#include "detect/detection_config.hpp"

#include <fmt/format.h>

#include <charconv>
#include <set>
#include <string>

#include "config/yaml.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kKeys =
    "learning_days, dormant_days, burst_window_seconds, change_window_hours, own_networks, ci_networks, detectors";

constexpr std::string_view kNetworkExample =
    "  own_networks:\n"
    "    - cidr: 198.51.100.0/24\n"
    "      label: office egress";

// Reads an integer in [minimum, maximum] from `node`.
core::Result<int> read_int(const std::string& file, const std::string& key, const YAML::Node& node, int minimum,
                           int maximum) {
  int value = 0;
  if (!node.IsScalar() || !YAML::convert<int>::decode(node, value)) {
    return config::yaml_error(file, node, fmt::format("'detection.{}' must be a whole number", key));
  }
  if (value < minimum || value > maximum) {
    return config::yaml_error(file, node,
                              fmt::format("'detection.{}' is {}; use a value from {} to {}", key, value, minimum, maximum));
  }
  return value;
}

core::Result<std::vector<DeclaredNetwork>> read_networks(const std::string& file, const std::string& key,
                                                         const YAML::Node& node) {
  if (!node.IsSequence()) {
    return config::yaml_error(file, node,
                              fmt::format("'detection.{}' is {}, not a list; write it as\n{}", key,
                                          config::describe_node_type(node), kNetworkExample));
  }
  std::vector<DeclaredNetwork> networks;
  for (const YAML::Node& entry : node) {
    // Each entry is either a bare CIDR or a mapping with cidr and label.
    std::string cidr;
    std::string label;
    if (entry.IsScalar()) {
      cidr = entry.Scalar();
    } else if (entry.IsMap()) {
      for (const auto& item : entry) {
        const std::string name = item.first.as<std::string>();
        if (name == "cidr" && item.second.IsScalar()) {
          cidr = item.second.Scalar();
        } else if (name == "label" && item.second.IsScalar()) {
          label = item.second.Scalar();
        } else {
          return config::yaml_error(file, item.first,
                                    fmt::format("unknown or invalid key '{}' in 'detection.{}'; entries have cidr and label",
                                                name, key));
        }
      }
    } else {
      return config::yaml_error(file, entry, fmt::format("an entry of 'detection.{}' is {}; write it as\n{}", key,
                                                         config::describe_node_type(entry), kNetworkExample));
    }
    auto network = parse_network(cidr, label.empty() ? cidr : label);
    if (!network) {
      return config::yaml_error(file, entry,
                                fmt::format("invalid CIDR '{}' in 'detection.{}'; expected an address and prefix "
                                            "length with no host bits set, e.g. 198.51.100.0/24 or 2001:db8::/32",
                                            cidr, key));
    }
    networks.push_back(std::move(*network));
  }
  return networks;
}

core::Status read_detectors(const std::string& file, const YAML::Node& node, DetectOptions& options) {
  if (!node.IsMap()) {
    return config::yaml_error(file, node,
                              fmt::format("'detection.detectors' is {}, not a mapping; write it as\n"
                                          "  detectors:\n    network.new_asn: off",
                                          config::describe_node_type(node)));
  }
  std::set<std::string, std::less<>> known;
  for (const auto& detector : make_detectors()) known.emplace(detector->id());
  for (const auto& item : node) {
    const std::string id = item.first.as<std::string>();
    if (known.count(id) == 0) {
      return config::yaml_error(file, item.first,
                                fmt::format("unknown detector '{}' in 'detection.detectors'; `keyward rules list` "
                                            "prints the ids",
                                            id));
    }
    bool enabled = true;
    if (!item.second.IsScalar() || !YAML::convert<bool>::decode(item.second, enabled)) {
      return config::yaml_error(file, item.second,
                                fmt::format("'detection.detectors.{}' must be on or off", id));
    }
    if (enabled) {
      options.disabled_detectors.erase(id);
    } else {
      options.disabled_detectors.insert(id);
    }
  }
  return {};
}

}  // namespace

bool DeclaredNetwork::contains(const enrich::IpAddress& address) const {
  const enrich::IpAddress candidate = address.mapped_v4().value_or(address);
  if (candidate.family != first.family) return false;
  const int full_bytes = prefix_length / 8;
  for (int i = 0; i < full_bytes; ++i) {
    if (candidate.bytes[i] != first.bytes[i]) return false;
  }
  const int rest = prefix_length % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (candidate.bytes[full_bytes] & mask) == first.bytes[full_bytes];
}

std::optional<DeclaredNetwork> parse_network(std::string_view cidr, std::string_view label) {
  const std::size_t slash = cidr.find('/');
  auto address = enrich::parse_ip(cidr.substr(0, slash));
  if (!address) return std::nullopt;
  DeclaredNetwork network;
  network.first = address->mapped_v4().value_or(*address);
  const int bits = network.first.family == enrich::IpFamily::v4 ? 32 : 128;
  network.prefix_length = bits;
  if (slash != std::string_view::npos) {
    std::string_view length = cidr.substr(slash + 1);
    auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), network.prefix_length);
    if (error != std::errc() || end != length.data() + length.size() || length.empty()) return std::nullopt;
    if (network.prefix_length < 0 || network.prefix_length > bits) return std::nullopt;
  }
  // Reject host bits below the prefix.
  for (int bit = network.prefix_length; bit < bits; ++bit) {
    if (network.first.bytes[bit / 8] & (0x80 >> (bit % 8))) return std::nullopt;
  }
  network.cidr = std::string(cidr);
  network.label = std::string(label);
  return network;
}

core::Result<DetectOptions> read_detection_config(const config::Config& config) {
  DetectOptions options;
  auto section = config.sections.find("detection");
  if (section == config.sections.end() || !section->second || section->second.IsNull()) return options;
  const std::string& file = config.path;
  const YAML::Node& root = section->second;
  if (!root.IsMap()) {
    return config::yaml_error(file, root,
                              fmt::format("'detection' is {}, not a mapping; write it as\ndetection:\n  learning_days: 7",
                                          config::describe_node_type(root)));
  }

  try {
    for (const auto& item : root) {
      if (!item.first.IsScalar()) {
        return config::yaml_error(file, item.first, "a key of 'detection' is not a plain name");
      }
      const std::string key = item.first.Scalar();
      const YAML::Node& value = item.second;
      if (key == "learning_days" || key == "dormant_days" || key == "burst_window_seconds" ||
          key == "change_window_hours") {
        // Upper bounds keep day and second products well inside 64-bit time arithmetic.
        const int maximum = key == "burst_window_seconds" ? 86400 : 3650 * (key == "change_window_hours" ? 24 : 1);
        auto number = read_int(file, key, value, key == "learning_days" || key == "change_window_hours" ? 0 : 1, maximum);
        if (!number.ok()) return number.error();
        if (key == "learning_days") options.learning_days = *number;
        if (key == "dormant_days") options.dormant_days = *number;
        if (key == "burst_window_seconds") options.burst_window_seconds = *number;
        if (key == "change_window_hours") options.change_window_hours = *number;
      } else if (key == "own_networks" || key == "ci_networks") {
        auto networks = read_networks(file, key, value);
        if (!networks.ok()) return networks.error();
        (key == "own_networks" ? options.own_networks : options.ci_networks) = std::move(*networks);
      } else if (key == "detectors") {
        core::Status status = read_detectors(file, value, options);
        if (!status.ok()) return status.error();
      } else {
        return config::yaml_error(file, item.first,
                                  fmt::format("unknown key 'detection.{}'; the keys are {}", key, kKeys));
      }
    }
  } catch (const YAML::Exception& exception) {
    return config::yaml_exception_error(file, exception);
  }
  return options;
}

}  // namespace keyward::detect
