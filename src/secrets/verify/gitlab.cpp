// GitLab: GET /api/v4/personal_access_tokens/self with the PRIVATE-TOKEN header (Personal access
// tokens API). It describes the token used, so it works for personal, project and group access
// tokens. 401 means an unknown, expired or revoked token; 403 means the token authenticates but
// lacks the scope for this call. Tokens of a self-managed instance need its URL as the endpoint.

#include "secrets/verify/services.hpp"

#include <nlohmann/json.hpp>

namespace keyward::secrets::verification {
namespace {

// Returns "token <name>, scopes <a,b>" from the token description, or empty.
std::string describe_token(const VerifyCall& call, const std::string& body) {
  const nlohmann::json document = nlohmann::json::parse(body, nullptr, false);
  if (!document.is_object()) return "";
  std::string detail = account_detail(call, "token", json_string(body, {"name"}));
  const auto scopes = document.find("scopes");
  if (scopes == document.end() || !scopes->is_array()) return detail;
  std::string names;
  for (const auto& scope : *scopes) {
    if (!scope.is_string()) continue;
    if (!names.empty()) names += ',';
    names += scope.get<std::string>();
  }
  if (names.empty()) return detail;
  return (detail.empty() ? "" : detail + ", ") + account_detail(call, "scopes", names);
}

}  // namespace

VerifyResult verify_gitlab(const VerifyCall& call) {
  const Exchange exchange =
      send_get(call, "/api/v4/personal_access_tokens/self", {"PRIVATE-TOKEN: " + std::string(call.secret)});
  VerifyResult result = classify(exchange, Forbidden::valid_without_scope);
  if (result.state == VerifyState::active && result.detail.empty()) {
    result.detail = describe_token(call, exchange.response.body);
  }
  return result;
}

}  // namespace keyward::secrets::verification
