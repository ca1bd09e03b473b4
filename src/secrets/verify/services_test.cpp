// Tests each verifier against a mock of its service's API on 127.0.0.1: a working, a revoked, a
// failing and a slow credential, the auth header shape each service documents, and the
// service-specific responses (403 meanings, Slack error codes, AWS signature errors, 429,
// redirects, the request budget).

#include <gtest/gtest.h>

#include "secrets/verify/verifier.hpp"

#ifdef KEYWARD_HAVE_CPP_HTTPLIB

#include <openssl/evp.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "secrets/verify/mock_api.hpp"
#include "secrets/verify/sigv4.hpp"

namespace keyward::secrets::verification {
namespace {

using Mock = verification::testing::MockApi;

// Part of every credential in these tests; no result detail or log line may contain it.
constexpr std::string_view kCanary = "Canary7f3k9QwErTy";
const std::string kAwsSecret = "wJalr" + std::string(kCanary) + "K7MDENGbPxRfiCYzEXAMPLE";

struct Credentials {
  std::string live;
  std::string revoked;
  std::string broken;  // the mock replies HTTP 500
  std::string slow;    // the mock replies after the client's timeout
};

Credentials credentials_for(const std::string& prefix) {
  const std::string canary(kCanary);
  return {prefix + "Live" + canary + "UiOpAsDf", prefix + "Revoked" + canary + "UiOpAs", prefix + "Broken" + canary + "UiOpAsD",
          prefix + "Slow" + canary + "UiOpAsDfG"};
}

std::string bearer_credential(const httplib::Request& request) {
  const std::string value = request.get_header_value("Authorization");
  return value.starts_with("Bearer ") ? value.substr(7) : "";
}

std::string gitlab_credential(const httplib::Request& request) { return request.get_header_value("PRIVATE-TOKEN"); }

std::string anthropic_credential(const httplib::Request& request) {
  if (request.get_header_value("anthropic-version") != "2023-06-01") return "";
  return request.get_header_value("x-api-key");
}

// Stripe: "Basic base64(key + ':')", the key as user name and an empty password.
std::string stripe_credential(const httplib::Request& request) {
  const std::string value = request.get_header_value("Authorization");
  if (!value.starts_with("Basic ")) return "";
  const std::string encoded = value.substr(6);
  std::string decoded(encoded.size(), '\0');
  const int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                     reinterpret_cast<const unsigned char*>(encoded.data()), static_cast<int>(encoded.size()));
  if (length < 0) return "";
  decoded.resize(static_cast<size_t>(length));
  while (!decoded.empty() && decoded.back() == '\0') decoded.pop_back();  // base64 padding decodes to NULs
  if (decoded.empty() || decoded.back() != ':') return "";
  decoded.pop_back();
  return decoded;
}

// AWS: the access key id from a Signature Version 4 header whose signature, recomputed from the
// request as received with kAwsSecret, matches; empty otherwise.
std::string aws_credential(const httplib::Request& request) {
  const std::string authorization = request.get_header_value("Authorization");
  const size_t start = authorization.find("Credential=");
  if (start == std::string::npos) return "";
  const size_t slash = authorization.find('/', start);
  const std::string key_id = authorization.substr(start + 11, slash - start - 11);
  SigV4Request signing;
  signing.method = request.method;
  signing.path = request.path;
  signing.body = request.body;
  signing.amz_date = request.get_header_value("X-Amz-Date");
  signing.region = "us-east-1";
  signing.service = "sts";
  signing.headers = {{"content-type", request.get_header_value("Content-Type")},
                     {"host", request.get_header_value("Host")},
                     {"x-amz-date", signing.amz_date}};
  if (signing.amz_date.size() != 16 || request.body != "Action=GetCallerIdentity&Version=2011-06-15") return "";
  return sigv4_authorization(signing, key_id, kAwsSecret) == authorization ? key_id : "";
}

std::string aws_error(std::string_view code) {
  return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>" +
         std::string(code) + "</Code><Message>request rejected</Message></Error><RequestId>1</RequestId></ErrorResponse>";
}

// One service as the mock plays it.
struct ServiceCase {
  std::string service;  // VerifyOptions::endpoints key
  std::string method;
  std::string path;
  std::string prefix;   // prefix of the test credentials
  std::string (*credential)(const httplib::Request&);
  std::string live_body;     // 200 body for the working credential
  int revoked_status;        // status for the revoked credential
  std::string revoked_body;
  std::string live_detail;   // expected in the active result's detail
};

const std::vector<ServiceCase>& service_cases() {
  static const std::vector<ServiceCase> cases = {
      {"anthropic", "GET", "/v1/models", "sk-ant-api03-", anthropic_credential, R"({"data":[],"has_more":false})", 401,
       R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}})", ""},
      {"aws_sts", "POST", "/", "AKIA", aws_credential,
       "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn>"
       "<UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>",
       403, aws_error("InvalidClientTokenId"), "arn arn:aws:iam::123456789012:user/ci"},
      {"cloudflare", "GET", "/client/v4/user/tokens/verify", "", bearer_credential,
       R"({"result":{"id":"ed17574386854bf78a67040be0a770b0","status":"active"},"success":true})", 401,
       R"({"success":false,"errors":[{"code":1000,"message":"Invalid API Token"}]})", ""},
      {"digitalocean", "GET", "/v2/account", "dop_v1_", bearer_credential, R"({"account":{"status":"active"}})", 401,
       R"({"id":"unauthorized","message":"Unable to authenticate you"})", "account status active"},
      {"github", "GET", "/user", "ghp_", bearer_credential, R"({"login":"octocat","id":1})", 401,
       R"({"message":"Bad credentials"})", "login octocat"},
      {"gitlab", "GET", "/api/v4/personal_access_tokens/self", "glpat-", gitlab_credential,
       R"({"id":4,"name":"ci","revoked":false,"scopes":["api","read_user"],"active":true})", 401,
       R"({"message":"401 Unauthorized"})", "token ci, scopes api,read_user"},
      {"groq", "GET", "/openai/v1/models", "gsk_", bearer_credential, R"({"object":"list","data":[]})", 401,
       R"({"error":{"message":"Invalid API Key"}})", ""},
      {"huggingface", "GET", "/api/whoami-v2", "hf_", bearer_credential, R"({"type":"user","name":"model-uploader"})",
       401, R"({"error":"Invalid credentials in Authorization header"})", "account model-uploader"},
      {"npm", "GET", "/-/whoami", "npm_", bearer_credential, R"({"username":"release-bot"})", 401, R"({})",
       "user release-bot"},
      {"openai", "GET", "/v1/models", "sk-proj-", bearer_credential, R"({"object":"list","data":[]})", 401,
       R"({"error":{"code":"invalid_api_key"}})", ""},
      {"sendgrid", "GET", "/v3/scopes", "SG.", bearer_credential, R"({"scopes":["mail.send","alerts.read"]})", 401,
       R"({"errors":[{"field":null,"message":"authorization required"}]})", "2 scopes"},
      {"slack", "POST", "/api/auth.test", "xoxb-", bearer_credential,
       R"({"ok":true,"url":"https://acme.slack.com/","team":"Acme","user":"deploy-bot"})", 200,
       R"({"ok":false,"error":"token_revoked"})", "team Acme, user deploy-bot"},
      {"stripe", "GET", "/v1/balance", "sk_live_", stripe_credential, R"({"object":"balance","livemode":true})", 401,
       R"({"error":{"type":"invalid_request_error"}})", "live mode"},
  };
  return cases;
}

// The first rule id the service verifies, so these tests follow the rule catalogue's names.
std::string rule_for(const std::string& service) {
  for (const auto& [rule_id, rule_service] : verifiable_rules()) {
    if (rule_service == service) return std::string(rule_id);
  }
  return "";
}

// Registers the case's endpoint on `mock`. It replies to each of the case's credentials as the
// real service would, and with 400 to a request that does not carry one the way the service expects.
void serve_case(Mock& mock, const ServiceCase& service) {
  const Credentials credentials = credentials_for(service.prefix);
  mock.on(service.method, service.path, [&mock, service, credentials](const httplib::Request& request, httplib::Response& response) {
    const std::string credential = service.credential(request);
    if (credential == credentials.live) {
      response.set_content(service.live_body, "application/json");
    } else if (credential == credentials.revoked) {
      response.status = service.revoked_status;
      response.set_content(service.revoked_body, "application/json");
    } else if (credential == credentials.broken) {
      response.status = 500;
      response.set_content("internal error while checking " + credential, "text/plain");
    } else if (credential == credentials.slow) {
      mock.stall();
      response.set_content(service.live_body, "application/json");
    } else if (service.service == "aws_sts") {
      response.status = 403;
      response.set_content(aws_error("SignatureDoesNotMatch"), "text/xml");
    } else {
      response.status = 400;
      response.set_content("credential missing or not in the documented header", "text/plain");
    }
  });
}

VerifyOptions options_for(const Mock& mock, const std::string& service, long timeout_ms = 3000) {
  VerifyOptions options;
  options.endpoints[service] = mock.url();
  options.timeout_ms = timeout_ms;
  return options;
}

std::string paired_for(const ServiceCase& service) { return service.service == "aws_sts" ? kAwsSecret : ""; }

class ServiceVerifierTest : public ::testing::TestWithParam<ServiceCase> {
 protected:
  void SetUp() override {
    serve_case(mock_, GetParam());
    ASSERT_TRUE(mock_.start());
    rule_ = rule_for(GetParam().service);
    ASSERT_FALSE(rule_.empty()) << "no rule uses service " << GetParam().service;
  }

  VerifyResult verify(const std::string& credential, long timeout_ms = 3000) {
    Verifiers verifiers(options_for(mock_, GetParam().service, timeout_ms));
    return verifiers.verify(rule_, credential, paired_for(GetParam()));
  }

  static void expect_no_canary(const VerifyResult& result) {
    EXPECT_EQ(result.detail.find(kCanary), std::string::npos) << result.detail;
    EXPECT_EQ(to_string(result).find(kCanary), std::string::npos) << to_string(result);
  }

  Mock mock_;
  std::string rule_;
  Credentials credentials_ = credentials_for(GetParam().prefix);
};

TEST_P(ServiceVerifierTest, LiveCredentialIsActive) {
  const VerifyResult result = verify(credentials_.live);
  EXPECT_EQ(result.state, VerifyState::active) << to_string(result);
  EXPECT_NE(result.detail.find(GetParam().live_detail), std::string::npos) << result.detail;
  expect_no_canary(result);

  const auto requests = mock_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, GetParam().method);
  EXPECT_EQ(requests[0].path, GetParam().path);
  EXPECT_TRUE(requests[0].headers.at("user-agent").starts_with("keyward/")) << requests[0].headers.at("user-agent");
}

TEST_P(ServiceVerifierTest, RevokedCredentialIsInactive) {
  const VerifyResult result = verify(credentials_.revoked);
  EXPECT_EQ(result.state, VerifyState::inactive) << to_string(result);
  EXPECT_FALSE(result.detail.empty());
  expect_no_canary(result);
}

TEST_P(ServiceVerifierTest, ServerErrorIsUnknown) {
  const VerifyResult result = verify(credentials_.broken);
  EXPECT_EQ(result.state, VerifyState::unknown);
  EXPECT_NE(result.detail.find("HTTP 500 from " + mock_.url()), std::string::npos) << result.detail;
  expect_no_canary(result);
}

TEST_P(ServiceVerifierTest, SlowResponseTimesOutAsUnknown) {
  const VerifyResult result = verify(credentials_.slow, 300);
  EXPECT_EQ(result.state, VerifyState::unknown);
  EXPECT_NE(result.detail.find("timed out after 300 ms"), std::string::npos) << result.detail;
  expect_no_canary(result);
}

INSTANTIATE_TEST_SUITE_P(VerifyServices, ServiceVerifierTest, ::testing::ValuesIn(service_cases()),
                         [](const ::testing::TestParamInfo<ServiceCase>& info) { return info.param.service; });

// A mock whose endpoints each test registers itself.
class VerifyMockTest : public ::testing::Test {
 protected:
  const ServiceCase& service(const std::string& key) {
    for (const ServiceCase& candidate : service_cases()) {
      if (candidate.service == key) return candidate;
    }
    throw std::invalid_argument(key);
  }

  Mock mock_;
};

TEST_F(VerifyMockTest, GithubForbiddenIsActiveUnlessRateLimitSpent) {
  int calls = 0;
  mock_.on("GET", "/user", [&calls](const httplib::Request&, httplib::Response& response) {
    response.status = 403;
    if (++calls == 2) response.set_header("X-RateLimit-Remaining", "0");
    response.set_content(R"({"message":"Resource not accessible by integration"})", "application/json");
  });
  ASSERT_TRUE(mock_.start());
  Verifiers verifiers(options_for(mock_, "github"));
  const std::string token = "ghs_" + std::string(kCanary) + "InstallationToken00";

  const VerifyResult installation = verifiers.verify("github.app_installation_token", token, "");
  EXPECT_EQ(installation.state, VerifyState::active);
  EXPECT_NE(installation.detail.find("HTTP 403"), std::string::npos) << installation.detail;

  const VerifyResult rate_limited = verifiers.verify("github.app_installation_token", token, "");
  EXPECT_EQ(rate_limited.state, VerifyState::unknown);
  EXPECT_NE(rate_limited.detail.find("rate limit"), std::string::npos) << rate_limited.detail;
}

TEST_F(VerifyMockTest, SlackErrorCodesDecideState) {
  mock_.on("POST", "/api/auth.test", [](const httplib::Request& request, httplib::Response& response) {
    const std::string token = bearer_credential(request);
    const std::string error = token.find("Invalid") != std::string::npos ? "invalid_auth" : "fatal_error";
    response.set_content(R"({"ok":false,"error":")" + error + R"("})", "application/json");
  });
  ASSERT_TRUE(mock_.start());
  Verifiers verifiers(options_for(mock_, "slack"));

  const VerifyResult invalid = verifiers.verify("slack.bot_token", "xoxb-Invalid" + std::string(kCanary), "");
  EXPECT_EQ(invalid.state, VerifyState::inactive);
  EXPECT_EQ(invalid.detail, "Slack error invalid_auth");

  const VerifyResult fatal = verifiers.verify("slack.bot_token", "xoxb-Other" + std::string(kCanary), "");
  EXPECT_EQ(fatal.state, VerifyState::unknown);
  EXPECT_EQ(to_string(fatal), "unknown: Slack error fatal_error");
}

TEST_F(VerifyMockTest, StripeRestrictedKeyForbiddenIsActive) {
  mock_.on("GET", "/v1/balance", [](const httplib::Request&, httplib::Response& response) {
    response.status = 403;
    response.set_content(R"({"error":{"type":"invalid_request_error","message":"lacks permission"}})", "application/json");
  });
  ASSERT_TRUE(mock_.start());
  Verifiers verifiers(options_for(mock_, "stripe"));
  const VerifyResult result = verifiers.verify(rule_for("stripe"), "rk_live_" + std::string(kCanary) + "Restricted", "");
  EXPECT_EQ(result.state, VerifyState::active);
  EXPECT_NE(result.detail.find("not allowed"), std::string::npos) << result.detail;
}

TEST_F(VerifyMockTest, CloudflareExpiredTokenIsInactive) {
  mock_.on("GET", "/client/v4/user/tokens/verify", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"result":{"id":"ed17","status":"expired"},"success":true})", "application/json");
  });
  ASSERT_TRUE(mock_.start());
  Verifiers verifiers(options_for(mock_, "cloudflare"));
  const VerifyResult result = verifiers.verify("cloudflare.api_token", std::string(kCanary) + "CloudflareToken", "");
  EXPECT_EQ(result.state, VerifyState::inactive);
  EXPECT_EQ(result.detail, "token expired");
}

TEST_F(VerifyMockTest, AwsWrongPairedSecretIsUnknown) {
  serve_case(mock_, service("aws_sts"));
  ASSERT_TRUE(mock_.start());
  Verifiers verifiers(options_for(mock_, "aws_sts"));
  const std::string key_id = credentials_for("AKIA").live;
  const VerifyResult result = verifiers.verify("aws.access_key_id", key_id, "wrong" + std::string(kCanary) + "SecretKey");
  EXPECT_EQ(result.state, VerifyState::unknown);
  EXPECT_NE(result.detail.find("SignatureDoesNotMatch"), std::string::npos) << result.detail;
  EXPECT_EQ(result.detail.find(kCanary), std::string::npos) << result.detail;
}

TEST_F(VerifyMockTest, AwsWithoutPairOrTemporaryKeySendsNothing) {
  serve_case(mock_, service("aws_sts"));
  ASSERT_TRUE(mock_.start());
  Verifiers verifiers(options_for(mock_, "aws_sts"));

  const VerifyResult alone = verifiers.verify("aws.access_key_id", credentials_for("AKIA").live, "");
  EXPECT_EQ(alone.state, VerifyState::unknown);
  EXPECT_NE(alone.detail.find("no secret access key"), std::string::npos) << alone.detail;

  const VerifyResult temporary = verifiers.verify("aws.access_key_id", credentials_for("ASIA").live, kAwsSecret);
  EXPECT_EQ(temporary.state, VerifyState::unknown);
  EXPECT_NE(temporary.detail.find("session token"), std::string::npos) << temporary.detail;

  EXPECT_TRUE(mock_.requests().empty());
  EXPECT_EQ(verifiers.requests_sent(), 0);
}

TEST_F(VerifyMockTest, RateLimitedOnceThenRetried) {
  int calls = 0;
  mock_.on("GET", "/user", [&calls](const httplib::Request&, httplib::Response& response) {
    if (++calls == 1) {
      response.status = 429;
      response.set_header("Retry-After", "0");
      return;
    }
    response.set_content(R"({"login":"octocat"})", "application/json");
  });
  ASSERT_TRUE(mock_.start());
  Verifiers verifiers(options_for(mock_, "github"));
  const VerifyResult result = verifiers.verify("github.pat.classic", credentials_for("ghp_").live, "");
  EXPECT_EQ(result.state, VerifyState::active) << to_string(result);
  EXPECT_EQ(mock_.requests().size(), 2u);
  EXPECT_EQ(verifiers.requests_sent(), 2);
}

TEST_F(VerifyMockTest, LongRetryAfterIsNotWaitedFor) {
  mock_.on("GET", "/user", [](const httplib::Request&, httplib::Response& response) {
    response.status = 429;
    response.set_header("Retry-After", "3600");
  });
  ASSERT_TRUE(mock_.start());
  Verifiers verifiers(options_for(mock_, "github"));
  const VerifyResult result = verifiers.verify("github.pat.classic", credentials_for("ghp_").live, "");
  EXPECT_EQ(result.state, VerifyState::unknown);
  EXPECT_NE(result.detail.find("rate limited by " + mock_.url()), std::string::npos) << result.detail;
  EXPECT_EQ(mock_.requests().size(), 1u);
}

TEST_F(VerifyMockTest, RequestBudgetStopsSending) {
  serve_case(mock_, service("github"));
  ASSERT_TRUE(mock_.start());
  VerifyOptions options = options_for(mock_, "github");
  options.max_requests = 2;
  Verifiers verifiers(options);
  const std::string token = credentials_for("ghp_").live;
  EXPECT_EQ(verifiers.verify("github.pat.classic", token, "").state, VerifyState::active);
  EXPECT_EQ(verifiers.verify("github.pat.classic", token, "").state, VerifyState::active);

  const VerifyResult third = verifiers.verify("github.pat.classic", token, "");
  EXPECT_EQ(third.state, VerifyState::unknown);
  EXPECT_NE(third.detail.find("limit of 2 verification requests"), std::string::npos) << third.detail;
  EXPECT_EQ(mock_.requests().size(), 2u);
}

TEST_F(VerifyMockTest, RedirectIsNotFollowed) {
  mock_.on("GET", "/user", [](const httplib::Request&, httplib::Response& response) { response.set_redirect("/moved"); });
  mock_.on("GET", "/moved", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"login":"octocat"})", "application/json");
  });
  ASSERT_TRUE(mock_.start());
  Verifiers verifiers(options_for(mock_, "github"));
  const VerifyResult result = verifiers.verify("github.pat.classic", credentials_for("ghp_").live, "");
  EXPECT_EQ(result.state, VerifyState::unknown);
  EXPECT_NE(result.detail.find("redirects are not followed"), std::string::npos) << result.detail;
  ASSERT_EQ(mock_.requests().size(), 1u);
  EXPECT_EQ(mock_.requests()[0].path, "/user");
}

TEST_F(VerifyMockTest, EchoedSecretIsRedactedFromDetail) {
  mock_.on("GET", "/user", [](const httplib::Request& request, httplib::Response& response) {
    response.set_content(R"({"login":")" + bearer_credential(request) + R"("})", "application/json");
  });
  ASSERT_TRUE(mock_.start());
  Verifiers verifiers(options_for(mock_, "github"));
  const VerifyResult result = verifiers.verify("github.pat.classic", credentials_for("ghp_").live, "");
  EXPECT_EQ(result.state, VerifyState::active);
  EXPECT_EQ(result.detail, "login [redacted]");
}

TEST_F(VerifyMockTest, GitlabEndpointKeepsItsPath) {
  mock_.on("GET", "/gitlab/api/v4/personal_access_tokens/self", [](const httplib::Request& request, httplib::Response& response) {
    if (gitlab_credential(request).empty()) response.status = 401;
    response.set_content(R"({"name":"ci","scopes":["read_api"]})", "application/json");
  });
  ASSERT_TRUE(mock_.start());
  VerifyOptions options;
  options.endpoints["gitlab"] = mock_.url() + "/gitlab/";
  Verifiers verifiers(options);
  const VerifyResult result = verifiers.verify("gitlab.pat", credentials_for("glpat-").live, "");
  EXPECT_EQ(result.state, VerifyState::active) << to_string(result);
  EXPECT_EQ(result.detail, "token ci, scopes read_api");
}

TEST_F(VerifyMockTest, OversizedResponseIsCut) {
  mock_.on("GET", "/user", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"padding":")" + std::string(4 * 1024 * 1024, 'x') + R"(","login":"octocat"})",
                         "application/json");
  });
  ASSERT_TRUE(mock_.start());
  Verifiers verifiers(options_for(mock_, "github"));
  const VerifyResult result = verifiers.verify("github.pat.classic", credentials_for("ghp_").live, "");
  EXPECT_EQ(result.state, VerifyState::active);
  // Only the first 64 KiB are kept, so the login after the padding is never read.
  EXPECT_EQ(result.detail, "");
}

TEST_F(VerifyMockTest, LogsNeverContainSecret) {
  serve_case(mock_, service("github"));
  serve_case(mock_, service("aws_sts"));
  ASSERT_TRUE(mock_.start());

  std::ostringstream log;
  const auto previous = spdlog::default_logger();
  auto capture = std::make_shared<spdlog::logger>("verify-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  capture->set_level(spdlog::level::trace);
  spdlog::set_default_logger(capture);

  VerifyOptions options = options_for(mock_, "github");
  options.endpoints["aws_sts"] = mock_.url();
  options.max_requests = 6;
  Verifiers verifiers(options);
  const Credentials github = credentials_for("ghp_");
  const Credentials aws = credentials_for("AKIA");
  for (const std::string& token : {github.live, github.revoked, github.broken}) verifiers.verify("github.pat.classic", token, "");
  for (const std::string& key_id : {aws.live, aws.revoked, aws.broken}) verifiers.verify("aws.access_key_id", key_id, kAwsSecret);
  verifiers.verify("github.pat.classic", github.live, "");  // over the budget: logs a warning

  spdlog::set_default_logger(previous);
  spdlog::drop("verify-test");
  const std::string output = log.str();
  EXPECT_NE(output.find("verify: github.pat.classic"), std::string::npos) << output;
  EXPECT_NE(output.find("limit of 6 requests"), std::string::npos) << output;
  EXPECT_EQ(output.find(kCanary), std::string::npos) << output;
}

}  // namespace
}  // namespace keyward::secrets::verification

#else

// The mock API tests need cpp-httplib, which Debian ships as a compiled library
// (libcpp-httplib.so) rather than a header-only one, so keyward_tests must link it.
// TODO: drop this fallback once CMakeLists.txt links cpp-httplib into keyward_tests.
TEST(VerifyServices, MockApiTestsNeedCppHttplib) {
  FAIL() << "the verification tests against mock APIs are not built: add to CMakeLists.txt\n"
            "  pkg_check_modules(CPPHTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)\n"
            "  target_link_libraries(keyward_tests PRIVATE PkgConfig::CPPHTTPLIB)\n"
            "  target_compile_definitions(keyward_tests PRIVATE KEYWARD_HAVE_CPP_HTTPLIB)";
}

#endif
