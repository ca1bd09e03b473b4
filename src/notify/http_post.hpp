#pragma once

// HTTP POST with retries for the HTTP notification channels, over libcurl with TLS certificate
// and host name verification on and redirects not followed.

#include <string>
#include <vector>

#include "core/result.hpp"
#include "notify/channel.hpp"

namespace keyward::notify {

struct HttpPost {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
};

// Posts `request` until a 2xx response or the retry policy ends. Retries after 429, 5xx and
// connection errors (refused, timed out, reset), waiting for Retry-After when the response has
// one. Other responses (4xx) fail at once. The error names `channel`, shows the URL through
// redact_url, and has every occurrence of `secret` removed from the response text it quotes.
core::Status post_with_retries(const HttpPost& request, const RetryPolicy& policy, const std::string& channel,
                               const std::string& secret);

// Rejects URLs that are not http(s), and http:// to a host other than loopback unless
// `allow_plain_http`, because channel tokens and alert details would cross the network in clear.
core::Status check_http_url(const std::string& url, bool allow_plain_http);

}  // namespace keyward::notify
