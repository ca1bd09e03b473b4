// OpenAI: GET /v1/models with the key as a bearer token (OpenAI API, List models). 401 means an
// invalid or revoked key. A restricted key without the models read permission gets 403, so 403
// means a working key.

#include "secrets/verify/services.hpp"

namespace keyward::secrets::verification {

VerifyResult verify_openai(const VerifyCall& call) {
  const Exchange exchange = send_get(call, "/v1/models", {bearer(call.secret)});
  return classify(exchange, Forbidden::valid_without_scope);
}

}  // namespace keyward::secrets::verification
