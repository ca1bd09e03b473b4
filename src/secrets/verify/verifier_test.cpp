#include "secrets/verify/verifier.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "secrets/rule.hpp"

namespace keyward::secrets {
namespace {

constexpr std::string_view kToken = "ghp_VerifyCanary7f3k9QwErTyUiOpAsDfGhJkL";

TEST(VerifyResultText, StatesAndUnknownReason) {
  EXPECT_EQ(to_string(VerifyResult{VerifyState::active, "login octocat"}), "active");
  EXPECT_EQ(to_string(VerifyResult{VerifyState::inactive, "rejected by https://api.github.com (HTTP 401)"}), "inactive");
  EXPECT_EQ(to_string(VerifyResult{VerifyState::unknown, "HTTP 500 from https://api.github.com"}),
            "unknown: HTTP 500 from https://api.github.com");
  EXPECT_EQ(to_string(VerifyResult{VerifyState::unknown, ""}), "unknown: no reason given");
}

TEST(Verifiers, UnsupportedRuleIsUnknownWithoutRequest) {
  Verifiers verifiers(VerifyOptions{});
  EXPECT_FALSE(verifiers.supports("generic.password"));
  const VerifyResult result = verifiers.verify("generic.password", kToken, "");
  EXPECT_EQ(result.state, VerifyState::unknown);
  EXPECT_NE(result.detail.find("no verifier for rule generic.password"), std::string::npos) << result.detail;
  EXPECT_EQ(verifiers.requests_sent(), 0);
}

TEST(Verifiers, PlainHttpToRemoteHostIsNeverContacted) {
  VerifyOptions options;
  options.endpoints["github"] = "http://api.example.com";
  Verifiers verifiers(options);
  ASSERT_TRUE(verifiers.supports("github.pat.classic"));
  const VerifyResult result = verifiers.verify("github.pat.classic", kToken, "");
  EXPECT_EQ(result.state, VerifyState::unknown);
  EXPECT_NE(result.detail.find("https://"), std::string::npos) << result.detail;
  EXPECT_EQ(result.detail.find(kToken), std::string::npos);
  EXPECT_EQ(verifiers.requests_sent(), 0);
}

TEST(Verifiers, ClosedPortIsUnknownNoResponse) {
  VerifyOptions options;
  // Port 1 on loopback has no listener here, so the connection is refused at once.
  options.endpoints["github"] = "http://127.0.0.1:1";
  options.timeout_ms = 2000;
  Verifiers verifiers(options);
  const VerifyResult result = verifiers.verify("github.pat.classic", kToken, "");
  EXPECT_EQ(result.state, VerifyState::unknown);
  EXPECT_NE(result.detail.find("no response from http://127.0.0.1:1"), std::string::npos) << result.detail;
  EXPECT_EQ(result.detail.find(kToken), std::string::npos);
  EXPECT_EQ(verifiers.requests_sent(), 1);
}

TEST(Verifiers, ZeroRequestBudgetSendsNothing) {
  VerifyOptions options;
  options.endpoints["github"] = "http://127.0.0.1:1";
  options.max_requests = 0;
  Verifiers verifiers(options);
  const VerifyResult result = verifiers.verify("github.pat.classic", kToken, "");
  EXPECT_EQ(result.state, VerifyState::unknown);
  EXPECT_NE(result.detail.find("limit of 0 verification requests"), std::string::npos) << result.detail;
  EXPECT_EQ(verifiers.requests_sent(), 0);
}

TEST(VerifyOptionsCheck, RejectsUnknownServiceBadUrlAndLimits) {
  VerifyOptions unknown_service;
  unknown_service.endpoints["gihub"] = "https://api.github.com";
  const core::Status unknown = check_verify_options(unknown_service);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown verification service 'gihub'"), std::string::npos);

  VerifyOptions plain_http;
  plain_http.endpoints["gitlab"] = "http://gitlab.example.com";
  EXPECT_FALSE(check_verify_options(plain_http).ok());

  VerifyOptions not_a_url;
  not_a_url.endpoints["gitlab"] = "gitlab.example.com";
  EXPECT_FALSE(check_verify_options(not_a_url).ok());

  VerifyOptions zero_timeout;
  zero_timeout.timeout_ms = 0;
  EXPECT_FALSE(check_verify_options(zero_timeout).ok());

  VerifyOptions negative_budget;
  negative_budget.max_requests = -1;
  EXPECT_FALSE(check_verify_options(negative_budget).ok());

  VerifyOptions local;
  local.endpoints["gitlab"] = "https://gitlab.example.com/gitlab";
  local.endpoints["github"] = "http://localhost:8080";
  EXPECT_TRUE(check_verify_options(local).ok());
  EXPECT_TRUE(check_verify_options(VerifyOptions{}).ok());
}

TEST(VerifyServices, DefaultEndpointsAreHttps) {
  ASSERT_GE(verifier_services().size(), 10u);
  for (const std::string_view service : verifier_services()) {
    const std::string url(default_endpoint(service));
    EXPECT_TRUE(url.starts_with("https://")) << service << ": " << url;
    EXPECT_TRUE(check_verify_endpoint(service, url).ok()) << service;
  }
  EXPECT_TRUE(default_endpoint("gihub").empty());
}

TEST(VerifyServices, EveryVerifiedRuleIsInCatalogue) {
  std::set<std::string_view> catalogue;
  for (const SecretRule& rule : builtin_rules()) catalogue.insert(rule.id);
  const std::set<std::string_view> services(verifier_services().begin(), verifier_services().end());
  std::set<std::string_view> services_used;
  Verifiers verifiers(VerifyOptions{});
  for (const auto& [rule_id, service] : verifiable_rules()) {
    EXPECT_TRUE(catalogue.contains(rule_id)) << rule_id << " is not a rule id in src/secrets/rules/";
    EXPECT_TRUE(services.contains(service)) << rule_id << " names unknown service " << service;
    EXPECT_TRUE(verifiers.supports(rule_id)) << rule_id;
    services_used.insert(service);
  }
  // Every service verifies at least one rule.
  EXPECT_EQ(services_used, services);
}

}  // namespace
}  // namespace keyward::secrets
