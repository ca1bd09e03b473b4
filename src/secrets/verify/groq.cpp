// Groq: GET /openai/v1/models with the key as a bearer token (GroqCloud API, List models, the
// OpenAI-compatible path). 401 means an invalid or deleted key.

#include "secrets/verify/services.hpp"

namespace keyward::secrets::verification {

VerifyResult verify_groq(const VerifyCall& call) {
  const Exchange exchange = send_get(call, "/openai/v1/models", {bearer(call.secret)});
  return classify(exchange, Forbidden::inactive);
}

}  // namespace keyward::secrets::verification
