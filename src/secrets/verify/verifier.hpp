#pragma once

// Live verification for `keyward scan --verify`: one read-only "who am I" request per found
// secret to the service that issued it, to learn whether it still authenticates. Off by default
// because it sends found secrets to their issuers.

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace keyward::secrets {

enum class VerifyState { active, inactive, unknown };

struct VerifyResult {
  VerifyState state = VerifyState::unknown;
  // The reason in words: the HTTP status, the service's error code or the account the secret
  // belongs to. Never contains the secret or the paired secret.
  std::string detail;
};

// Returns "active", "inactive" or "unknown: <detail>".
std::string to_string(const VerifyResult& result);

struct VerifyOptions {
  // Service key ("github", "aws_sts", ...; see verifier_services()) to base URL, replacing the
  // public API for that service, e.g. a GitLab self-managed instance or a test server.
  std::map<std::string, std::string> endpoints;
  long timeout_ms = 5000;  // per request, connecting included
  int max_requests = 200;  // per Verifiers object, that is per scan; later secrets get unknown
};

// The service keys that VerifyOptions::endpoints accepts, in alphabetical order.
std::span<const std::string_view> verifier_services();

// The rule ids (SecretRule::id) that have a verifier, with the service key each uses.
std::vector<std::pair<std::string_view, std::string_view>> verifiable_rules();

// Returns the public API base URL that `service` uses when no endpoint overrides it, or empty
// when `service` is not one of verifier_services().
std::string_view default_endpoint(std::string_view service);

// Checks one endpoint override: a known service key and an https URL (http only to loopback,
// because the secret travels in the request). The error names the key and the fix.
core::Status check_verify_endpoint(std::string_view service, const std::string& url);

// Checks every endpoint override, the timeout and the request limit.
core::Status check_verify_options(const VerifyOptions& options);

namespace verification {
class HttpClient;
}

// The per-service verifiers of one scan. verify() may be called from several threads at once.
class Verifiers {
 public:
  // Invalid options are not fatal here: a secret whose endpoint fails check_verify_endpoint gets
  // unknown with the reason, and no request is sent. Call check_verify_options first to reject them.
  explicit Verifiers(VerifyOptions options);
  ~Verifiers();
  Verifiers(const Verifiers&) = delete;
  Verifiers& operator=(const Verifiers&) = delete;

  // True when rule `rule_id` (a SecretRule::id) has a verifier.
  bool supports(std::string_view rule_id) const;

  // Asks the issuing service about `secret`. `paired` is the other half when the rule needs two
  // parts (the AWS secret access key for an access key id), else empty. Unsupported rules,
  // transport errors, timeouts and an exhausted request budget give unknown with the reason.
  VerifyResult verify(std::string_view rule_id, std::string_view secret, std::string_view paired);

  // HTTP requests sent so far, retries after 429 included.
  int requests_sent() const;

 private:
  VerifyOptions options_;
  std::unique_ptr<verification::HttpClient> http_;
};

}  // namespace keyward::secrets
