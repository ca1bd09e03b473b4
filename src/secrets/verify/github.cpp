// GitHub: GET /user with the token as a bearer token ("Get the authenticated user", GitHub REST
// API). 401 means a bad, expired or revoked token. 403 means GitHub accepted the token, because
// tokens without access to /user (GitHub App installation tokens) get 403, unless the rate limit
// is spent (x-ratelimit-remaining: 0).

#include "secrets/verify/services.hpp"

#include <fmt/format.h>

#include "notify/channel.hpp"

namespace keyward::secrets::verification {

VerifyResult verify_github(const VerifyCall& call) {
  const Exchange exchange = send_get(call, "/user",
                                     {bearer(call.secret), "Accept: application/vnd.github+json",
                                      "X-GitHub-Api-Version: 2022-11-28"});
  const HttpResponse& response = exchange.response;
  if (response.status == 403) {
    const auto remaining = response.headers.find("x-ratelimit-remaining");
    if (remaining != response.headers.end() && remaining->second == "0") {
      return {VerifyState::unknown,
              fmt::format("rate limited by {} (HTTP 403, rate limit spent); verify again later",
                          notify::redact_url(exchange.url))};
    }
  }
  VerifyResult result = classify(exchange, Forbidden::valid_without_scope);
  if (result.state == VerifyState::active && result.detail.empty()) {
    result.detail = account_detail(call, "login", json_string(response.body, {"login"}));
  }
  return result;
}

}  // namespace keyward::secrets::verification
