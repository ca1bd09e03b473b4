#pragma once

// Reading YAML settings files (keyward.yaml, mute files) with errors that name the file and line.

#include <yaml-cpp/yaml.h>

#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace keyward::config {

// Reads and parses a YAML file. A missing or unreadable file is an io_error naming the path; a
// syntax error is an invalid_input error with the file and 1-based line.
core::Result<YAML::Node> load_yaml_file(const std::string& path);

// Parses YAML text; `file` names it in errors.
core::Result<YAML::Node> parse_yaml(std::string_view text, const std::string& file);

// Returns an invalid_input error located at `node` (1-based line; no line when the node has no mark).
core::Error yaml_error(const std::string& file, const YAML::Node& node, std::string message);

// Converts an exception yaml-cpp raised while reading nodes (a key that is not text, a value
// of the wrong type) into an invalid_input error at the exception's line.
core::Error yaml_exception_error(const std::string& file, const YAML::Exception& exception);

// Returns "a mapping", "a list", "a value" or "nothing", for messages about a node of the wrong type.
std::string_view describe_node_type(const YAML::Node& node);

// The platforms keyward has sources for, lower case.
std::span<const std::string_view> known_platforms();
bool is_known_platform(std::string_view platform);

}  // namespace keyward::config
