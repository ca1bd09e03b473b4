#include "secrets/validators/structure.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <string>
#include <vector>

#include "secrets/validators/encoding.hpp"

namespace keyward::secrets {
namespace {

// Base64 with OpenSSL, an encoder independent of the decoder under test.
std::string base64(std::string_view bytes) {
  std::vector<unsigned char> out(4 * ((bytes.size() + 2) / 3) + 1);
  const int length = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(length));
}

std::string base64url(std::string_view bytes) {
  std::string text = base64(bytes);
  for (char& c : text) c = c == '+' ? '-' : (c == '/' ? '_' : c);
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

// A DER-like body: an ASN.1 SEQUENCE header and `size` bytes of filler.
std::string fake_der(std::size_t size) {
  std::string der = {'\x30', '\x82', static_cast<char>(size >> 8), static_cast<char>(size & 0xff)};
  for (std::size_t i = 0; i < size; ++i) der.push_back(static_cast<char>('a' + i % 26));
  return der;
}

// Wraps `body` in PEM armor with 64-character lines joined by `newline`.
std::string pem(std::string_view label, std::string_view body, std::string_view newline = "\n") {
  const std::string encoded = base64(body);
  std::string out = "-----BEGIN " + std::string(label) + "-----";
  for (std::size_t i = 0; i < encoded.size(); i += 64) out += std::string(newline) + encoded.substr(i, 64);
  return out + std::string(newline) + "-----END " + std::string(label) + "-----";
}

TEST(Base64Decoder, DecodesBothAlphabetsAndPadding) {
  EXPECT_EQ(decode_base64("aGVsbG8="), "hello");
  EXPECT_EQ(decode_base64("aGVsbG8"), "hello");
  EXPECT_EQ(decode_base64("-_8"), std::string("\xfb\xff"));
  EXPECT_EQ(decode_base64("+/8="), std::string("\xfb\xff"));
}

TEST(Base64Decoder, RejectsInvalidInputAndOversizedOutput) {
  EXPECT_FALSE(decode_base64("aGVs*G8="));
  EXPECT_FALSE(decode_base64("aGVsb"));  // one character past a whole group
  EXPECT_FALSE(decode_base64("aGV=sbG8"));
  EXPECT_FALSE(decode_base64(std::string(400, 'A'), 100));
}

TEST(PercentDecoder, DecodesEscapesAndRejectsTruncatedOnes) {
  EXPECT_EQ(decode_percent("a%2Fb%3d"), "a/b=");
  EXPECT_FALSE(decode_percent("abc%2"));
  EXPECT_FALSE(decode_percent("abc%zz"));
}

TEST(Jwt, AcceptsSignedTokenWithAlgInTheHeader) {
  // The example token shown on jwt.io.
  EXPECT_TRUE(validate_jwt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIi"
                           "wiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
                           ""));
  EXPECT_TRUE(validate_jwt(base64url(R"({"alg":"none"})") + "." + base64url(R"({"sub":"x"})") + ".", ""));
}

TEST(Jwt, RejectsHeaderWithoutAlgAndNonJsonParts) {
  EXPECT_FALSE(validate_jwt(base64url(R"({"typ":"JWT"})") + "." + base64url(R"({"sub":"x"})") + ".abc", ""));
  EXPECT_FALSE(validate_jwt(base64url(R"({"alg":"HS256"})") + "." + base64url("not json") + ".abc", ""));
  EXPECT_FALSE(validate_jwt(base64url(R"({"alg":"HS256"})") + "." + base64url(R"(["array"])") + ".abc", ""));
  EXPECT_FALSE(validate_jwt("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0", ""));
}

TEST(PemPrivateKey, AcceptsMatchingLabelsWithRealOrEscapedNewlines) {
  EXPECT_TRUE(validate_pem_private_key(pem("RSA PRIVATE KEY", fake_der(600)), ""));
  EXPECT_TRUE(validate_pem_private_key(pem("PRIVATE KEY", fake_der(600), "\\n"), ""));
  EXPECT_TRUE(validate_pem_private_key(pem("EC PRIVATE KEY", fake_der(117), "\r\n"), ""));
  EXPECT_TRUE(validate_pem_private_key(pem("OPENSSH PRIVATE KEY", std::string("openssh-key-v1\0", 15) + fake_der(300)), ""));
}

TEST(PemPrivateKey, AcceptsLegacyEncryptedKeyWithHeaders) {
  std::string key = pem("RSA PRIVATE KEY", std::string(600, '\x5a'));
  key.insert(key.find('\n') + 1, "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n");
  EXPECT_TRUE(validate_pem_private_key(key, ""));
}

TEST(PemPrivateKey, RejectsMismatchedLabelsShortBodiesAndWrongStructure) {
  std::string mismatched = pem("RSA PRIVATE KEY", fake_der(600));
  mismatched.replace(mismatched.rfind("RSA PRIVATE KEY"), 15, "EC PRIVATE KEY");
  EXPECT_FALSE(validate_pem_private_key(mismatched, ""));
  EXPECT_FALSE(validate_pem_private_key(pem("RSA PRIVATE KEY", fake_der(10)), ""));
  EXPECT_FALSE(validate_pem_private_key(pem("PRIVATE KEY", std::string(600, 'x')), ""));  // no SEQUENCE
  EXPECT_FALSE(validate_pem_private_key(pem("OPENSSH PRIVATE KEY", fake_der(300)), ""));
  EXPECT_FALSE(validate_pem_private_key(pem("PUBLIC KEY", fake_der(300)), ""));
  EXPECT_FALSE(validate_pem_private_key("-----BEGIN RSA PRIVATE KEY-----\nnot base64!\n-----END RSA PRIVATE KEY-----", ""));
}

// Data and CRC-24 computed with an independent implementation that reproduces the RFC 4880 check
// value for "123456789" (0x21CF02).
TEST(PgpPrivateKey, AcceptsMatchingCrc24AndRejectsAChangedOne) {
  const std::string body = "a2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgT3BlblBHUCBzZWNyZXQga2V5IHBhY2tldCwgc2l4dHkgYg==";
  const std::string begin = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: test\n\n";
  const std::string end = "\n-----END PGP PRIVATE KEY BLOCK-----";
  EXPECT_TRUE(validate_pgp_private_key(begin + body + "\n=7r/c" + end, ""));
  EXPECT_TRUE(validate_pgp_private_key(begin + body + end, ""));
  EXPECT_FALSE(validate_pgp_private_key(begin + body + "\n=7r/d" + end, ""));
}

TEST(GcpServiceAccountKey, AcceptsKeyFileAndReturnsKeyId) {
  const std::string key = pem("PRIVATE KEY", fake_der(1200), "\\n");
  const std::string file = R"({"type": "service_account", "project_id": "p", "private_key_id": ")" +
                           std::string(40, 'a') + R"(", "private_key": ")" + key +
                           R"(\n", "client_email": "ci@p.iam.gserviceaccount.com"})";
  EXPECT_TRUE(validate_gcp_service_account_key(key, file));
  EXPECT_EQ(gcp_private_key_id(key, file), std::string(40, 'a'));
}

TEST(GcpServiceAccountKey, RejectsMissingKeyIdOrForeignEmail) {
  const std::string key = pem("PRIVATE KEY", fake_der(1200), "\\n");
  EXPECT_FALSE(validate_gcp_service_account_key(
      key, R"({"private_key_id": "123", "client_email": "ci@p.iam.gserviceaccount.com"})"));
  EXPECT_FALSE(validate_gcp_service_account_key(
      key, R"({"private_key_id": ")" + std::string(40, 'b') + R"(", "client_email": "ci@example.com"})"));
  EXPECT_EQ(gcp_private_key_id(key, R"({"private_key_id": "ABC"})"), "");
}

TEST(PypiToken, AcceptsPypiAndTestPypiMacaroons) {
  EXPECT_TRUE(validate_pypi_token(
      "pypi-AgEIcHlwaS5vcmcCQ3sidmVyc2lvbiI6IDEsICJwZXJtaXNzaW9ucyI6ICJ1c2VyIiwgIm5vdGUiOiAia2V5d2FyZCBmYWtlIHRva2Vu"
      "In0ABiArwhVUbKlBlf2rLlXOY67AC1M-AFufe-efGVOXRria7A",
      ""));
  EXPECT_TRUE(validate_pypi_token(
      "pypi-AgENdGVzdC5weXBpLm9yZwJDeyJ2ZXJzaW9uIjogMSwgInBlcm1pc3Npb25zIjogInVzZXIiLCAibm90ZSI6ICJrZXl3YXJkIGZha2Ug"
      "dG9rZW4ifQAGICvCFVRsqUGV_asuVc5jrsALUz4AW597558ZU5dGuJrs",
      ""));
}

TEST(PypiToken, RejectsOtherLocationsAndTruncatedFields) {
  const std::string other_location = "pypi-" + base64url(std::string("\x02\x01\x0b") + "example.org" + "\x02\x05" + "abcde");
  EXPECT_FALSE(validate_pypi_token(other_location, ""));
  const std::string truncated = "pypi-" + base64url(std::string("\x02\x01\x08") + "pypi.org" + "\x02\x40" + "abc");
  EXPECT_FALSE(validate_pypi_token(truncated, ""));
  EXPECT_FALSE(validate_pypi_token("pypi-AgEIcHlwaS5vcmc", ""));
}

TEST(BasicCredentials, AcceptsUserAndPasswordAndRejectsPlaceholders) {
  EXPECT_TRUE(validate_basic_credentials(base64("deploy:Kx9mQ2vL7pRz"), ""));
  EXPECT_FALSE(validate_basic_credentials(base64("deploy:changeme"), ""));
  EXPECT_FALSE(validate_basic_credentials(base64("no-colon"), ""));
  EXPECT_FALSE(validate_basic_credentials(base64(":Kx9mQ2vL7pRz"), ""));
  EXPECT_FALSE(validate_basic_credentials(base64(std::string("user:\x01\x02\x03pass", 13)), ""));
}

TEST(DiscordBotToken, FirstPartMustDecodeToANumericId) {
  EXPECT_TRUE(validate_discord_bot_token(base64url("1180412345678901234") + ".Gx1abc.KwFake0123456789abcdefghijklmnopqrstu", ""));
  EXPECT_FALSE(validate_discord_bot_token(base64url("not-a-numeric-id!!") + ".Gx1abc.KwFake0123456789abcdefghijklm", ""));
}

TEST(EmbeddedJsonTokens, PartsMustDecodeToObjects) {
  const std::string json = base64url(R"({"iat":1700000000,"url":"https://sentry.io"})");
  EXPECT_TRUE(validate_sentry_org_token("sntrys_" + json + "_KwFakeSecretPart", ""));
  EXPECT_FALSE(validate_sentry_org_token("sntrys_" + base64url("plain text") + "_KwFakeSecretPart", ""));
  EXPECT_TRUE(validate_onepassword_service_account_token("ops_" + json, ""));
  EXPECT_FALSE(validate_onepassword_service_account_token("ops_" + base64url("[1,2,3]"), ""));
  EXPECT_TRUE(validate_grafana_api_key(base64(R"({"k":"abc","n":"ci","id":1})"), ""));
  EXPECT_FALSE(validate_grafana_api_key(base64(R"({"n":"ci","id":1})"), ""));
}

TEST(AzureSasSignature, AcceptsPercentEncoded32ByteSignature) {
  std::string signature = base64(std::string(32, '\x7f'));
  EXPECT_TRUE(validate_azure_sas_signature(signature, ""));
  for (std::string::size_type at = 0; (at = signature.find('=', at)) != std::string::npos;) {
    signature.replace(at, 1, "%3D");
  }
  EXPECT_TRUE(validate_azure_sas_signature(signature, ""));
  EXPECT_FALSE(validate_azure_sas_signature(base64(std::string(16, '\x7f')), ""));
}

}  // namespace
}  // namespace keyward::secrets
