#include "ingest/input_reader.hpp"

#include <gtest/gtest.h>
#include <libdeflate.h>

#include <filesystem>
#include <fstream>

namespace keyward::ingest {
namespace {

std::string gzip(const std::string& data) {
  libdeflate_compressor* compressor = libdeflate_alloc_compressor(6);
  std::string out(libdeflate_gzip_compress_bound(compressor, data.size()), '\0');
  out.resize(libdeflate_gzip_compress(compressor, data.data(), data.size(), out.data(), out.size()));
  libdeflate_free_compressor(compressor);
  return out;
}

TEST(Gunzip, ReadsConcatenatedMembers) {
  auto result = gunzip(gzip("{\"a\":1}\n") + gzip("{\"b\":2}\n"), 1 << 20);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, "{\"a\":1}\n{\"b\":2}\n");
}

TEST(Gunzip, RejectsTruncatedStream) {
  const std::string compressed = gzip(std::string(100000, 'x'));
  auto result = gunzip(compressed.substr(0, compressed.size() / 2), 1 << 20);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("truncated"), std::string::npos);
}

TEST(Gunzip, StopsAtSizeLimit) {
  auto result = gunzip(gzip(std::string(1 << 20, 'x')), 1 << 16);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, core::ErrorCode::limit_exceeded);
}

TEST(ExpandPaths, OrdersCloudTrailByDeliveryTime) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("keyward-expand-" + std::to_string(::getpid()));
  fs::remove_all(root);
  const std::vector<std::string> names = {
      "eu-west-1/111122223333_CloudTrail_eu-west-1_20261102T1000Z_abc.json.gz",
      "us-east-1/111122223333_CloudTrail_us-east-1_20261102T0900Z_def.json.gz",
      "authz.json",
  };
  for (const auto& name : names) {
    fs::create_directories((root / name).parent_path());
    std::ofstream(root / name) << "{}";
  }
  fs::create_directories(root / ".hidden");
  std::ofstream(root / ".hidden" / "skip.json") << "{}";

  auto files = expand_paths({root.string()});
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0], (root / names[2]).string());
  EXPECT_EQ(files[1], (root / names[1]).string());
  EXPECT_EQ(files[2], (root / names[0]).string());
  fs::remove_all(root);
}

TEST(Sha256, MatchesKnownDigest) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace keyward::ingest
