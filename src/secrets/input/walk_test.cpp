#include "secrets/input/walk.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "secrets/input/input_test_support.hpp"

namespace keyward::secrets {
namespace {

using input_testing::CollectingSink;
using input_testing::TempDir;
using input_testing::write_file;

TEST(WalkPath, RegularFileIsOneBlob) {
  TempDir dir;
  write_file(dir / "app.env", "API_TOKEN=abc123\n");
  CollectingSink sink;
  ASSERT_TRUE(walk_path((dir / "app.env").string(), {}, sink).ok());
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].info.path, (dir / "app.env").string());
  EXPECT_EQ(sink.blobs[0].content, "API_TOKEN=abc123\n");
  EXPECT_TRUE(sink.blobs[0].info.commit.empty());
  EXPECT_TRUE(sink.skipped.empty());
}

TEST(WalkPath, MissingPathIsNotFoundError) {
  TempDir dir;
  CollectingSink sink;
  const core::Status status = walk_path((dir / "nope.txt").string(), {}, sink);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, core::ErrorCode::not_found);
  EXPECT_EQ(status.error().file, (dir / "nope.txt").string());
  EXPECT_TRUE(sink.blobs.empty());
}

TEST(WalkPath, DirectoryIsWalkedInSortedOrder) {
  TempDir dir;
  write_file(dir / "b.txt", "b");
  write_file(dir / "a.txt", "a");
  write_file(dir / "c" / "z.txt", "z");
  write_file(dir / "c" / "d" / "e.txt", "e");
  write_file(dir / "ca.txt", "ca");
  CollectingSink sink;
  ASSERT_TRUE(walk_path(dir.path().string(), {}, sink).ok());
  const std::string root = dir.path().generic_string();
  const std::vector<std::string> expected = {root + "/a.txt", root + "/b.txt", root + "/c/d/e.txt", root + "/c/z.txt",
                                             root + "/ca.txt"};
  EXPECT_EQ(sink.paths(), expected);
  EXPECT_TRUE(sink.skipped.empty());
}

TEST(WalkPath, IgnoreCallbackSeesRelativePathsAndSkips) {
  TempDir dir;
  write_file(dir / "keep.txt", "keep");
  write_file(dir / "vendor" / "lib.txt", "vendored");
  write_file(dir / "src" / "skip.txt", "skipped");
  write_file(dir / "src" / "main.txt", "main");
  std::vector<std::string> queried;
  WalkOptions options;
  options.path_ignored = [&](std::string_view path) {
    queried.emplace_back(path);
    return path == "vendor" || path == "src/skip.txt";
  };
  CollectingSink sink;
  ASSERT_TRUE(walk_path(dir.path().string(), options, sink).ok());
  const std::string root = dir.path().generic_string();
  const std::vector<std::string> expected = {root + "/keep.txt", root + "/src/main.txt"};
  EXPECT_EQ(sink.paths(), expected);
  // A skipped directory is queried once and nothing below it is listed.
  EXPECT_NE(std::find(queried.begin(), queried.end(), "vendor"), queried.end());
  EXPECT_EQ(std::find(queried.begin(), queried.end(), "vendor/lib.txt"), queried.end());
  EXPECT_NE(std::find(queried.begin(), queried.end(), "src/main.txt"), queried.end());
}

TEST(WalkPath, BinaryFileContentIsPassedWhole) {
  TempDir dir;
  const std::string binary("\x7F" "ELF\x02\x01\x00\x00token=abcdefgh\x00\xFF\xFE", 23);
  write_file(dir / "tool.bin", binary);
  CollectingSink sink;
  ASSERT_TRUE(walk_path(dir.path().string(), {}, sink).ok());
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].content, binary);
}

TEST(WalkPath, SymlinksAndFifosAreSkipped) {
  TempDir holder;
  const auto dir = holder / "walked";
  write_file(holder / "outside" / "outside.txt", "outside secret");
  write_file(dir / "real.txt", "real");
  std::filesystem::create_symlink(holder / "outside" / "outside.txt", dir / "link.txt");
  std::filesystem::create_directory_symlink(holder / "outside", dir / "linked-dir");
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0);
  CollectingSink sink;
  ASSERT_TRUE(walk_path(dir.string(), {}, sink).ok());
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].content, "real");
  EXPECT_TRUE(sink.skipped.empty());
}

TEST(WalkPath, OversizedFileIsNotScanned) {
  TempDir dir;
  write_file(dir / "big.log", std::string(100, 'x'));
  write_file(dir / "small.log", "ok");
  WalkOptions options;
  options.max_file_bytes = 50;
  CollectingSink sink;
  ASSERT_TRUE(walk_path(dir.path().string(), options, sink).ok());
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].content, "ok");
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, (dir / "big.log").generic_string());
  EXPECT_NE(sink.skipped[0].reason.find("100 bytes"), std::string::npos) << sink.skipped[0].reason;
  EXPECT_NE(sink.skipped[0].reason.find("--max-file-size"), std::string::npos) << sink.skipped[0].reason;
}

TEST(WalkPath, UnreadableFileIsNotScanned) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  TempDir dir;
  write_file(dir / "locked.txt", "locked");
  write_file(dir / "open.txt", "open");
  std::filesystem::permissions(dir / "locked.txt", std::filesystem::perms::none);
  CollectingSink sink;
  ASSERT_TRUE(walk_path(dir.path().string(), {}, sink).ok());
  ASSERT_EQ(sink.blobs.size(), 1u);
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, (dir / "locked.txt").generic_string());
}

TEST(WalkPath, GitDirectoryIsNotWalkedAsFiles) {
  TempDir dir;
  write_file(dir / "notes.txt", "notes");
  write_file(dir / ".git" / "config", "[core]\n");
  WalkOptions options;
  options.git_history = false;
  CollectingSink sink;
  ASSERT_TRUE(walk_path(dir.path().string(), options, sink).ok());
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].content, "notes");
}

TEST(WalkPath, GitDirectoryIsWalkedWhenNotSkipped) {
  TempDir dir;
  write_file(dir / ".git" / "config", "[core]\n");
  WalkOptions options;
  options.git_history = false;
  options.skip_git_directory = false;
  CollectingSink sink;
  ASSERT_TRUE(walk_path(dir.path().string(), options, sink).ok());
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].info.path, (dir / ".git" / "config").generic_string());
}

TEST(WalkStream, PlainStreamIsOneBlobNamedAsGiven) {
  std::istringstream input("password=hunter2hunter2\n");
  CollectingSink sink;
  ASSERT_TRUE(walk_stream(input, "-", {}, sink).ok());
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].info.path, "-");
  EXPECT_EQ(sink.blobs[0].content, "password=hunter2hunter2\n");
}

TEST(WalkStream, GzipStreamIsOpened) {
  std::istringstream input(input_testing::gzip_bytes("inner text\n"));
  CollectingSink sink;
  ASSERT_TRUE(walk_stream(input, "-", {}, sink).ok());
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].info.path, "-!data");
  EXPECT_EQ(sink.blobs[0].content, "inner text\n");
}

TEST(WalkStream, StreamOverMaxBytesIsNotScanned) {
  std::istringstream input(std::string(1000, 'y'));
  WalkOptions options;
  options.max_file_bytes = 999;
  CollectingSink sink;
  ASSERT_TRUE(walk_stream(input, "-", options, sink).ok());
  EXPECT_TRUE(sink.blobs.empty());
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, "-");
  EXPECT_NE(sink.skipped[0].reason.find("limit of 999 bytes"), std::string::npos) << sink.skipped[0].reason;
}

TEST(WalkStream, StreamOfExactlyMaxBytesIsRead) {
  std::istringstream input(std::string(999, 'y'));
  WalkOptions options;
  options.max_file_bytes = 999;
  CollectingSink sink;
  ASSERT_TRUE(walk_stream(input, "-", options, sink).ok());
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].content.size(), 999u);
}

}  // namespace
}  // namespace keyward::secrets
