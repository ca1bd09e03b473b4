#include "detect/detectors/iam_policy_checks.hpp"

#include <array>

namespace keyward::detect::aws {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else if (text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

// A policy element that may be one string or a list of strings, as a list.
std::vector<std::string> string_list(const nlohmann::json& element) {
  std::vector<std::string> values;
  if (element.is_string()) values.push_back(element.get<std::string>());
  if (element.is_array()) {
    for (const auto& item : element) {
      if (item.is_string()) values.push_back(item.get<std::string>());
    }
  }
  return values;
}

std::vector<nlohmann::json> allow_statements(const nlohmann::json& policy) {
  std::vector<nlohmann::json> statements;
  if (!policy.is_object() || !policy.contains("Statement")) return statements;
  const nlohmann::json& statement = policy["Statement"];
  auto keep = [&](const nlohmann::json& item) {
    if (!item.is_object()) return;
    const auto effect = item.find("Effect");
    if (effect != item.end() && effect->is_string() && effect->get<std::string>() == "Allow") statements.push_back(item);
  };
  if (statement.is_array()) {
    for (const auto& item : statement) keep(item);
  } else {
    keep(statement);
  }
  return statements;
}

// The account id in an AWS principal: a bare 12-digit id or the account field of an ARN.
std::string principal_account(const std::string& principal) {
  if (principal.size() == 12 && principal.find_first_not_of("0123456789") == std::string::npos) return principal;
  // arn:PARTITION:iam::ACCOUNT:...
  size_t colon = 0;
  for (int field = 0; field < 4; ++field) {
    colon = principal.find(':', colon);
    if (colon == std::string::npos) return {};
    ++colon;
  }
  return principal.substr(colon, principal.find(':', colon) - colon);
}

}  // namespace

nlohmann::json parse_policy_document(std::string_view text) {
  nlohmann::json policy = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (!policy.is_discarded()) return policy;
  const std::string decoded = url_decode(text);
  return nlohmann::json::parse(decoded, nullptr, false);
}

bool grants_admin(const nlohmann::json& policy) {
  for (const auto& statement : allow_statements(policy)) {
    bool every_resource = false;
    for (const auto& resource : string_list(statement.value("Resource", nlohmann::json()))) {
      every_resource = every_resource || resource == "*";
    }
    if (!every_resource) continue;
    if (statement.contains("NotAction")) return true;
    for (const auto& action : string_list(statement.value("Action", nlohmann::json()))) {
      if (action == "*" || action == "*:*" || action == "iam:*") return true;
    }
  }
  return false;
}

std::string external_trusted_principal(const nlohmann::json& trust_policy, std::string_view account_id) {
  for (const auto& statement : allow_statements(trust_policy)) {
    const nlohmann::json principal = statement.value("Principal", nlohmann::json());
    if (principal.is_string() && principal.get<std::string>() == "*") return "*";
    if (!principal.is_object() || !principal.contains("AWS")) continue;
    for (const auto& entry : string_list(principal["AWS"])) {
      if (entry == "*") return entry;
      const std::string account = principal_account(entry);
      if (!account.empty() && account != account_id) return entry;
    }
  }
  return {};
}

bool is_admin_managed_policy(std::string_view policy_arn) {
  static constexpr std::array<std::string_view, 2> kAdminPolicies = {":policy/AdministratorAccess", ":policy/IAMFullAccess"};
  for (auto suffix : kAdminPolicies) {
    if (policy_arn.size() >= suffix.size() && policy_arn.substr(policy_arn.size() - suffix.size()) == suffix) return true;
  }
  return false;
}

}  // namespace keyward::detect::aws
