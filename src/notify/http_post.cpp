#include "notify/http_post.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace keyward::notify {
namespace {

constexpr size_t kMaxResponseBytes = 4096;  // kept for error messages
constexpr size_t kMaxQuotedResponse = 200;

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Outcome of one attempt: a response status, or a transport error.
struct Attempt {
  long status = 0;           // 0 when no response arrived
  CURLcode error = CURLE_OK;
  std::string error_text;
  std::string response;
  std::optional<std::string> retry_after;
};

size_t collect_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t bytes = size * count;
  if (body->size() < kMaxResponseBytes) body->append(data, std::min(bytes, kMaxResponseBytes - body->size()));
  return bytes;
}

size_t collect_header(char* data, size_t size, size_t count, void* user) {
  auto* attempt = static_cast<Attempt*>(user);
  const size_t bytes = size * count;
  std::string_view line(data, bytes);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == kName) {
      std::string_view value = line.substr(kName.size());
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
      while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
      attempt->retry_after = std::string(value);
    }
  }
  return bytes;
}

Attempt post_once(const HttpPost& request, const RetryPolicy& policy) {
  Attempt attempt;
  std::unique_ptr<CURL, CurlDeleter> handle(curl_easy_init());
  if (!handle) {
    attempt.error = CURLE_FAILED_INIT;
    attempt.error_text = "could not create a libcurl handle";
    return attempt;
  }
  curl_slist* raw_headers = nullptr;
  for (const auto& header : request.headers) raw_headers = curl_slist_append(raw_headers, header.c_str());
  // No "Expect: 100-continue" round trip: the bodies are small and some receivers never send the interim 100 response.
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
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(policy.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(policy.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "keyward/" KEYWARD_VERSION);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &attempt.response);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &attempt);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);

  attempt.error = curl_easy_perform(curl);
  if (attempt.error != CURLE_OK) {
    attempt.error_text = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(attempt.error);
    return attempt;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &attempt.status);
  return attempt;
}

// Transport errors that a later attempt can get past. TLS verification failures, bad URLs and
// unsupported protocols are not among them.
bool is_retryable_error(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

bool is_retryable_status(long status) { return status == 429 || (status >= 500 && status <= 599); }

// Parses Retry-After: delay seconds, or an HTTP date (RFC 9110 section 10.2.3). Returns nullopt
// when the value is neither.
std::optional<std::chrono::seconds> parse_retry_after(const std::string& value) {
  if (!value.empty() && std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    if (value.size() > 9) return std::chrono::seconds(999999999);
    return std::chrono::seconds(std::stoll(value));
  }
  const time_t date = curl_getdate(value.c_str(), nullptr);
  if (date < 0) return std::nullopt;
  const time_t now = std::time(nullptr);
  return std::chrono::seconds(date > now ? date - now : 0);
}

std::string scrub(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "[redacted]");
  }
  return text;
}

// The parts of `url` that can carry a credential: user info, the path and query (whole, and each
// segment or parameter value of 6 or more characters, since a receiver may echo one alone). A
// Slack webhook's path and a signed URL's query are secrets.
std::vector<std::string> url_secret_parts(std::string_view url) {
  std::vector<std::string> parts;
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return parts;
  const std::string_view rest = url.substr(scheme + 3);
  const size_t path_start = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, path_start);
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) parts.emplace_back(authority.substr(0, at));
  if (path_start == std::string_view::npos) return parts;
  const std::string_view tail = rest.substr(path_start);
  parts.emplace_back(tail);
  size_t start = 0;
  while (start < tail.size()) {
    const size_t end = tail.find_first_of("/?&=#", start);
    const std::string_view piece = tail.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (piece.size() >= 6) parts.emplace_back(piece);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  // Longer parts first, so a part is not cut by the redaction of a shorter one it contains.
  std::sort(parts.begin(), parts.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return parts;
}

std::string quote_response(const std::string& response, const std::string& secret, std::string_view url) {
  std::string text = scrub(response, secret);
  for (const auto& part : url_secret_parts(url)) text = scrub(std::move(text), part);
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  if (text.size() > kMaxQuotedResponse) text = text.substr(0, kMaxQuotedResponse) + "...";
  return text;
}

std::string describe_attempt(const Attempt& attempt, const HttpPost& request, const std::string& secret) {
  if (attempt.status == 0) {
    // libcurl messages name the host and port; the full URL is replaced in case one ever quotes it.
    std::string text = attempt.error_text;
    for (size_t at = text.find(request.url); at != std::string::npos; at = text.find(request.url, at)) {
      text.replace(at, request.url.size(), redact_url(request.url));
    }
    return scrub(text, secret);
  }
  std::string text = fmt::format("HTTP {}", attempt.status);
  if (!attempt.response.empty()) text += fmt::format(" ({})", quote_response(attempt.response, secret, request.url));
  return text;
}

void default_sleep(std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); }

}  // namespace

core::Status post_with_retries(const HttpPost& request, const RetryPolicy& policy, const std::string& channel,
                               const std::string& secret) {
  ensure_curl_initialized();
  const auto& sleep = policy.sleep ? policy.sleep : std::function<void(std::chrono::milliseconds)>(default_sleep);
  const int attempts = std::max(1, policy.max_attempts);
  std::chrono::milliseconds backoff = policy.initial_backoff;

  for (int number = 1;; ++number) {
    const Attempt attempt = post_once(request, policy);
    if (attempt.error == CURLE_OK && attempt.status >= 200 && attempt.status <= 299) return {};

    const std::string problem = describe_attempt(attempt, request, secret);
    const bool retryable = attempt.status == 0 ? is_retryable_error(attempt.error) : is_retryable_status(attempt.status);
    if (!retryable || number >= attempts) {
      return core::make_error(core::ErrorCode::io_error,
                              fmt::format("notification channel '{}': delivery to {} failed after {} attempt(s): {}",
                                          channel, redact_url(request.url), number, problem));
    }

    std::chrono::milliseconds delay = std::min(backoff, policy.max_backoff);
    backoff = std::min(backoff * 2, policy.max_backoff);
    if (attempt.status != 0 && attempt.retry_after) {
      if (auto requested = parse_retry_after(*attempt.retry_after)) {
        if (*requested > policy.max_retry_after) {
          return core::make_error(
              core::ErrorCode::io_error,
              fmt::format("notification channel '{}': delivery to {} failed: {} asks to retry after {} s, more than the "
                          "{} s keyward waits",
                          channel, redact_url(request.url), problem, requested->count(), policy.max_retry_after.count()));
        }
        delay = *requested;
      }
    }
    sleep(delay);
  }
}

core::Status check_http_url(const std::string& url, bool allow_plain_http) {
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return core::make_error(core::ErrorCode::invalid_input, fmt::format("invalid URL '{}'", redact_url(url)));
  }
  char* scheme = nullptr;
  char* host = nullptr;
  curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme, 0);
  curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0);
  const std::string scheme_text = scheme ? scheme : "";
  const std::string host_text = host ? host : "";
  curl_free(scheme);
  curl_free(host);

  if (scheme_text == "https") return {};
  if (scheme_text != "http") {
    return core::make_error(core::ErrorCode::invalid_input,
                            fmt::format("URL {} must start with https:// (or http:// for a local receiver)", redact_url(url)));
  }
  const bool loopback = host_text == "localhost" || host_text.starts_with("127.") || host_text == "[::1]";
  if (!loopback && !allow_plain_http) {
    return core::make_error(core::ErrorCode::invalid_input,
                            fmt::format("URL {} uses plain http to a remote host; use https, or set allow_plain_http: true "
                                        "to send alerts and tokens unencrypted",
                                        redact_url(url)));
  }
  return {};
}

std::string redact_url(std::string_view url) {
  ensure_curl_initialized();
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  const std::string text(url);
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) return "(invalid URL)";
  char* scheme = nullptr;
  char* host = nullptr;
  char* port = nullptr;
  curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme, 0);
  curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0);
  curl_url_get(parsed.get(), CURLUPART_PORT, &port, 0);
  std::string out = fmt::format("{}://{}", scheme ? scheme : "", host ? host : "");
  if (port) out += fmt::format(":{}", port);
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  return out;
}

}  // namespace keyward::notify
