#include "secrets/scan_pipeline.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "secrets/parallel_scan.hpp"
#include "secrets/secret_text.hpp"

namespace keyward::secrets {
namespace {

// Rules written for these tests only: the pipeline is tested apart from the catalogue.
std::vector<SecretRule> test_rules() {
  SecretRule token;
  token.id = "test.token";
  token.name = "Test token";
  token.pattern = R"(\b(tkn_[A-Za-z0-9]{20})\b)";
  token.max_match_length = 40;
  token.redact_prefix = 4;

  SecretRule key_id;
  key_id.id = "test.aws_key_id";
  key_id.name = "Test AWS access key id";
  key_id.pattern = R"(\b((?:AKIA|ASIA)[A-Z2-7]{16})\b)";
  key_id.max_match_length = 24;
  key_id.platform = "aws";
  key_id.credential_kind = "aws_access_key";
  key_id.redact_prefix = 4;
  key_id.identifier = [](std::string_view secret, std::string_view) { return std::string(secret); };
  return {token, key_id};
}

constexpr std::string_view kToken = "tkn_Zq8Lw3Nx5Pv7Rt9Ys2Ab";
constexpr std::string_view kKeyId = "AKIAQWERTYUIOPASDF23";
constexpr std::string_view kSecretKey = "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";

class Pipeline : public ::testing::Test {
 protected:
  ScanResult scan(const std::vector<std::pair<std::string, std::string>>& blobs, PipelineOptions options = {}) {
    if (options.fingerprint_key.empty()) options.fingerprint_key = "test-key";
    auto scanner = Scanner::build(test_rules());
    EXPECT_TRUE(scanner.ok());
    ScanPipeline pipeline(*scanner, options);
    for (const auto& [path, content] : blobs) pipeline.blob(BlobInfo{path, "", "", "", std::nullopt}, content);
    return pipeline.finish();
  }
};

TEST_F(Pipeline, ReportsLineColumnAndRedactedForm) {
  const ScanResult result = scan({{"app/config.py", "import os\n\nTOKEN = \"" + std::string(kToken) + "\"\n"}});
  ASSERT_EQ(result.exposures.size(), 1u);
  const core::Exposure& exposure = result.exposures[0];
  EXPECT_EQ(exposure.rule_id, "test.token");
  EXPECT_EQ(exposure.redacted, "tkn_…s2Ab");
  EXPECT_EQ(exposure.fingerprint, fingerprint("test-key", kToken));
  ASSERT_EQ(exposure.locations.size(), 1u);
  EXPECT_EQ(exposure.locations[0].path, "app/config.py");
  EXPECT_EQ(exposure.locations[0].line, 3);
  EXPECT_EQ(exposure.locations[0].column, 10);
}

TEST_F(Pipeline, SameSecretInTwoFilesIsOneExposure) {
  const std::string line = "token: " + std::string(kToken) + "\n";
  const ScanResult result = scan({{"a.yaml", line}, {"b.yaml", "\n" + line}});
  ASSERT_EQ(result.exposures.size(), 1u);
  ASSERT_EQ(result.exposures[0].locations.size(), 2u);
  EXPECT_EQ(result.exposures[0].locations[1].path, "b.yaml");
  EXPECT_EQ(result.exposures[0].locations[1].line, 2);
}

TEST_F(Pipeline, FindsBase64WrappedToken) {
  // base64 of "token=tkn_Zq8Lw3Nx5Pv7Rt9Ys2Ab\n"
  const ScanResult result = scan({{"ci.yml", "env:\n  BLOB: dG9rZW49dGtuX1pxOEx3M054NVB2N1J0OVlzMkFiCg==\n"}});
  ASSERT_EQ(result.exposures.size(), 1u);
  EXPECT_EQ(result.exposures[0].fingerprint, fingerprint("test-key", kToken));
  EXPECT_EQ(result.exposures[0].locations[0].encoding, "base64");
  EXPECT_EQ(result.exposures[0].locations[0].line, 2);
}

TEST_F(Pipeline, FindsTokenInUtf16Text) {
  std::string utf16 = "\xff\xfe";
  for (char c : std::string("token ") + std::string(kToken)) {
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  utf16 += std::string("\xc6\x30\xb9\x30\xc8\x30\r\0\n\0", 10);  // "テスト" and CRLF
  const ScanResult result = scan({{"notes.txt", utf16}});
  ASSERT_EQ(result.exposures.size(), 1u);
  EXPECT_EQ(result.exposures[0].locations[0].encoding, "utf-16le");
}

TEST_F(Pipeline, FindsTokenBetweenCjkCharacters) {
  const ScanResult result = scan({{"readme.md", "密钥：" + std::string(kToken) + "。\n"}});
  ASSERT_EQ(result.exposures.size(), 1u);
  EXPECT_EQ(result.exposures[0].fingerprint, fingerprint("test-key", kToken));
}

TEST_F(Pipeline, PairsUnlabeledKeyIdAndSecretOnAdjacentLines) {
  const std::string text = std::string(kKeyId) + "\n" + std::string(kSecretKey) + "\n";
  const ScanResult result = scan({{"creds.txt", text}});
  ASSERT_EQ(result.exposures.size(), 2u);
  const auto key = std::find_if(result.exposures.begin(), result.exposures.end(),
                                [](const core::Exposure& e) { return e.rule_id == "test.aws_key_id"; });
  const auto secret = std::find_if(result.exposures.begin(), result.exposures.end(),
                                   [](const core::Exposure& e) { return e.rule_id == "aws.secret_access_key.paired"; });
  ASSERT_NE(key, result.exposures.end());
  ASSERT_NE(secret, result.exposures.end());
  EXPECT_EQ(key->identifier, kKeyId);
  EXPECT_EQ(key->paired_fingerprint, secret->fingerprint);
  EXPECT_EQ(secret->locations[0].line, 2);
}

TEST_F(Pipeline, GitCommitIdIsNotAPairedSecret) {
  const std::string text = std::string(kKeyId) + "\ncommit 3f786850e387550fdab836ed7e6dc881de23001b\n";
  const ScanResult result = scan({{"log.txt", text}});
  ASSERT_EQ(result.exposures.size(), 1u);
  EXPECT_TRUE(result.exposures[0].paired_fingerprint.empty());
}

TEST_F(Pipeline, AllowCommentSuppressesItsLine) {
  const ScanResult result = scan({{"t.py", "TOKEN = \"" + std::string(kToken) + "\"  # keyward:allow\n"}});
  EXPECT_TRUE(result.exposures.empty());
  EXPECT_EQ(result.suppressed, 1u);
}

TEST_F(Pipeline, BinaryBlobIsScannedAsPrintableRuns) {
  std::string binary(4096, '\0');
  for (std::size_t i = 0; i < binary.size(); i += 7) binary[i] = static_cast<char>(i % 251);
  binary.replace(2000, kToken.size() + 2, " " + std::string(kToken) + " ");
  const ScanResult result = scan({{"app.bin", binary}});
  EXPECT_EQ(result.binary_blobs, 1u);
  ASSERT_EQ(result.exposures.size(), 1u);
  EXPECT_EQ(result.exposures[0].locations[0].encoding, "binary");
}

TEST_F(Pipeline, CanaryNeverInResult) {
  const ScanResult result = scan({{"a.env", "TOKEN=" + std::string(kToken) + "\n" + std::string(kKeyId) + "\n" +
                                                std::string(kSecretKey) + "\n"}});
  ASSERT_FALSE(result.exposures.empty());
  std::string dumped;
  for (const auto& e : result.exposures) {
    dumped += e.fingerprint + e.redacted + e.identifier + e.join_key + e.paired_fingerprint + e.rule_id;
    for (const auto& l : e.locations) dumped += l.path + l.encoding;
  }
  EXPECT_EQ(dumped.find(kToken), std::string::npos);
  EXPECT_EQ(dumped.find(kSecretKey), std::string::npos);
}

TEST(ParallelScanTest, MergesWorkersLikeOneThread) {
  auto scanner = Scanner::build(test_rules());
  ASSERT_TRUE(scanner.ok());
  PipelineOptions options;
  options.fingerprint_key = "k";
  ParallelScan parallel(*scanner, options, 2);
  ScanPipeline single(*scanner, options);
  for (int i = 0; i < 200; ++i) {
    const std::string path = "f" + std::to_string(1000 + i);
    const std::string content = "x\ntoken " + std::string(kToken) + "\nother tkn_ABCDEFGHIJ01234567" +
                                std::to_string(10 + i % 50) + "\n";
    parallel.blob(BlobInfo{path, "", "", "", std::nullopt}, content);
    single.blob(BlobInfo{path, "", "", "", std::nullopt}, content);
  }
  const ScanResult a = parallel.finish();
  const ScanResult b = single.finish();
  ASSERT_EQ(a.exposures.size(), b.exposures.size());
  EXPECT_EQ(a.exposures.size(), 51u);
  for (std::size_t i = 0; i < a.exposures.size(); ++i) {
    EXPECT_EQ(a.exposures[i].fingerprint, b.exposures[i].fingerprint);
    EXPECT_EQ(a.exposures[i].locations.size(), b.exposures[i].locations.size());
  }
  EXPECT_EQ(a.blobs, 200u);
}

}  // namespace
}  // namespace keyward::secrets
