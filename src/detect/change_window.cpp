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

// Entra directory audit activities that give an application or service principal a new secret or
// certificate. Microsoft spells the application activity with an en dash (U+2013).
bool is_entra_credential_addition(std::string_view activity) {
  return activity == "Add service principal credentials" ||
         activity == "Update application \xE2\x80\x93 Certificates and secrets management" ||
         activity == "Update application - Certificates and secrets management";
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
  if (event.platform == "entra" && is_entra_credential_addition(event.event_name)) {
    // The entra-directory-audits source puts the target and the keys it gained in
    // request_parameters. Sign-ins key service principals by appId, so the window opens under
    // the appId. A record that does not log the appId falls back to the target's object id.
    auto parameters = nlohmann::json::parse(event.request_parameters, nullptr, /*allow_exceptions=*/false);
    if (!parameters.is_object()) return {};
    auto added = parameters.find("addedKeys");
    if (added == parameters.end() || !added->is_array() || added->empty()) return {};
    std::string target = string_member(event.request_parameters, "appId");
    if (target.empty()) target = string_member(event.request_parameters, "targetId");
    return target.empty() ? std::string() : change_window_key("entra", target);
  }
  // Okta API tokens and GitHub personal access tokens need no window: their events carry the
  // token's own id (or hash) as the identity, so a replacement token starts with no baseline.
  // NOTE: GitHub App installation tokens are kept on the app's bot account, and a new private key
  // for the app is not recognized here, so its first use from a new network can still alert.
  return {};
}

}  // namespace keyward::detect
