// npm: GET /-/whoami on the registry with the token as a bearer token (the call behind
// `npm whoami`). It returns {"username": ...}; 401 means an invalid or revoked token.

#include "secrets/verify/services.hpp"

namespace keyward::secrets::verification {

VerifyResult verify_npm(const VerifyCall& call) {
  const Exchange exchange = send_get(call, "/-/whoami", {bearer(call.secret)});
  VerifyResult result = classify(exchange, Forbidden::inactive);
  if (result.state == VerifyState::active && result.detail.empty()) {
    result.detail = account_detail(call, "user", json_string(exchange.response.body, {"username"}));
  }
  return result;
}

}  // namespace keyward::secrets::verification
