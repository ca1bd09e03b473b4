#include "config/yaml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace keyward::config {
namespace {

constexpr std::string_view kPlatforms[] = {"aws",       "gcp",        "entra", "okta",     "github",
                                           "workspace", "salesforce", "slack", "snowflake"};

}  // namespace

core::Result<YAML::Node> load_yaml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Error{core::ErrorCode::io_error, fmt::format("failed to read the file: {}; check the path", std::strerror(errno)), path, -1, -1};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_yaml(text.str(), path);
}

core::Result<YAML::Node> parse_yaml(std::string_view text, const std::string& file) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::ParserException& error) {
    const long long line = error.mark.is_null() ? -1 : error.mark.line + 1;
    return core::Error{core::ErrorCode::invalid_input,
                       fmt::format("invalid YAML: {}; check the indentation and quoting on this line or the one before",
                                   error.msg),
                       file, -1, line};
  }
}

core::Error yaml_error(const std::string& file, const YAML::Node& node, std::string message) {
  const YAML::Mark mark = node.Mark();
  const long long line = mark.is_null() ? -1 : mark.line + 1;
  return core::Error{core::ErrorCode::invalid_input, std::move(message), file, -1, line};
}

core::Error yaml_exception_error(const std::string& file, const YAML::Exception& exception) {
  const long long line = exception.mark.is_null() ? -1 : exception.mark.line + 1;
  return core::Error{core::ErrorCode::invalid_input, fmt::format("invalid value: {}", exception.msg), file, -1, line};
}

std::string_view describe_node_type(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a value";
    default: return "nothing";
  }
}

std::span<const std::string_view> known_platforms() { return kPlatforms; }

bool is_known_platform(std::string_view platform) {
  return std::find(std::begin(kPlatforms), std::end(kPlatforms), platform) != std::end(kPlatforms);
}

}  // namespace keyward::config
