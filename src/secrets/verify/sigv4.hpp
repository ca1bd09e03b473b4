#pragma once

// AWS Signature Version 4 for one request: canonical request, string to sign, derived signing key
// and signature, as in the AWS General Reference, "Signature Version 4 signing process"
// (docs.aws.amazon.com/general/latest/gr/sigv4-create-canonical-request.html and the pages after it).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keyward::secrets::verification {

struct SigV4Request {
  std::string method;  // "GET", "POST"
  std::string path = "/";  // already URI-encoded
  std::string query;       // already canonical: parameters sorted by name, values URI-encoded
  // Every header to sign, host and x-amz-date included. Names are lower-cased and values trimmed
  // (inner runs of spaces become one) when signing.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string amz_date;  // the X-Amz-Date value, "YYYYMMDDTHHMMSSZ" in UTC
  std::string region;    // "us-east-1"
  std::string service;   // "sts"
};

// Returns the canonical request text whose SHA-256 the string to sign contains.
std::string sigv4_canonical_request(const SigV4Request& request);

// Returns the string to sign: algorithm, date, credential scope and the canonical request hash.
std::string sigv4_string_to_sign(const SigV4Request& request);

// Returns the 32-byte signing key derived from the secret access key for `date` (YYYYMMDD).
std::string sigv4_signing_key(std::string_view secret_access_key, std::string_view date, std::string_view region,
                              std::string_view service);

// Returns the Authorization header value:
// "AWS4-HMAC-SHA256 Credential=<key id>/<scope>, SignedHeaders=<names>, Signature=<hex>".
std::string sigv4_authorization(const SigV4Request& request, std::string_view access_key_id,
                                std::string_view secret_access_key);

// Returns lower-case hex of `bytes`.
std::string hex_encode(std::string_view bytes);

}  // namespace keyward::secrets::verification
