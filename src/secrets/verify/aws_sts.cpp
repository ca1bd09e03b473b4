// AWS: STS GetCallerIdentity (POST Action=GetCallerIdentity&Version=2011-06-15), signed with
// Signature Version 4 from the access key id and the secret access key found next to it. The call
// needs no IAM permission, so any working key pair gets 200 with the caller's ARN. STS rejects a
// failed authentication with an XML error whose <Code> names the cause.

#include <curl/curl.h>
#include <fmt/format.h>

#include <ctime>
#include <memory>

#include "secrets/verify/services.hpp"
#include "secrets/verify/sigv4.hpp"

namespace keyward::secrets::verification {
namespace {

constexpr std::string_view kBody = "Action=GetCallerIdentity&Version=2011-06-15";
constexpr std::string_view kContentType = "application/x-www-form-urlencoded; charset=utf-8";

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

// Returns the Host header value libcurl sends for `url`: the host, and ":port" when the URL names
// a port other than the scheme's default.
std::string host_header(const std::string& url) {
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return "";
  char* scheme = nullptr;
  char* host = nullptr;
  char* port = nullptr;
  curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme, 0);
  curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0);
  curl_url_get(parsed.get(), CURLUPART_PORT, &port, 0);
  const std::string scheme_text = scheme ? scheme : "";
  const std::string port_text = port ? port : "";
  std::string value = host ? host : "";
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  const bool default_port = (scheme_text == "https" && port_text == "443") || (scheme_text == "http" && port_text == "80");
  if (!port_text.empty() && !default_port) value += ":" + port_text;
  return value;
}

// Regional endpoints are sts.<region>.amazonaws.com (.amazonaws.com.cn in China) and sign for
// that region. The global endpoint and any other host sign for us-east-1.
std::string region_of(std::string_view host) {
  constexpr std::string_view kPrefix = "sts.";
  for (const std::string_view suffix : {std::string_view(".amazonaws.com"), std::string_view(".amazonaws.com.cn")}) {
    if (host.starts_with(kPrefix) && host.ends_with(suffix) && host.size() > kPrefix.size() + suffix.size()) {
      return std::string(host.substr(kPrefix.size(), host.size() - kPrefix.size() - suffix.size()));
    }
  }
  return "us-east-1";
}

std::string amz_date_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

// Returns the text of the first <tag>...</tag> in `xml`, or empty.
std::string xml_text(std::string_view xml, std::string_view tag) {
  const std::string open = fmt::format("<{}>", tag);
  const std::string close = fmt::format("</{}>", tag);
  const size_t begin = xml.find(open);
  if (begin == std::string_view::npos) return "";
  const size_t end = xml.find(close, begin + open.size());
  if (end == std::string_view::npos) return "";
  return std::string(xml.substr(begin + open.size(), end - begin - open.size()));
}

VerifyResult read_error(const VerifyCall& call, const Exchange& exchange) {
  const std::string code = sanitize_detail(xml_text(exchange.response.body, "Code"), {call.secret, call.paired}, 64);
  if (code == "InvalidClientTokenId") {
    return {VerifyState::inactive, "AWS does not know this access key id, or it is deactivated (InvalidClientTokenId)"};
  }
  if (code == "ExpiredToken") return {VerifyState::inactive, "the credentials have expired (ExpiredToken)"};
  if (code == "SignatureDoesNotMatch") {
    return {VerifyState::unknown, "the access key id exists, but the secret access key found next to it does not match "
                                  "(SignatureDoesNotMatch)"};
  }
  VerifyResult result = classify(exchange, Forbidden::inactive);
  if (!code.empty()) result.detail += fmt::format(" ({})", code);
  return result;
}

}  // namespace

VerifyResult verify_aws_sts(const VerifyCall& call) {
  if (call.paired.empty()) {
    return {VerifyState::unknown, "no secret access key found next to the access key id; a key id alone cannot be verified"};
  }
  if (call.secret.starts_with("ASIA")) {
    return {VerifyState::unknown, "a temporary access key (ASIA) also needs its session token, which is not verified"};
  }
  SigV4Request signing;
  signing.method = "POST";
  signing.amz_date = amz_date_now();
  const std::string host = host_header(call.base_url + "/");
  signing.region = region_of(host);
  signing.service = "sts";
  signing.body = std::string(kBody);
  signing.headers = {{"content-type", std::string(kContentType)}, {"host", host}, {"x-amz-date", signing.amz_date}};

  HttpRequest request;
  request.method = "POST";
  request.url = call.base_url + "/";
  request.body = signing.body;
  request.headers = {fmt::format("Content-Type: {}", kContentType), fmt::format("X-Amz-Date: {}", signing.amz_date),
                     "Authorization: " + sigv4_authorization(signing, call.secret, call.paired)};
  const Exchange exchange{request.url, call.http.send(request)};
  if (exchange.response.status >= 200 && exchange.response.status <= 299) {
    return {VerifyState::active, account_detail(call, "arn", xml_text(exchange.response.body, "Arn"))};
  }
  if (exchange.response.status >= 400 && exchange.response.status <= 403) return read_error(call, exchange);
  return classify(exchange, Forbidden::inactive);
}

}  // namespace keyward::secrets::verification
