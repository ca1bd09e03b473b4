// Hugging Face: GET /api/whoami-v2 with the token as a bearer token (the call behind
// `huggingface-cli whoami`). It returns the account, {"name": ...}; 401 means an invalid token.

#include "secrets/verify/services.hpp"

namespace keyward::secrets::verification {

VerifyResult verify_huggingface(const VerifyCall& call) {
  const Exchange exchange = send_get(call, "/api/whoami-v2", {bearer(call.secret)});
  VerifyResult result = classify(exchange, Forbidden::inactive);
  if (result.state == VerifyState::active && result.detail.empty()) {
    result.detail = account_detail(call, "account", json_string(exchange.response.body, {"name"}));
  }
  return result;
}

}  // namespace keyward::secrets::verification
