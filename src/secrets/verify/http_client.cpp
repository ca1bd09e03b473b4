#include "secrets/verify/http_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "notify/channel.hpp"

namespace keyward::secrets::verification {
namespace {

// Longest Retry-After honoured before the one retry; a service asking for more gets its 429 back,
// so one rate-limited service cannot stall the scan.
constexpr std::chrono::seconds kMaxPause{5};
constexpr std::chrono::seconds kDefaultPause{1};
constexpr std::size_t kMaxHeaders = 64;
constexpr std::size_t kMaxHeaderValue = 256;

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

size_t collect_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t bytes = size * count;
  if (body->size() < kMaxResponseBody) body->append(data, std::min(bytes, kMaxResponseBody - body->size()));
  return bytes;
}

size_t collect_header(char* data, size_t size, size_t count, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  const size_t bytes = size * count;
  const std::string_view line(data, bytes);
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return bytes;
  std::string name(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (headers->size() >= kMaxHeaders && !headers->contains(name)) return bytes;
  std::string value = trim(line.substr(colon + 1));
  if (value.size() > kMaxHeaderValue) value.resize(kMaxHeaderValue);
  (*headers)[name] = std::move(value);
  return bytes;
}

std::string describe_transport_error(CURLcode code, const char* error_buffer, long timeout_ms) {
  if (code == CURLE_OPERATION_TIMEDOUT) return fmt::format("timed out after {} ms", timeout_ms);
  return error_buffer[0] != '\0' ? std::string(error_buffer) : std::string(curl_easy_strerror(code));
}

HttpResponse send_once(const HttpRequest& request, long timeout_ms) {
  HttpResponse response;
  std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
  if (!handle) {
    response.error = "could not create a libcurl handle";
    return response;
  }
  curl_slist* raw_headers = nullptr;
  for (const auto& header : request.headers) raw_headers = curl_slist_append(raw_headers, header.c_str());
  raw_headers = curl_slist_append(raw_headers, "Expect:");
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw_headers);
  char error_buffer[CURL_ERROR_SIZE] = {};

  CURL* curl = handle.get();
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "keyward/" KEYWARD_VERSION);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  if (!request.basic_user.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, request.basic_user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, "");
  }
  if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);

  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    response.error = describe_transport_error(code, error_buffer, timeout_ms);
    return response;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

// Returns the pause that Retry-After requests, read as delay seconds. An HTTP date or a missing
// header gives the default pause.
std::chrono::seconds requested_pause(const HttpResponse& response) {
  const auto header = response.headers.find("retry-after");
  if (header == response.headers.end()) return kDefaultPause;
  const std::string& value = header->second;
  if (value.empty() || value.size() > 9 ||
      !std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    return kDefaultPause;
  }
  return std::chrono::seconds(std::stol(value));
}

}  // namespace

HttpClient::HttpClient(long timeout_ms, int max_requests) : timeout_ms_(timeout_ms), max_requests_(max_requests) {
  ensure_curl_initialized();
}

bool HttpClient::take_request() {
  int sent = sent_.load();
  while (sent < max_requests_) {
    if (sent_.compare_exchange_weak(sent, sent + 1)) return true;
  }
  return false;
}

HttpResponse HttpClient::send(const HttpRequest& request) {
  if (!take_request()) {
    HttpResponse skipped;
    skipped.budget_exhausted = true;
    skipped.error = fmt::format("not sent: the limit of {} verification requests per scan was reached", max_requests_);
    if (!budget_warned_.exchange(true)) {
      spdlog::warn("verify: the limit of {} requests per scan is reached; further secrets are reported as unknown "
                   "(raise secrets.verify.max_requests to verify more)",
                   max_requests_);
    }
    return skipped;
  }
  HttpResponse response = send_once(request, timeout_ms_);
  if (response.status != 429) return response;

  const std::chrono::seconds pause = requested_pause(response);
  if (pause > kMaxPause || !take_request()) return response;
  std::this_thread::sleep_for(pause);
  return send_once(request, timeout_ms_);
}

std::string describe_failure(const HttpResponse& response, std::string_view url) {
  const std::string host = notify::redact_url(url);
  if (response.budget_exhausted) return response.error;
  if (response.status == 0) return fmt::format("no response from {}: {}", host, response.error);
  if (response.status == 429) return fmt::format("rate limited by {} (HTTP 429); verify again later", host);
  return fmt::format("HTTP {} from {}", response.status, host);
}

std::string sanitize_detail(std::string_view text, std::initializer_list<std::string_view> secrets,
                            std::size_t max_length) {
  std::string clean(text);
  for (const std::string_view secret : secrets) {
    if (secret.empty()) continue;
    for (size_t at = clean.find(secret); at != std::string::npos; at = clean.find(secret, at)) {
      clean.replace(at, secret.size(), "[redacted]");
    }
  }
  for (char& c : clean) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
    if (byte >= 0x80) c = '?';  // a cut could split a UTF-8 sequence, and details end up in JSON
  }
  // Cut after scrubbing, so a secret that straddles the limit is gone before the cut.
  if (clean.size() > max_length) clean = clean.substr(0, max_length) + "...";
  return clean;
}

}  // namespace keyward::secrets::verification
