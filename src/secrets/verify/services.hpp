#pragma once

// The per-service verifiers behind Verifiers, one file each, and the response handling they
// share. Each sends one documented read-only "who am I" request.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "secrets/verify/http_client.hpp"
#include "secrets/verify/verifier.hpp"

namespace keyward::secrets::verification {

// One secret to verify and where to send the request.
struct VerifyCall {
  HttpClient& http;
  std::string base_url;  // no trailing '/'
  std::string_view secret;
  std::string_view paired;  // empty unless the rule pairs two parts
};

// A request sent and the response to it.
struct Exchange {
  std::string url;
  HttpResponse response;
};

// The meaning of HTTP 403 for a service, as its documentation gives it: the secret is rejected,
// or it authenticates but may not make this call.
enum class Forbidden { inactive, valid_without_scope };

// Sends GET base_url + path with `headers`.
Exchange send_get(const VerifyCall& call, std::string_view path, std::vector<std::string> headers);

// Maps a response to a result: 2xx active with an empty detail, 401 inactive, 403 per
// `forbidden`, anything else (other statuses, 429, no response) unknown with the reason.
VerifyResult classify(const Exchange& exchange, Forbidden forbidden);

// Returns the string at `key` of the JSON object in `body` (nested keys in order), or empty when
// the body is not JSON or the value is missing or not a string.
std::string json_string(std::string_view body, std::initializer_list<std::string_view> keys);

// Returns "<label> <value>" for an active detail, the value sanitized and scrubbed of the call's
// secrets, or empty when `value` is empty.
std::string account_detail(const VerifyCall& call, std::string_view label, std::string_view value);

// Returns "Authorization: Bearer <secret>".
std::string bearer(std::string_view secret);

VerifyResult verify_anthropic(const VerifyCall& call);
VerifyResult verify_aws_sts(const VerifyCall& call);
VerifyResult verify_cloudflare(const VerifyCall& call);
VerifyResult verify_digitalocean(const VerifyCall& call);
VerifyResult verify_github(const VerifyCall& call);
VerifyResult verify_gitlab(const VerifyCall& call);
VerifyResult verify_groq(const VerifyCall& call);
VerifyResult verify_huggingface(const VerifyCall& call);
VerifyResult verify_npm(const VerifyCall& call);
VerifyResult verify_openai(const VerifyCall& call);
VerifyResult verify_sendgrid(const VerifyCall& call);
VerifyResult verify_slack(const VerifyCall& call);
VerifyResult verify_stripe(const VerifyCall& call);

}  // namespace keyward::secrets::verification
