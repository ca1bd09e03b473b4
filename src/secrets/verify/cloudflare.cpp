// Cloudflare: GET /client/v4/user/tokens/verify with the API token as a bearer token (Cloudflare
// API, Verify Token). A known token gets 200 with result.status "active", "disabled" or
// "expired"; an unknown one gets 401. Global API keys use other headers and are not verified.

#include "secrets/verify/services.hpp"

#include <fmt/format.h>

namespace keyward::secrets::verification {

VerifyResult verify_cloudflare(const VerifyCall& call) {
  const Exchange exchange = send_get(call, "/client/v4/user/tokens/verify", {bearer(call.secret)});
  VerifyResult result = classify(exchange, Forbidden::inactive);
  if (result.state != VerifyState::active || !result.detail.empty()) return result;

  const std::string status = json_string(exchange.response.body, {"result", "status"});
  if (status == "active") return {VerifyState::active, ""};
  if (status == "disabled" || status == "expired") return {VerifyState::inactive, fmt::format("token {}", status)};
  return {VerifyState::unknown,
          fmt::format("Cloudflare answered HTTP {} with token status '{}'", exchange.response.status,
                      sanitize_detail(status, {call.secret}, 32))};
}

}  // namespace keyward::secrets::verification
