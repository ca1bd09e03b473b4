#pragma once

// The HTTP side of live verification: one libcurl request per call with TLS verification on,
// redirects not followed, a timeout, a request budget and one retry after a short pause on 429.

#include <atomic>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keyward::secrets::verification {

struct HttpRequest {
  std::string method = "GET";  // "GET" or "POST"
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // sent for POST only
  // Sent as the HTTP Basic user name with an empty password when not empty (Stripe).
  std::string basic_user;
};

struct HttpResponse {
  long status = 0;    // HTTP status, or 0 when no response arrived
  std::string error;  // why no response arrived: "timed out after 5000 ms", a TLS error, ...
  bool budget_exhausted = false;  // not sent because the request limit was reached
  std::string body;   // the first kMaxResponseBody bytes
  std::map<std::string, std::string> headers;  // lower-case names; the last value of each
};

inline constexpr std::size_t kMaxResponseBody = 64 * 1024;

class HttpClient {
 public:
  HttpClient(long timeout_ms, int max_requests);

  // Sends `request`. After a 429 it waits Retry-After (1 s when absent, at most kMaxPause) and
  // sends once more; a longer Retry-After returns the 429. Each send counts against the budget.
  HttpResponse send(const HttpRequest& request);

  int requests_sent() const { return sent_.load(); }
  long timeout_ms() const { return timeout_ms_; }

 private:
  bool take_request();

  long timeout_ms_;
  int max_requests_;
  std::atomic<int> sent_{0};
  std::atomic<bool> budget_warned_{false};
};

// Describes a response that is neither a success nor an authentication failure, for an unknown
// result: "HTTP 500 from api.github.com" or "no response from api.github.com: timed out ...".
std::string describe_failure(const HttpResponse& response, std::string_view url);

// Returns `text` fit for a detail: every occurrence of the non-empty `secrets` replaced by
// "[redacted]", control bytes by spaces, non-ASCII bytes by '?', and at most `max_length` bytes.
std::string sanitize_detail(std::string_view text, std::initializer_list<std::string_view> secrets,
                            std::size_t max_length = 120);

}  // namespace keyward::secrets::verification
