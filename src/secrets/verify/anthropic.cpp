// Anthropic: GET /v1/models with the x-api-key and anthropic-version headers (Anthropic API,
// List models). 401 (authentication_error) means an invalid or disabled key; 403
// (permission_error) means the key works but may not use this resource.

#include "secrets/verify/services.hpp"

namespace keyward::secrets::verification {

VerifyResult verify_anthropic(const VerifyCall& call) {
  const Exchange exchange =
      send_get(call, "/v1/models", {"x-api-key: " + std::string(call.secret), "anthropic-version: 2023-06-01"});
  return classify(exchange, Forbidden::valid_without_scope);
}

}  // namespace keyward::secrets::verification
