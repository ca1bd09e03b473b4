// DigitalOcean: GET /v2/account with the token as a bearer token (DigitalOcean API, Get user
// information). 401 means an invalid, expired or revoked token; 403 means a scoped token that
// authenticates but may not read the account.

#include "secrets/verify/services.hpp"

namespace keyward::secrets::verification {

VerifyResult verify_digitalocean(const VerifyCall& call) {
  const Exchange exchange = send_get(call, "/v2/account", {bearer(call.secret)});
  VerifyResult result = classify(exchange, Forbidden::valid_without_scope);
  if (result.state == VerifyState::active && result.detail.empty()) {
    result.detail = account_detail(call, "account status", json_string(exchange.response.body, {"account", "status"}));
  }
  return result;
}

}  // namespace keyward::secrets::verification
