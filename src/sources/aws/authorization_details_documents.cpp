#include "sources/aws/authorization_details_documents.hpp"

#include <fmt/format.h>

namespace keyward::sources::aws {
namespace {

using nlohmann::json;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads an Action/Resource value: one string or a non-empty array of strings.
std::optional<std::vector<std::string>> read_string_list(const json& value) {
  std::vector<std::string> items;
  if (value.is_string()) {
    items.push_back(value.get<std::string>());
    return items;
  }
  if (!value.is_array() || value.empty()) return std::nullopt;
  for (const auto& item : value) {
    if (!item.is_string()) return std::nullopt;
    items.push_back(item.get<std::string>());
  }
  return items;
}

// Reads the list under `key` or `not_key`, exactly one of which must be present. Returns an
// error text on failure.
std::optional<std::string> read_either(const json& statement, const char* key, const char* not_key,
                                       std::vector<std::string>& items, bool& negated) {
  bool has_key = statement.contains(key);
  bool has_not_key = statement.contains(not_key);
  if (has_key == has_not_key) {
    return fmt::format("statement must have exactly one of {} and {}", key, not_key);
  }
  negated = has_not_key;
  const char* used = negated ? not_key : key;
  auto list = read_string_list(statement.at(used));
  if (!list) return fmt::format("{} must be a string or a non-empty array of strings", used);
  items = std::move(*list);
  return std::nullopt;
}

std::optional<std::string> read_statement(const json& statement, core::Grant& grant) {
  if (!statement.is_object()) return "statement is not a JSON object";
  auto effect = statement.find("Effect");
  if (effect == statement.end() || !effect->is_string() ||
      (*effect != "Allow" && *effect != "Deny")) {
    return "Effect must be \"Allow\" or \"Deny\"";
  }
  grant.effect = effect->get<std::string>();
  if (auto error = read_either(statement, "Action", "NotAction", grant.actions, grant.not_action)) return error;
  if (auto error = read_either(statement, "Resource", "NotResource", grant.resources, grant.not_resource)) {
    return error;
  }
  auto condition = statement.find("Condition");
  if (condition != statement.end()) {
    if (!condition->is_object()) return "Condition must be a JSON object";
    grant.condition = *condition;
  }
  return std::nullopt;
}

}  // namespace

core::Result<json> parse_bounded_json(std::string_view text) {
  bool too_deep = false;
  json::parser_callback_t limit_depth = [&too_deep](int depth, json::parse_event_t /*event*/, json& /*parsed*/) {
    if (depth > kMaxJsonDepth) {
      too_deep = true;
      return false;
    }
    return true;
  };
  try {
    json value = json::parse(text.begin(), text.end(), limit_depth);
    if (too_deep) {
      return core::make_error(core::ErrorCode::limit_exceeded,
                              fmt::format("JSON nests deeper than {} levels", kMaxJsonDepth));
    }
    return value;
  } catch (const json::parse_error& error) {
    core::Error result = core::make_error(core::ErrorCode::invalid_input,
                                          fmt::format("invalid JSON: {}", error.what()));
    result.offset = static_cast<long long>(error.byte);
    return result;
  }
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int high = hex_value(text[i + 1]);
    int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    decoded.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return decoded;
}

core::Result<json> read_policy_document(const json& value) {
  if (value.is_object()) return value;
  if (!value.is_string()) {
    return core::make_error(core::ErrorCode::invalid_input, "policy document is neither a JSON object nor a string");
  }
  const auto& text = value.get_ref<const std::string&>();
  std::size_t first = text.find_first_not_of(" \t\r\n");
  std::string decoded;
  if (first != std::string::npos && text[first] == '{') {
    decoded = text;
  } else {
    auto unescaped = percent_decode(text);
    if (!unescaped) {
      return core::make_error(core::ErrorCode::invalid_input,
                              "policy document string has an invalid percent-escape");
    }
    decoded = std::move(*unescaped);
  }
  auto document = parse_bounded_json(decoded);
  if (!document) {
    return core::make_error(document.error().code,
                            fmt::format("policy document is not valid JSON: {}", document.error().message));
  }
  if (!document->is_object()) {
    return core::make_error(core::ErrorCode::invalid_input, "policy document is not a JSON object");
  }
  return std::move(document).value();
}

std::vector<core::Grant> read_statements(const json& document, std::string_view pointer,
                                         std::vector<std::string>& problems) {
  std::vector<core::Grant> grants;
  auto statements = document.find("Statement");
  if (statements == document.end() || !(statements->is_object() || statements->is_array())) {
    problems.push_back(fmt::format("{}: policy document has no Statement object or array", pointer));
    return grants;
  }

  // A single statement may be written as an object instead of a one-element array.
  json single = json::array();
  if (statements->is_object()) single.push_back(*statements);
  const json& list = statements->is_object() ? single : *statements;
  if (list.size() > kMaxStatements) {
    problems.push_back(fmt::format("{}/Statement: {} statements; only the first {} were read", pointer,
                                   list.size(), kMaxStatements));
  }

  for (std::size_t i = 0; i < list.size() && i < kMaxStatements; ++i) {
    core::Grant grant;
    grant.platform = "aws";
    if (auto error = read_statement(list[i], grant)) {
      std::string where = statements->is_object() ? fmt::format("{}/Statement", pointer)
                                                  : fmt::format("{}/Statement/{}", pointer, i);
      problems.push_back(fmt::format("{}: {}; statement skipped", where, *error));
      continue;
    }
    grants.push_back(std::move(grant));
  }
  return grants;
}

}  // namespace keyward::sources::aws
