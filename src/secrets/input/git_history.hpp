#pragma once

// Git history as a scan input: every blob reachable from any reference, each scanned once and
// reported with the commit that introduced it. Reads the object database with libgit2.

#include <filesystem>
#include <string>

#include "secrets/input/blob.hpp"
#include "secrets/input/walk.hpp"

namespace keyward::secrets {

// True when `dir` is a git directory itself (a bare repository or a .git directory): it contains
// HEAD, objects/ and refs/.
bool looks_like_git_directory(const std::filesystem::path& dir);

// Scans the history of the repository at `repository_path` (a working tree with .git, a .git
// directory or a bare repository). Commits reachable from any reference, HEAD and the stash reflog
// are walked oldest first, so each blob is reported with the first commit whose tree contains it.
// `ignore_prefix` is the repository's path relative to the scan root ("" at the root, else ending
// in '/'), put in front of each history path passed to options.path_ignored. Damage goes to
// sink.not_scanned.
void scan_git_history(const std::string& repository_path, const std::string& ignore_prefix,
                      const WalkOptions& options, BlobSink& sink);

}  // namespace keyward::secrets
