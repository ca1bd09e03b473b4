#include "secrets/verify/sigv4.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>

namespace keyward::secrets::verification {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string sha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

// Trims the value and turns each inner run of spaces into one space.
std::string canonical_header_value(std::string_view value) {
  std::string out;
  bool in_space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) out += ' ';
    in_space = false;
    out += c;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> canonical_headers(const SigV4Request& request) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    headers.emplace_back(std::move(lower), canonical_header_value(value));
  }
  std::sort(headers.begin(), headers.end());
  return headers;
}

std::string signed_header_names(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string names;
  for (const auto& header : headers) {
    if (!names.empty()) names += ';';
    names += header.first;
  }
  return names;
}

std::string credential_scope(const SigV4Request& request) {
  return request.amz_date.substr(0, 8) + "/" + request.region + "/" + request.service + "/aws4_request";
}

}  // namespace

std::string hex_encode(std::string_view bytes) {
  constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0x0f];
  }
  return hex;
}

std::string sigv4_canonical_request(const SigV4Request& request) {
  const auto headers = canonical_headers(request);
  std::string text = request.method + "\n" + request.path + "\n" + request.query + "\n";
  for (const auto& [name, value] : headers) text += name + ":" + value + "\n";
  text += "\n" + signed_header_names(headers) + "\n" + hex_encode(sha256(request.body));
  return text;
}

std::string sigv4_string_to_sign(const SigV4Request& request) {
  return std::string(kAlgorithm) + "\n" + request.amz_date + "\n" + credential_scope(request) + "\n" +
         hex_encode(sha256(sigv4_canonical_request(request)));
}

std::string sigv4_signing_key(std::string_view secret_access_key, std::string_view date, std::string_view region,
                              std::string_view service) {
  const std::string date_key = hmac_sha256("AWS4" + std::string(secret_access_key), date);
  const std::string region_key = hmac_sha256(date_key, region);
  const std::string service_key = hmac_sha256(region_key, service);
  return hmac_sha256(service_key, "aws4_request");
}

std::string sigv4_authorization(const SigV4Request& request, std::string_view access_key_id,
                                std::string_view secret_access_key) {
  const std::string key =
      sigv4_signing_key(secret_access_key, request.amz_date.substr(0, 8), request.region, request.service);
  const std::string signature = hex_encode(hmac_sha256(key, sigv4_string_to_sign(request)));
  return std::string(kAlgorithm) + " Credential=" + std::string(access_key_id) + "/" + credential_scope(request) +
         ", SignedHeaders=" + signed_header_names(canonical_headers(request)) + ", Signature=" + signature;
}

}  // namespace keyward::secrets::verification
