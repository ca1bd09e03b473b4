#include "detect/change_window.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace keyward::detect {
namespace {

// Returns the string member `key` of a JSON object text, or "" when absent or unparsable.
std::string string_member(std::string_view json_text, const char* key) {
  if (json_text.empty()) return {};
  auto parsed = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return {};
  auto found = parsed.find(key);
  return found != parsed.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

std::string change_window_key(std::string_view platform, std::string_view identity_id) {
  if (platform == "aws") {
    // arn:aws:iam::<account>:user[/path]/<name>
    const std::size_t user = identity_id.find(":user/");
    if (identity_id.starts_with("arn:") && user != std::string_view::npos) {
      const std::size_t account_start = identity_id.rfind(':', user - 1);
      const std::string_view account = identity_id.substr(account_start + 1, user - account_start - 1);
      const std::string_view name = identity_id.substr(identity_id.rfind('/') + 1);
      return fmt::format("aws:{}:{}", account, name);
    }
  }
  return fmt::format("{}:{}", platform, identity_id);
}

std::string rotated_identity_key(const core::Event& event) {
  if (!event.error_code.empty()) return {};
  if (event.platform == "aws" && event.event_source == "iam.amazonaws.com" && event.event_name == "CreateAccessKey") {
    const std::string user = string_member(event.request_parameters, "userName");
    if (user.empty()) return change_window_key("aws", event.identity_id);
    return fmt::format("aws:{}:{}", event.account_id, user);
  }
  if (event.platform == "gcp" && (event.event_name.ends_with("CreateServiceAccountKey") ||
                                  event.event_name.ends_with("UploadServiceAccountKey"))) {
    // The request names the account: "projects/<project or ->/serviceAccounts/<email or unique id>".
    const std::string name = string_member(event.request_parameters, "name");
    const std::size_t accounts = name.find("/serviceAccounts/");
    if (accounts == std::string::npos) return {};
    std::string account = name.substr(accounts + std::string_view("/serviceAccounts/").size());
    account = account.substr(0, account.find('/'));
    return account.empty() ? std::string() : change_window_key("gcp", account);
  }
  // TODO: Entra "Add service principal credentials" and Okta/GitHub token creation name the
  // target in nested records; rotations there do not open a change window yet.
  return {};
}

}  // namespace keyward::detect
