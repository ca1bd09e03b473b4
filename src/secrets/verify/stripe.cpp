// Stripe: GET /v1/balance with the key as the HTTP Basic user and no password (Stripe API,
// Authentication; Retrieve balance). 401 means an invalid, expired or rolled key. A restricted
// key (rk_) without the balance read permission gets 403, so 403 means a working key.

#include "secrets/verify/services.hpp"

#include <nlohmann/json.hpp>

namespace keyward::secrets::verification {

VerifyResult verify_stripe(const VerifyCall& call) {
  HttpRequest request;
  request.url = call.base_url + "/v1/balance";
  request.basic_user = std::string(call.secret);
  const Exchange exchange{request.url, call.http.send(request)};
  VerifyResult result = classify(exchange, Forbidden::valid_without_scope);
  if (result.state != VerifyState::active || !result.detail.empty()) return result;

  const nlohmann::json balance = nlohmann::json::parse(exchange.response.body, nullptr, false);
  const auto livemode = balance.is_object() ? balance.find("livemode") : balance.end();
  if (balance.is_object() && livemode != balance.end() && livemode->is_boolean()) {
    result.detail = livemode->get<bool>() ? "live mode" : "test mode";
  }
  return result;
}

}  // namespace keyward::secrets::verification
