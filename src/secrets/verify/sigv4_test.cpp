#include "secrets/verify/sigv4.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

namespace keyward::secrets::verification {
namespace {

// The worked example of AWS's Signature Version 4 documentation: IAM ListUsers by GET on
// 2015-08-30, key id AKIDEXAMPLE. The expected values were also recomputed independently with
// Python's hmac and hashlib modules.
constexpr std::string_view kExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

SigV4Request example_request() {
  SigV4Request request;
  request.method = "GET";
  request.path = "/";
  request.query = "Action=ListUsers&Version=2010-05-08";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                     {"Host", "iam.amazonaws.com"},
                     {"X-Amz-Date", "20150830T123600Z"}};
  request.amz_date = "20150830T123600Z";
  request.region = "us-east-1";
  request.service = "iam";
  return request;
}

std::string sha256_hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

TEST(SigV4, SigningKeyMatchesAwsExample) {
  const std::string key = sigv4_signing_key(kExampleSecret, "20120215", "us-east-1", "iam");
  EXPECT_EQ(hex_encode(key), "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigV4, CanonicalRequestMatchesAwsExample) {
  const std::string canonical = sigv4_canonical_request(example_request());
  EXPECT_EQ(canonical,
            "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
            "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex(canonical), "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
}

TEST(SigV4, StringToSignMatchesAwsExample) {
  EXPECT_EQ(sigv4_string_to_sign(example_request()),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
            "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
}

TEST(SigV4, AuthorizationMatchesAwsExample) {
  EXPECT_EQ(sigv4_authorization(example_request(), "AKIDEXAMPLE", kExampleSecret),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(SigV4, HeaderFormIgnoredBySignature) {
  SigV4Request shuffled = example_request();
  shuffled.headers = {{"x-amz-date", "20150830T123600Z"},
                      {"HOST", "  iam.amazonaws.com "},
                      {"content-type", "application/x-www-form-urlencoded;   charset=utf-8"}};
  EXPECT_EQ(sigv4_authorization(shuffled, "AKIDEXAMPLE", kExampleSecret),
            sigv4_authorization(example_request(), "AKIDEXAMPLE", kExampleSecret));
}

TEST(SigV4, BodyAndSecretChangeSignature) {
  const std::string reference = sigv4_authorization(example_request(), "AKIDEXAMPLE", kExampleSecret);
  SigV4Request with_body = example_request();
  with_body.body = "Action=GetCallerIdentity&Version=2011-06-15";
  EXPECT_NE(sigv4_authorization(with_body, "AKIDEXAMPLE", kExampleSecret), reference);
  EXPECT_NE(sigv4_authorization(example_request(), "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ"), reference);
}

}  // namespace
}  // namespace keyward::secrets::verification
