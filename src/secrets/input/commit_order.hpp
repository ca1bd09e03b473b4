#pragma once

// Orders the commits of a repository for the history scan: parents before children, so the first
// commit whose tree contains a blob is the commit that introduced it. Unlike libgit2 1.5's
// revwalk, it works in shallow clones, whose oldest commits name parents that are not there.

#include <git2.h>

#include <functional>
#include <string>
#include <vector>

namespace keyward::secrets {

// Callback for a commit that could not be read, with its id and libgit2's message.
using CommitErrorHandler = std::function<void(const git_oid& id, const std::string& message)>;

// Returns every commit reachable from `tips`, each once, parents first and, among commits whose
// parents are all listed, oldest commit time first (ties by id). A parent missing from the object
// database is skipped: silently in a shallow clone, else reported to `on_error` like a commit
// that cannot be read.
std::vector<git_oid> order_commits(git_repository* repository, const std::vector<git_oid>& tips,
                                   const CommitErrorHandler& on_error);

}  // namespace keyward::secrets
