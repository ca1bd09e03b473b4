#pragma once

// Test helpers for the input walkers: a sink that records what it receives, archives built in
// memory with libarchive's writer, and a git command runner for repositories made in a test.

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "secrets/input/blob.hpp"
#include "tests/cli_harness.hpp"

namespace keyward::secrets::input_testing {

using keyward::testing::read_file;
using keyward::testing::TempDir;
using keyward::testing::write_file;

struct CollectedBlob {
  BlobInfo info;
  std::string content;
};

struct SkippedInput {
  std::string path;
  std::string reason;
};

class CollectingSink : public BlobSink {
 public:
  void blob(const BlobInfo& info, std::string_view content) override { blobs.push_back({info, std::string(content)}); }
  void not_scanned(const std::string& path, const std::string& reason) override { skipped.push_back({path, reason}); }

  const CollectedBlob* find(std::string_view path) const {
    for (const auto& blob : blobs) {
      if (blob.info.path == path) return &blob;
    }
    return nullptr;
  }

  std::vector<const CollectedBlob*> containing(std::string_view needle) const {
    std::vector<const CollectedBlob*> found;
    for (const auto& blob : blobs) {
      if (blob.content.find(needle) != std::string::npos) found.push_back(&blob);
    }
    return found;
  }

  std::vector<std::string> paths() const {
    std::vector<std::string> result;
    for (const auto& blob : blobs) result.push_back(blob.info.path);
    return result;
  }

  const SkippedInput* skipped_starting_with(std::string_view prefix) const {
    for (const auto& item : skipped) {
      if (item.path.starts_with(prefix)) return &item;
    }
    return nullptr;
  }

  std::vector<CollectedBlob> blobs;
  std::vector<SkippedInput> skipped;
};

struct ArchiveMember {
  std::string name;
  std::string content;
};

// Builds an archive in memory. `format` is "zip", "ustar", "7zip" or "raw" (one member, no
// name); `filter` is "none", "gzip", "bzip2", "xz" or "zstd". `options` go to
// archive_write_set_options, e.g. "zip:encryption=zipcrypt" with a passphrase.
inline std::string make_archive(const std::vector<ArchiveMember>& members, const std::string& format,
                                const std::string& filter = "none", const std::string& options = "",
                                const std::string& passphrase = "") {
  std::string output;
  archive* writer = archive_write_new();
  EXPECT_EQ(archive_write_set_format_by_name(writer, format.c_str()), ARCHIVE_OK) << archive_error_string(writer);
  if (filter != "none") {
    EXPECT_EQ(archive_write_add_filter_by_name(writer, filter.c_str()), ARCHIVE_OK) << archive_error_string(writer);
  }
  if (!options.empty()) {
    EXPECT_EQ(archive_write_set_options(writer, options.c_str()), ARCHIVE_OK) << archive_error_string(writer);
  }
  if (!passphrase.empty()) archive_write_set_passphrase(writer, passphrase.c_str());
  archive_write_set_bytes_in_last_block(writer, 1);
  const auto write_callback = [](archive*, void* client, const void* buffer, size_t length) -> la_ssize_t {
    static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
    return static_cast<la_ssize_t>(length);
  };
  EXPECT_EQ(archive_write_open(writer, &output, nullptr, write_callback, nullptr), ARCHIVE_OK)
      << archive_error_string(writer);
  for (const auto& member : members) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, member.name.c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(member.content.size()));
    EXPECT_EQ(archive_write_header(writer, entry), ARCHIVE_OK) << archive_error_string(writer);
    EXPECT_EQ(archive_write_data(writer, member.content.data(), member.content.size()),
              static_cast<la_ssize_t>(member.content.size()));
    archive_entry_free(entry);
  }
  EXPECT_EQ(archive_write_close(writer), ARCHIVE_OK) << archive_error_string(writer);
  archive_write_free(writer);
  return output;
}

// Returns the gzip compression of `content`, as `gzip` would write a single file.
inline std::string gzip_bytes(const std::string& content) { return make_archive({{"data", content}}, "raw", "gzip"); }

// Runs a shell command and returns its exit code. Git reads no user or system configuration, so
// tests do not depend on the machine.
inline int run_command(const std::string& command) {
  const std::string full = "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null " + command + " >/dev/null 2>&1";
  return std::system(full.c_str());
}

inline std::string command_output(const std::string& command, const std::filesystem::path& scratch) {
  const auto out = scratch / ".command-output";
  const std::string full = "GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null " + command + " >'" + out.string() + "'";
  EXPECT_EQ(std::system(full.c_str()), 0) << command;
  std::string text = read_file(out);
  std::filesystem::remove(out);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace keyward::secrets::input_testing
