#include "secrets/input/archive_reader.hpp"

#include <gtest/gtest.h>

#include "secrets/input/input_test_support.hpp"
#include "secrets/input/walk.hpp"

namespace keyward::secrets {
namespace {

using input_testing::ArchiveMember;
using input_testing::CollectingSink;
using input_testing::make_archive;
using input_testing::TempDir;
using input_testing::write_file;

// Content of fake secrets in the tests below; reasons given to not_scanned must never contain it.
constexpr std::string_view kCanary = "CANARY-SECRET-7f3a9c";

BlobInfo named(const std::string& path) {
  BlobInfo info;
  info.path = path;
  return info;
}

TEST(ArchiveMagic, DetectsFormatsByContent) {
  EXPECT_TRUE(looks_like_archive(make_archive({{"a.txt", "a"}}, "zip")));
  EXPECT_TRUE(looks_like_archive(make_archive({{"a.txt", "a"}}, "ustar")));
  EXPECT_TRUE(looks_like_archive(make_archive({{"a.txt", "a"}}, "ustar", "gzip")));
  EXPECT_TRUE(looks_like_archive(make_archive({{"a.txt", "a"}}, "ustar", "bzip2")));
  EXPECT_TRUE(looks_like_archive(make_archive({{"a.txt", "a"}}, "ustar", "xz")));
  EXPECT_TRUE(looks_like_archive(make_archive({{"a.txt", "a"}}, "ustar", "zstd")));
  EXPECT_TRUE(looks_like_archive(make_archive({{"a.txt", "a"}}, "7zip")));
  EXPECT_FALSE(looks_like_archive("BZh9 is how this note starts, but it is text"));
  EXPECT_FALSE(looks_like_archive("PK is a plain word"));
  EXPECT_FALSE(looks_like_archive(""));
}

TEST(ArchiveReader, ZipEntriesAreBlobsWithBangPaths) {
  const std::string zip = make_archive({{"config/app.env", "TOKEN=one"}, {"readme.md", "hello"}}, "zip");
  CollectingSink sink;
  scan_content(named("bundle.zip"), zip, {}, sink);
  ASSERT_EQ(sink.blobs.size(), 2u);
  EXPECT_EQ(sink.blobs[0].info.path, "bundle.zip!config/app.env");
  EXPECT_EQ(sink.blobs[0].content, "TOKEN=one");
  EXPECT_EQ(sink.blobs[1].info.path, "bundle.zip!readme.md");
  EXPECT_TRUE(sink.skipped.empty());
}

TEST(ArchiveReader, TarAndCompressedTarsAreOpened) {
  for (const std::string filter : {"none", "gzip", "bzip2", "xz", "zstd"}) {
    SCOPED_TRACE(filter);
    const std::string tar = make_archive({{"etc/key.txt", std::string(kCanary)}}, "ustar", filter);
    CollectingSink sink;
    scan_content(named("backup.tar"), tar, {}, sink);
    ASSERT_EQ(sink.blobs.size(), 1u);
    EXPECT_EQ(sink.blobs[0].info.path, "backup.tar!etc/key.txt");
    EXPECT_EQ(sink.blobs[0].content, kCanary);
    EXPECT_TRUE(sink.skipped.empty());
  }
}

TEST(ArchiveReader, SevenZipIsOpened) {
  const std::string archive = make_archive({{"notes.txt", "seven zip content"}}, "7zip");
  CollectingSink sink;
  scan_content(named("notes.7z"), archive, {}, sink);
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].info.path, "notes.7z!notes.txt");
  EXPECT_EQ(sink.blobs[0].content, "seven zip content");
}

TEST(ArchiveReader, GzipOfPlainFileIsOneEntry) {
  CollectingSink sink;
  scan_content(named("logs/app.log.gz"), input_testing::gzip_bytes("line one\nline two\n"), {}, sink);
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].info.path, "logs/app.log.gz!app.log");
  EXPECT_EQ(sink.blobs[0].content, "line one\nline two\n");
}

TEST(ArchiveReader, ZipInsideTarGzIsOpened) {
  const std::string inner = make_archive({{"x.txt", std::string(kCanary)}}, "zip");
  const std::string outer = make_archive({{"readme.txt", "top"}, {"dir/inner.zip", inner}}, "ustar", "gzip");
  TempDir dir;
  write_file(dir / "outer.tar.gz", outer);
  CollectingSink sink;
  ASSERT_TRUE(walk_path((dir / "outer.tar.gz").string(), {}, sink).ok());
  const std::string base = (dir / "outer.tar.gz").string();
  ASSERT_EQ(sink.blobs.size(), 2u);
  EXPECT_EQ(sink.blobs[0].info.path, base + "!readme.txt");
  EXPECT_EQ(sink.blobs[1].info.path, base + "!dir/inner.zip!x.txt");
  EXPECT_EQ(sink.blobs[1].content, kCanary);
  EXPECT_TRUE(sink.skipped.empty());
}

TEST(ArchiveReader, DepthLimitStopsNestedArchive) {
  const std::string level3 = make_archive({{"deep.txt", "deep"}}, "zip");
  const std::string level2 = make_archive({{"mid.txt", "mid"}, {"c.zip", level3}}, "zip");
  const std::string level1 = make_archive({{"b.zip", level2}}, "zip");
  WalkOptions options;
  options.max_archive_depth = 2;
  CollectingSink sink;
  scan_content(named("a.zip"), level1, options, sink);
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].info.path, "a.zip!b.zip!mid.txt");
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, "a.zip!b.zip!c.zip");
  EXPECT_NE(sink.skipped[0].reason.find("limit of 2;"), std::string::npos) << sink.skipped[0].reason;

  options.max_archive_depth = 3;
  CollectingSink deeper;
  scan_content(named("a.zip"), level1, options, deeper);
  EXPECT_NE(deeper.find("a.zip!b.zip!c.zip!deep.txt"), nullptr);
  EXPECT_TRUE(deeper.skipped.empty());
}

TEST(ArchiveReader, EntryCountLimitKeepsEarlierEntries) {
  std::vector<ArchiveMember> members;
  for (int i = 0; i < 10; ++i) members.push_back({"file" + std::to_string(i) + ".txt", "content"});
  WalkOptions options;
  options.max_archive_entries = 3;
  CollectingSink sink;
  scan_content(named("many.zip"), make_archive(members, "zip"), options, sink);
  ASSERT_EQ(sink.blobs.size(), 3u);
  EXPECT_EQ(sink.blobs[2].info.path, "many.zip!file2.txt");
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, "many.zip");
  EXPECT_NE(sink.skipped[0].reason.find("more than 3 entries"), std::string::npos) << sink.skipped[0].reason;
}

TEST(ArchiveReader, ZipBombStopsAtByteLimit) {
  const std::string megabyte(1u << 20, '\0');
  const std::string bomb = make_archive({{"a.bin", megabyte}, {"b.bin", megabyte}, {"c.bin", megabyte},
                                         {"d.bin", megabyte}}, "zip");
  ASSERT_LT(bomb.size(), 100000u);  // zeros compress well: the bytes come from decompression
  WalkOptions options;
  options.max_archive_bytes = (5u << 20) / 2;  // 2.5 MiB
  CollectingSink sink;
  scan_content(named("bomb.zip"), bomb, options, sink);
  ASSERT_EQ(sink.blobs.size(), 3u);
  EXPECT_EQ(sink.blobs[2].info.path, "bomb.zip!c.bin");
  EXPECT_EQ(sink.blobs[2].content.size(), (1u << 20) / 2);
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, "bomb.zip");
  EXPECT_NE(sink.skipped[0].reason.find("limit of 2621440 uncompressed bytes"), std::string::npos) << sink.skipped[0].reason;
}

TEST(ArchiveReader, NestedBombCountsAgainstTopLevelBudget) {
  const std::string megabyte(1u << 20, 'z');
  const std::string inner = make_archive({{"x.bin", megabyte}, {"y.bin", megabyte}}, "ustar", "gzip");
  const std::string outer = make_archive({{"one.tar.gz", inner}, {"two.tar.gz", inner}, {"three.tar.gz", inner}},
                                         "zip");
  WalkOptions options;
  options.max_archive_bytes = 3u << 20;
  CollectingSink sink;
  scan_content(named("outer.zip"), outer, options, sink);
  std::size_t total = 0;
  for (const auto& blob : sink.blobs) total += blob.content.size();
  EXPECT_LE(total, options.max_archive_bytes);
  EXPECT_NE(sink.find("outer.zip!one.tar.gz!x.bin"), nullptr);
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, "outer.zip");
}

TEST(ArchiveReader, EntryOverMaxFileBytesIsNotScanned) {
  const std::string zip = make_archive({{"big.txt", std::string(300, 'b')}, {"small.txt", "small"}}, "zip");
  WalkOptions options;
  options.max_file_bytes = 100;
  CollectingSink sink;
  scan_content(named("mixed.zip"), zip, options, sink);
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].info.path, "mixed.zip!small.txt");
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, "mixed.zip!big.txt");
  EXPECT_NE(sink.skipped[0].reason.find("300 bytes"), std::string::npos) << sink.skipped[0].reason;
}

TEST(ArchiveReader, DepthZeroOpensNoArchive) {
  WalkOptions options;
  options.max_archive_depth = 0;
  CollectingSink sink;
  scan_content(named("a.zip"), make_archive({{"a.txt", "a"}}, "zip"), options, sink);
  EXPECT_TRUE(sink.blobs.empty());
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, "a.zip");
  EXPECT_NE(sink.skipped[0].reason.find("--max-archive-depth is 0"), std::string::npos) << sink.skipped[0].reason;
}

TEST(ArchiveReader, GzipOverMaxFileBytesKeepsPrefix) {
  // A gzip stream does not record the size up front, so the limit is found while reading.
  WalkOptions options;
  options.max_file_bytes = 100;
  CollectingSink sink;
  scan_content(named("big.txt.gz"), input_testing::gzip_bytes(std::string(300, 'g')), options, sink);
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].info.path, "big.txt.gz!big.txt");
  EXPECT_EQ(sink.blobs[0].content, std::string(100, 'g'));
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, "big.txt.gz!big.txt");
  EXPECT_NE(sink.skipped[0].reason.find("first 100 bytes"), std::string::npos) << sink.skipped[0].reason;
}

TEST(ArchiveReader, TruncatedGzipKeepsEntriesReadBefore) {
  std::vector<ArchiveMember> members = {{"first.txt", std::string(kCanary)}};
  // Incompressible-looking filler so the second entry spans most of the compressed bytes.
  std::string filler;
  unsigned state = 12345;
  for (int i = 0; i < 200000; ++i) {
    state = state * 1103515245u + 12345u;
    filler.push_back(static_cast<char>('a' + (state >> 16) % 26));
  }
  members.push_back({"second.txt", filler});
  const std::string tar_gz = make_archive(members, "ustar", "gzip");
  const std::string truncated = tar_gz.substr(0, tar_gz.size() / 2);
  TempDir dir;
  write_file(dir / "cut.tar.gz", truncated);
  CollectingSink sink;
  ASSERT_TRUE(walk_path((dir / "cut.tar.gz").string(), {}, sink).ok());
  const std::string base = (dir / "cut.tar.gz").string();
  const auto* first = sink.find(base + "!first.txt");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->content, kCanary);
  ASSERT_FALSE(sink.skipped.empty());
  EXPECT_TRUE(sink.skipped[0].path.starts_with(base)) << sink.skipped[0].path;
  EXPECT_NE(sink.skipped[0].reason.find("truncated"), std::string::npos) << sink.skipped[0].reason;
  for (const auto& item : sink.skipped) EXPECT_EQ(item.reason.find(kCanary), std::string::npos);
}

TEST(ArchiveReader, GarbageZipIsNotScanned) {
  std::string garbage = "PK\x03\x04";
  for (int i = 0; i < 300; ++i) garbage.push_back(static_cast<char>((i * 37 + 11) & 0xFF));
  garbage += kCanary;
  CollectingSink sink;
  scan_content(named("broken.zip"), garbage, {}, sink);
  ASSERT_FALSE(sink.skipped.empty());
  EXPECT_TRUE(sink.skipped[0].path.starts_with("broken.zip")) << sink.skipped[0].path;
  EXPECT_FALSE(sink.skipped[0].reason.empty());
  for (const auto& item : sink.skipped) EXPECT_EQ(item.reason.find(kCanary), std::string::npos);
}

TEST(ArchiveReader, TruncatedZipKeepsEarlierEntries) {
  const std::string zip = make_archive({{"one.txt", "first entry"}, {"two.txt", std::string(5000, 't')}}, "zip");
  // Cut inside the second entry: the central directory is gone, so the zip is read as a stream.
  const std::size_t cut = zip.find("two.txt") + 40;
  CollectingSink sink;
  scan_content(named("cut.zip"), zip.substr(0, cut), {}, sink);
  const auto* first = sink.find("cut.zip!one.txt");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->content, "first entry");
  ASSERT_FALSE(sink.skipped.empty());
  EXPECT_TRUE(sink.skipped[0].path.starts_with("cut.zip")) << sink.skipped[0].path;
}

TEST(ArchiveReader, EncryptedZipEntryIsNotScanned) {
  const std::string zip = make_archive({{"secret.txt", std::string(kCanary)}}, "zip", "none",
                                       "zip:encryption=zipcrypt", "password1");
  CollectingSink sink;
  scan_content(named("locked.zip"), zip, {}, sink);
  EXPECT_TRUE(sink.containing(kCanary).empty());
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, "locked.zip!secret.txt");
  EXPECT_NE(sink.skipped[0].reason.find("encrypted"), std::string::npos) << sink.skipped[0].reason;
}

TEST(ArchiveReader, CarriesCommitFieldsToEntries) {
  BlobInfo info = named("deploy/bundle.zip");
  info.repository = "repo";
  info.commit = "0123456789abcdef0123456789abcdef01234567";
  info.author = "dev@example.com";
  info.commit_time = 1700000000;
  CollectingSink sink;
  scan_content(info, make_archive({{"a.txt", "a"}}, "zip"), {}, sink);
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].info.path, "deploy/bundle.zip!a.txt");
  EXPECT_EQ(sink.blobs[0].info.commit, info.commit);
  EXPECT_EQ(sink.blobs[0].info.author, info.author);
  EXPECT_EQ(sink.blobs[0].info.commit_time, info.commit_time);
}

}  // namespace
}  // namespace keyward::secrets
