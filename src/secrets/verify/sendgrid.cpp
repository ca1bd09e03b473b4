// SendGrid: GET /v3/scopes with the key as a bearer token (Twilio SendGrid API Keys API, Retrieve
// a list of scopes). Any API key may call it; 401 means an invalid or deleted key.

#include "secrets/verify/services.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace keyward::secrets::verification {

VerifyResult verify_sendgrid(const VerifyCall& call) {
  const Exchange exchange = send_get(call, "/v3/scopes", {bearer(call.secret)});
  VerifyResult result = classify(exchange, Forbidden::inactive);
  if (result.state != VerifyState::active || !result.detail.empty()) return result;

  const nlohmann::json document = nlohmann::json::parse(exchange.response.body, nullptr, false);
  const auto scopes = document.is_object() ? document.find("scopes") : document.end();
  if (document.is_object() && scopes != document.end() && scopes->is_array()) {
    result.detail = fmt::format("{} scopes", scopes->size());
  }
  return result;
}

}  // namespace keyward::secrets::verification
