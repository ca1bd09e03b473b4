#include "secrets/input/git_history.hpp"

#include <fmt/format.h>
#include <git2.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "secrets/input/archive_reader.hpp"
#include "secrets/input/commit_order.hpp"
#include "secrets/input/file_reader.hpp"
#include "secrets/input/oid_set.hpp"

namespace keyward::secrets {

namespace {

struct GitFree {
  void operator()(git_repository* p) const { git_repository_free(p); }
  void operator()(git_odb* p) const { git_odb_free(p); }
  void operator()(git_commit* p) const { git_commit_free(p); }
  void operator()(git_tree* p) const { git_tree_free(p); }
  void operator()(git_blob* p) const { git_blob_free(p); }
  void operator()(git_object* p) const { git_object_free(p); }
  void operator()(git_reference* p) const { git_reference_free(p); }
  void operator()(git_reference_iterator* p) const { git_reference_iterator_free(p); }
  void operator()(git_reflog* p) const { git_reflog_free(p); }
};
template <class T>
using GitPtr = std::unique_ptr<T, GitFree>;

// libgit2 must be initialized before any other call. The function-local static does that once per
// process and calls git_libgit2_shutdown at exit.
class Libgit2Library {
 public:
  Libgit2Library() { git_libgit2_init(); }
  ~Libgit2Library() { git_libgit2_shutdown(); }
  Libgit2Library(const Libgit2Library&) = delete;
  Libgit2Library& operator=(const Libgit2Library&) = delete;
};

void ensure_libgit2() { static const Libgit2Library library; }

std::string git_message() {
  const git_error* error = git_error_last();
  return error != nullptr && error->message != nullptr ? error->message : "unknown libgit2 error";
}

std::string oid_hex(const git_oid& id) {
  char text[GIT_OID_HEXSZ + 1];
  git_oid_tostr(text, sizeof text, &id);
  return text;
}

// The commit that introduces the blobs found in its tree; empty for a tree or blob that a tag
// points at directly.
struct CommitContext {
  std::string id;
  std::string author;
  std::optional<core::UnixTime> time;
};

class HistoryScanner {
 public:
  HistoryScanner(git_repository* repository, git_odb* odb, std::string label, std::string ignore_prefix,
                 const WalkOptions& options, BlobSink& sink)
      : repository_(repository),
        odb_(odb),
        label_(std::move(label)),
        ignore_prefix_(std::move(ignore_prefix)),
        options_(options),
        sink_(sink) {}

  void run();

 private:
  struct Pending {
    git_oid id;
    std::string path;
  };

  void collect_tips();
  void add_reference(git_reference* reference);
  void add_reflog(const char* reference_name);
  void scan_commit(const git_oid& id);
  void scan_tree(const git_oid& root, const std::string& root_path, const CommitContext& commit);
  void scan_blob(const git_oid& id, const std::string& path, const CommitContext& commit);
  bool ignored(const std::string& path) const;
  std::string where(const CommitContext& commit, const std::string& path) const;

  git_repository* repository_;
  git_odb* odb_;
  std::string label_;
  std::string ignore_prefix_;
  const WalkOptions& options_;
  BlobSink& sink_;
  OidSet seen_trees_;
  OidSet seen_blobs_;
  std::vector<git_oid> tips_;          // commits that references, HEAD and the stash reflog point at
  std::vector<Pending> tagged_trees_;  // references that peel to a tree, not a commit
  std::vector<Pending> tagged_blobs_;  // references that peel to a blob
};

void HistoryScanner::run() {
  collect_tips();
  const auto report = [this](const git_oid& id, const std::string& message) {
    sink_.not_scanned(label_ + " " + oid_hex(id), fmt::format("git commit could not be read: {}; the history "
                                                              "behind it was not scanned", message));
  };
  for (const git_oid& id : order_commits(repository_, tips_, report)) scan_commit(id);

  const CommitContext no_commit;
  for (const Pending& tree : tagged_trees_) scan_tree(tree.id, "", no_commit);
  for (const Pending& blob : tagged_blobs_) {
    if (seen_blobs_.insert(blob.id.id)) scan_blob(blob.id, blob.path, no_commit);
  }
}

// Collects the commit of every reference (branches, tags, remotes, notes, stash) and HEAD, which
// is not under refs/ when detached. Older stashes are only in the stash reflog.
void HistoryScanner::collect_tips() {
  git_reference_iterator* raw_iterator = nullptr;
  if (git_reference_iterator_new(&raw_iterator, repository_) != 0) {
    sink_.not_scanned(label_, fmt::format("git references could not be listed: {}", git_message()));
  } else {
    const GitPtr<git_reference_iterator> iterator(raw_iterator);
    git_reference* raw_reference = nullptr;
    int status = 0;
    while ((status = git_reference_next(&raw_reference, iterator.get())) == 0) {
      const GitPtr<git_reference> reference(raw_reference);
      add_reference(reference.get());
    }
    if (status != GIT_ITEROVER) {
      sink_.not_scanned(label_, fmt::format("git references could not be listed: {}; the history of the rest of them "
                                            "was not scanned", git_message()));
    }
  }
  add_reflog("refs/stash");

  git_oid head;
  const int status = git_reference_name_to_id(&head, repository_, "HEAD");
  if (status == 0) {
    tips_.push_back(head);
  } else if (status != GIT_ENOTFOUND && status != GIT_EUNBORNBRANCH) {
    sink_.not_scanned(label_ + " HEAD", fmt::format("HEAD could not be resolved: {}", git_message()));
  }
}

void HistoryScanner::add_reference(git_reference* reference) {
  const std::string name = git_reference_name(reference);
  git_object* raw_target = nullptr;
  if (git_reference_peel(&raw_target, reference, GIT_OBJECT_ANY) != 0) {
    sink_.not_scanned(label_ + " " + name, fmt::format("git reference could not be resolved: {}; its history was "
                                                       "not scanned", git_message()));
    return;
  }
  const GitPtr<git_object> target(raw_target);
  const git_oid& id = *git_object_id(target.get());
  switch (git_object_type(target.get())) {
    case GIT_OBJECT_COMMIT:
      tips_.push_back(id);
      break;
    case GIT_OBJECT_TREE:
      tagged_trees_.push_back({id, name});
      break;
    case GIT_OBJECT_BLOB:
      tagged_blobs_.push_back({id, name});
      break;
    default:
      break;
  }
}

void HistoryScanner::add_reflog(const char* reference_name) {
  git_reflog* raw_reflog = nullptr;
  if (git_reflog_read(&raw_reflog, repository_, reference_name) != 0) return;  // no such reflog
  const GitPtr<git_reflog> reflog(raw_reflog);
  const std::size_t count = git_reflog_entrycount(reflog.get());
  for (std::size_t i = 0; i < count; ++i) {
    const git_oid* id = git_reflog_entry_id_new(git_reflog_entry_byindex(reflog.get(), i));
    if (id != nullptr && !git_oid_is_zero(id)) tips_.push_back(*id);
  }
}

void HistoryScanner::scan_commit(const git_oid& id) {
  git_commit* raw_commit = nullptr;
  if (git_commit_lookup(&raw_commit, repository_, &id) != 0) {
    sink_.not_scanned(label_ + " " + oid_hex(id), fmt::format("git commit could not be read: {}", git_message()));
    return;
  }
  const GitPtr<git_commit> commit(raw_commit);
  CommitContext context;
  context.id = oid_hex(id);
  if (const git_signature* author = git_commit_author(commit.get()); author != nullptr && author->email != nullptr) {
    context.author = author->email;
  }
  context.time = static_cast<core::UnixTime>(git_commit_time(commit.get()));
  scan_tree(*git_commit_tree_id(commit.get()), "", context);
}

// Walks a tree depth-first without recursion. A subtree whose id was walked before contains only
// blobs already seen, so it is skipped.
// NOTE: with path_ignored set, a tree walked at an ignored-in-part path is not walked again at
// another path where those entries would not be ignored.
void HistoryScanner::scan_tree(const git_oid& root, const std::string& root_path, const CommitContext& commit) {
  if (!seen_trees_.insert(root.id)) return;
  std::vector<Pending> stack{{root, root_path}};
  while (!stack.empty()) {
    const Pending current = std::move(stack.back());
    stack.pop_back();
    git_tree* raw_tree = nullptr;
    if (git_tree_lookup(&raw_tree, repository_, &current.id) != 0) {
      sink_.not_scanned(where(commit, current.path.empty() ? "/" : current.path),
                        fmt::format("git tree {} could not be read: {}", oid_hex(current.id), git_message()));
      continue;
    }
    const GitPtr<git_tree> tree(raw_tree);
    std::vector<Pending> subtrees;
    const std::size_t count = git_tree_entrycount(tree.get());
    for (std::size_t i = 0; i < count; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(tree.get(), i);
      const git_oid& id = *git_tree_entry_id(entry);
      std::string path = current.path.empty() ? git_tree_entry_name(entry)
                                              : current.path + "/" + git_tree_entry_name(entry);
      // Other entry types are submodule commits, whose content is in another repository.
      const git_object_t type = git_tree_entry_type(entry);
      if (type == GIT_OBJECT_TREE && !seen_trees_.contains(id.id) && !ignored(path)) {
        seen_trees_.insert(id.id);
        subtrees.push_back({id, std::move(path)});
      } else if (type == GIT_OBJECT_BLOB && !seen_blobs_.contains(id.id) && !ignored(path)) {
        seen_blobs_.insert(id.id);
        scan_blob(id, path, commit);
      }
    }
    std::move(subtrees.rbegin(), subtrees.rend(), std::back_inserter(stack));
  }
}

void HistoryScanner::scan_blob(const git_oid& id, const std::string& path, const CommitContext& commit) {
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&size, &type, odb_, &id) != 0) {
    sink_.not_scanned(where(commit, path), fmt::format("git blob {} could not be read: {}", oid_hex(id), git_message()));
    return;
  }
  if (size > options_.max_file_bytes) {
    sink_.not_scanned(where(commit, path), describe_too_large("git blob", size, options_.max_file_bytes));
    return;
  }
  git_blob* raw_blob = nullptr;
  if (git_blob_lookup(&raw_blob, repository_, &id) != 0) {
    sink_.not_scanned(where(commit, path), fmt::format("git blob {} could not be read: {}", oid_hex(id), git_message()));
    return;
  }
  const GitPtr<git_blob> blob(raw_blob);
  BlobInfo info;
  info.path = path;
  info.repository = label_;
  info.commit = commit.id;
  info.author = commit.author;
  info.commit_time = commit.time;
  const std::string_view content(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                                 static_cast<std::size_t>(git_blob_rawsize(blob.get())));
  scan_content(info, content, options_, sink_);
}

bool HistoryScanner::ignored(const std::string& path) const {
  return options_.path_ignored && options_.path_ignored(ignore_prefix_ + path);
}

// Names a place in history the way git does: "<repository> <commit>:<path>".
std::string HistoryScanner::where(const CommitContext& commit, const std::string& path) const {
  if (commit.id.empty()) return label_ + " " + path;
  return label_ + " " + commit.id + ":" + path;
}

}  // namespace

bool looks_like_git_directory(const std::filesystem::path& dir) {
  std::error_code error;
  return std::filesystem::is_regular_file(dir / "HEAD", error) && std::filesystem::is_directory(dir / "objects", error) &&
         std::filesystem::is_directory(dir / "refs", error);
}

void scan_git_history(const std::string& repository_path, const std::string& ignore_prefix,
                      const WalkOptions& options, BlobSink& sink) {
  ensure_libgit2();
  git_repository* raw_repository = nullptr;
  const int opened =
      git_repository_open_ext(&raw_repository, repository_path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
  // libgit2 1.5.1 returns the error of a config lookup made during its ownership check
  // ("config value 'safe.directory' was not found") in place of GIT_EOWNER.
  if (opened == GIT_EOWNER || (opened != 0 && git_message().find("safe.directory") != std::string::npos)) {
    sink.not_scanned(repository_path, fmt::format("git history could not be read: the repository is owned by another "
                                                  "user and git's safe.directory setting does not list it; run "
                                                  "`git config --global --add safe.directory {}` or scan as its owner",
                                                  repository_path));
    return;
  }
  if (opened != 0) {
    sink.not_scanned(repository_path, fmt::format("git history could not be read: {}; check that the repository is "
                                                  "intact (git fsck) and readable by this user", git_message()));
    return;
  }
  const GitPtr<git_repository> repository(raw_repository);
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repository.get()) != 0) {
    sink.not_scanned(repository_path, fmt::format("git object database could not be opened: {}", git_message()));
    return;
  }
  const GitPtr<git_odb> odb(raw_odb);
  HistoryScanner(repository.get(), odb.get(), repository_path, ignore_prefix, options, sink).run();
}

}  // namespace keyward::secrets
