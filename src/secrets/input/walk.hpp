#pragma once

// Reads scan inputs and hands their content to a BlobSink: regular files, directories
// (recursively, symlinks not followed), archives (zip, tar, tar.gz/.bz2/.xz/.zst, gz, nested up to
// a depth) detected by content, git repositories (every blob reachable from any ref, reported
// with the commit that introduced it) and streams such as stdin.

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "secrets/input/blob.hpp"

namespace keyward::secrets {

struct WalkOptions {
  std::uint64_t max_file_bytes = 512ull << 20;       // larger files are reported as not scanned
  int max_archive_depth = 4;                          // archives inside archives, counting the outer one
  std::uint64_t max_archive_bytes = 2ull << 30;       // uncompressed bytes read from one top-level archive
  std::uint64_t max_archive_entries = 200000;
  bool git_history = true;   // a directory holding a git repository also scans its history
  bool skip_git_directory = true;  // never walk .git/ as plain files
  // Returns true for a path (relative to the scan root, '/'-separated) that must be skipped:
  // the ignore file's patterns. Unset: nothing is skipped. It is asked about files and
  // directories (a skipped directory is not listed) and about paths in git history, prefixed with
  // the repository's path under the root. Paths inside archives are not asked about.
  std::function<bool(std::string_view path)> path_ignored;
};

// Scans one path of any kind. Returns an error only when the path itself does not exist or cannot
// be opened; problems inside it go to sink.not_scanned and the walk continues.
core::Status walk_path(const std::string& path, const WalkOptions& options, BlobSink& sink);

// Reads a whole stream (stdin) as one input named `name`; archives in it are opened as for files.
core::Status walk_stream(std::istream& stream, const std::string& name, const WalkOptions& options, BlobSink& sink);

}  // namespace keyward::secrets
