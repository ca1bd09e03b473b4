// Slack: POST /api/auth.test with the token as a bearer token (Slack Web API auth.test). Slack
// replies HTTP 200 either way, with "ok": true for a working token, else "ok": false and an error
// code. invalid_auth also covers a token used from an IP address the workspace does not allow.

#include "secrets/verify/services.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace keyward::secrets::verification {
namespace {

// Error codes that mean the token itself no longer works.
constexpr std::string_view kInactiveErrors[] = {"invalid_auth", "token_revoked", "token_expired", "account_inactive"};

VerifyResult read_auth_test(const VerifyCall& call, const Exchange& exchange) {
  const nlohmann::json document = nlohmann::json::parse(exchange.response.body, nullptr, false);
  const auto ok = document.is_object() ? document.find("ok") : document.end();
  if (!document.is_object() || ok == document.end() || !ok->is_boolean()) {
    return {VerifyState::unknown, "Slack answered HTTP 200 without an \"ok\" field"};
  }
  if (ok->get<bool>()) {
    std::string detail = account_detail(call, "team", json_string(exchange.response.body, {"team"}));
    const std::string user = account_detail(call, "user", json_string(exchange.response.body, {"user"}));
    if (!user.empty()) detail += (detail.empty() ? "" : ", ") + user;
    return {VerifyState::active, detail};
  }
  const std::string error = sanitize_detail(json_string(exchange.response.body, {"error"}), {call.secret}, 64);
  const bool inactive = std::find(std::begin(kInactiveErrors), std::end(kInactiveErrors), error) != std::end(kInactiveErrors);
  if (inactive) return {VerifyState::inactive, fmt::format("Slack error {}", error)};
  return {VerifyState::unknown, fmt::format("Slack error {}", error.empty() ? "(none given)" : error)};
}

}  // namespace

VerifyResult verify_slack(const VerifyCall& call) {
  HttpRequest request;
  request.method = "POST";
  request.url = call.base_url + "/api/auth.test";
  request.headers = {bearer(call.secret), "Content-Type: application/x-www-form-urlencoded"};
  const Exchange exchange{request.url, call.http.send(request)};
  if (exchange.response.status != 200) return classify(exchange, Forbidden::inactive);
  return read_auth_test(call, exchange);
}

}  // namespace keyward::secrets::verification
