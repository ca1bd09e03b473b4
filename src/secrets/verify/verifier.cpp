#include "secrets/verify/verifier.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "notify/channel.hpp"
#include "secrets/secret_text.hpp"
#include "secrets/verify/services.hpp"

namespace keyward::secrets {
namespace {

using verification::VerifyCall;
using ServiceVerifier = VerifyResult (*)(const VerifyCall& call);

struct Service {
  std::string_view key;
  std::string_view default_url;
  ServiceVerifier verify;
};

// Alphabetical by key, matching kServiceKeys.
constexpr Service kServices[] = {
    {"anthropic", "https://api.anthropic.com", verification::verify_anthropic},
    {"aws_sts", "https://sts.amazonaws.com", verification::verify_aws_sts},
    {"cloudflare", "https://api.cloudflare.com", verification::verify_cloudflare},
    {"digitalocean", "https://api.digitalocean.com", verification::verify_digitalocean},
    {"github", "https://api.github.com", verification::verify_github},
    {"gitlab", "https://gitlab.com", verification::verify_gitlab},
    {"groq", "https://api.groq.com", verification::verify_groq},
    {"huggingface", "https://huggingface.co", verification::verify_huggingface},
    {"npm", "https://registry.npmjs.org", verification::verify_npm},
    {"openai", "https://api.openai.com", verification::verify_openai},
    {"sendgrid", "https://api.sendgrid.com", verification::verify_sendgrid},
    {"slack", "https://slack.com", verification::verify_slack},
    {"stripe", "https://api.stripe.com", verification::verify_stripe},
};

constexpr std::string_view kServiceKeys[] = {"anthropic", "aws_sts", "cloudflare", "digitalocean", "github",
                                             "gitlab",    "groq",    "huggingface", "npm",         "openai",
                                             "sendgrid",  "slack",   "stripe"};
static_assert(std::size(kServiceKeys) == std::size(kServices));

// The rules (SecretRule::id in src/secrets/rules/) each service can verify. Webhook URLs are left
// out because the only test posts a message. AWS session tokens and Slack browser tokens need a
// second part, and refresh tokens only buy new tokens. npm.npmrc_auth_token may belong to a
// private registry, which a check against the public one would wrongly call inactive. OpenAI
// documents that its admin keys cannot call non-administration endpoints such as /v1/models.
// NOTE: anthropic.admin_key is left out on the assumption that it behaves the same; unchecked.
struct RuleVerifier {
  std::string_view rule_id;
  std::string_view service;
};

constexpr RuleVerifier kRuleVerifiers[] = {
    {"anthropic.api_key", "anthropic"},
    {"aws.access_key_id", "aws_sts"},
    {"cloudflare.api_token", "cloudflare"},
    {"digitalocean.oauth_token", "digitalocean"},
    {"digitalocean.pat", "digitalocean"},
    {"github.app_installation_token", "github"},
    {"github.app_user_token", "github"},
    {"github.oauth_token", "github"},
    {"github.pat.classic", "github"},
    {"github.pat.fine_grained", "github"},
    {"github.token_legacy", "github"},
    {"gitlab.pat", "gitlab"},
    {"gitlab.pat.routable", "gitlab"},
    {"groq.api_key", "groq"},
    {"huggingface.access_token", "huggingface"},
    {"npm.access_token", "npm"},
    {"openai.api_key", "openai"},
    {"openai.project_key", "openai"},
    {"openai.service_account_key", "openai"},
    {"sendgrid.api_key", "sendgrid"},
    {"slack.bot_token", "slack"},
    {"slack.user_token", "slack"},
    {"stripe.restricted_key", "stripe"},
    {"stripe.secret_key", "stripe"},
    {"stripe.test_secret_key", "stripe"},
};

const Service* find_service(std::string_view key) {
  const auto found = std::find_if(std::begin(kServices), std::end(kServices), [&](const Service& service) { return service.key == key; });
  return found == std::end(kServices) ? nullptr : found;
}

const RuleVerifier* find_rule(std::string_view rule_id) {
  const auto found = std::find_if(std::begin(kRuleVerifiers), std::end(kRuleVerifiers),
                                  [&](const RuleVerifier& entry) { return entry.rule_id == rule_id; });
  return found == std::end(kRuleVerifiers) ? nullptr : found;
}

std::string base_url(const VerifyOptions& options, const Service& service) {
  const auto configured = options.endpoints.find(std::string(service.key));
  std::string url = configured == options.endpoints.end() ? std::string(service.default_url) : configured->second;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

// Returns the lower-case scheme and the host of `url`, or empty strings when it does not parse.
std::pair<std::string, std::string> scheme_and_host(const std::string& url) {
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return {};
  char* scheme = nullptr;
  char* host = nullptr;
  curl_url_get(parsed.get(), CURLUPART_SCHEME, &scheme, 0);
  curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0);
  std::pair<std::string, std::string> parts{scheme ? scheme : "", host ? host : ""};
  curl_free(scheme);
  curl_free(host);
  return parts;
}

std::string_view state_name(VerifyState state) {
  switch (state) {
    case VerifyState::active:
      return "active";
    case VerifyState::inactive:
      return "inactive";
    case VerifyState::unknown:
      break;
  }
  return "unknown";
}

}  // namespace

std::string to_string(const VerifyResult& result) {
  if (result.state != VerifyState::unknown) return std::string(state_name(result.state));
  return fmt::format("unknown: {}", result.detail.empty() ? "no reason given" : result.detail);
}

std::span<const std::string_view> verifier_services() { return kServiceKeys; }

std::vector<std::pair<std::string_view, std::string_view>> verifiable_rules() {
  std::vector<std::pair<std::string_view, std::string_view>> rules;
  for (const RuleVerifier& entry : kRuleVerifiers) rules.emplace_back(entry.rule_id, entry.service);
  return rules;
}

std::string_view default_endpoint(std::string_view service) {
  const Service* found = find_service(service);
  return found == nullptr ? std::string_view() : found->default_url;
}

core::Status check_verify_endpoint(std::string_view service, const std::string& url) {
  if (find_service(service) == nullptr) {
    return core::make_error(core::ErrorCode::invalid_input,
                            fmt::format("unknown verification service '{}'; use one of {}", service,
                                        fmt::join(kServiceKeys, ", ")));
  }
  const auto [scheme, host] = scheme_and_host(url);
  if (scheme == "https" && !host.empty()) return {};
  const bool loopback = host == "localhost" || host.starts_with("127.") || host == "[::1]";
  if (scheme == "http" && loopback) return {};
  return core::make_error(core::ErrorCode::invalid_input,
                          fmt::format("invalid verification endpoint for '{}': {} is not an https:// URL; found secrets "
                                      "are sent to it, so plain http:// is accepted for 127.0.0.1, ::1 and localhost only",
                                      service, notify::redact_url(url)));
}

core::Status check_verify_options(const VerifyOptions& options) {
  for (const auto& [service, url] : options.endpoints) {
    if (auto status = check_verify_endpoint(service, url); !status) return status;
  }
  if (options.timeout_ms <= 0) {
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("verification timeout must be positive, got {} ms", options.timeout_ms));
  }
  if (options.max_requests < 0) {
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("verification request limit must be 0 or more, got {}", options.max_requests));
  }
  return {};
}

Verifiers::Verifiers(VerifyOptions options)
    : options_(std::move(options)),
      http_(std::make_unique<verification::HttpClient>(std::max(1L, options_.timeout_ms), std::max(0, options_.max_requests))) {}

Verifiers::~Verifiers() = default;

bool Verifiers::supports(std::string_view rule_id) const { return find_rule(rule_id) != nullptr; }

int Verifiers::requests_sent() const { return http_->requests_sent(); }

VerifyResult Verifiers::verify(std::string_view rule_id, std::string_view secret, std::string_view paired) {
  const RuleVerifier* rule = find_rule(rule_id);
  if (rule == nullptr) return {VerifyState::unknown, fmt::format("no verifier for rule {}", rule_id)};
  const Service& service = *find_service(rule->service);
  const std::string url = base_url(options_, service);
  if (auto status = check_verify_endpoint(service.key, url); !status) {
    return {VerifyState::unknown, status.error().message};
  }
  if (secret.empty()) return {VerifyState::unknown, "the secret is empty"};

  const VerifyCall call{*http_, url, secret, paired};
  VerifyResult result = service.verify(call);
  // Every detail passes through here, so no verifier can return the secret by mistake.
  result.detail = verification::sanitize_detail(result.detail, {secret, paired}, 300);
  spdlog::debug("verify: {} {} at {}: {}", rule_id, redact(secret, 0), notify::redact_url(url), to_string(result));
  return result;
}

}  // namespace keyward::secrets
