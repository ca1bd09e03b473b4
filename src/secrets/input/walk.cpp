#include "secrets/input/walk.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <system_error>
#include <vector>

#include "secrets/input/archive_reader.hpp"
#include "secrets/input/file_reader.hpp"
#include "secrets/input/git_history.hpp"

namespace keyward::secrets {

namespace {

namespace fs = std::filesystem;

// Hands a file's content on, or reports to the sink why it was not scanned.
void scan_file(const std::string& path, const BoundedRead& read, const WalkOptions& options, BlobSink& sink) {
  switch (read.outcome) {
    case BoundedRead::Outcome::read: {
      BlobInfo info;
      info.path = path;
      scan_content(info, read.content, options, sink);
      return;
    }
    case BoundedRead::Outcome::too_large:
      sink.not_scanned(path, describe_too_large("file", read.size, options.max_file_bytes));
      return;
    case BoundedRead::Outcome::failed:
      sink.not_scanned(path, fmt::format("file could not be read: {}", read.error));
      return;
    case BoundedRead::Outcome::not_regular:
      return;  // a FIFO, socket or device found while walking: not content
  }
}

// Walks a directory tree in sorted order (by byte value of the names), depth first, without
// recursion and without following symlinks.
class DirectoryWalker {
 public:
  DirectoryWalker(const WalkOptions& options, BlobSink& sink) : options_(options), sink_(sink) {}

  core::Status run(const std::string& root);

 private:
  struct Pending {
    fs::path path;
    std::string relative;  // '/'-separated, relative to the root
    bool is_directory = false;
  };

  std::error_code list_directory(const Pending& directory, std::vector<Pending>& stack);
  bool ignored(const std::string& relative) const {
    return options_.path_ignored && options_.path_ignored(relative);
  }

  const WalkOptions& options_;
  BlobSink& sink_;
};

core::Status DirectoryWalker::run(const std::string& root) {
  std::vector<Pending> stack;
  if (const std::error_code error = list_directory(Pending{fs::path(root), "", true}, stack)) {
    return core::Error{core::ErrorCode::io_error,
                       fmt::format("directory could not be read: {}; check that this user may read it", error.message()),
                       root};
  }
  while (!stack.empty()) {
    const Pending current = std::move(stack.back());
    stack.pop_back();
    if (current.is_directory) {
      list_directory(current, stack);
      continue;
    }
    const std::string path = current.path.generic_string();
    scan_file(path, read_file_bounded(path, options_.max_file_bytes, false), options_, sink_);
  }
  return {};
}

// Pushes the directory's files and subdirectories onto `stack` so they pop in sorted order, and
// scans the history of a repository found here. Returns the error when the directory cannot be
// read, which is also reported to the sink unless the directory is the root.
std::error_code DirectoryWalker::list_directory(const Pending& directory, std::vector<Pending>& stack) {
  std::error_code list_error;
  fs::directory_iterator iterator(directory.path, fs::directory_options::none, list_error);
  const std::string directory_name = directory.path.generic_string();
  if (list_error) {
    if (!directory.relative.empty()) {
      sink_.not_scanned(directory_name, fmt::format("directory could not be read: {}", list_error.message()));
    }
    return list_error;
  }

  std::vector<Pending> children;
  bool has_git = false;
  for (; !list_error && iterator != fs::directory_iterator(); iterator.increment(list_error)) {
    const fs::directory_entry& entry = *iterator;
    const std::string name = entry.path().filename().string();
    const std::string relative = directory.relative.empty() ? name : directory.relative + "/" + name;
    std::error_code status_error;
    const fs::file_status status = entry.symlink_status(status_error);
    if (status_error) {
      sink_.not_scanned(entry.path().generic_string(), fmt::format("file could not be read: {}", status_error.message()));
      continue;
    }
    if (name == ".git") {
      has_git = true;
      if (options_.skip_git_directory) continue;
    }
    // Symlinks, FIFOs, sockets and devices are skipped: they are not file content of their own.
    const bool is_directory = fs::is_directory(status);
    if (!is_directory && !fs::is_regular_file(status)) continue;
    if (ignored(relative)) continue;
    children.push_back(Pending{entry.path(), relative, is_directory});
  }
  if (list_error) {
    sink_.not_scanned(directory_name, fmt::format("directory could not be listed in full: {}", list_error.message()));
  }

  if (has_git && options_.git_history) {
    const std::string prefix = directory.relative.empty() ? "" : directory.relative + "/";
    scan_git_history(directory_name, prefix, options_, sink_);
  }
  std::sort(children.begin(), children.end(),
            [](const Pending& a, const Pending& b) { return a.path.filename().native() > b.path.filename().native(); });
  std::move(children.begin(), children.end(), std::back_inserter(stack));
  return {};
}

}  // namespace

core::Status walk_path(const std::string& path, const WalkOptions& options, BlobSink& sink) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  // A missing path sets `error` too, with the status not_found.
  if (status.type() == fs::file_type::not_found) return core::Error{core::ErrorCode::not_found, "path not found", path};
  if (error) {
    return core::Error{core::ErrorCode::io_error, fmt::format("path could not be read: {}", error.message()), path};
  }

  if (fs::is_directory(status)) {
    if (looks_like_git_directory(path) && (options.git_history || options.skip_git_directory)) {
      if (options.git_history) {
        scan_git_history(path, "", options, sink);
      } else {
        sink.not_scanned(path, "path is a bare repository or .git directory, and git history scanning is off "
                               "(--no-history); scan it without --no-history");
      }
      return {};
    }
    return DirectoryWalker(options, sink).run(path);
  }

  const BoundedRead read = read_file_bounded(path, options.max_file_bytes, true);
  if (read.outcome == BoundedRead::Outcome::failed) {
    return core::Error{core::ErrorCode::io_error, fmt::format("file could not be read: {}", read.error), path};
  }
  if (read.outcome == BoundedRead::Outcome::not_regular) {
    return core::Error{core::ErrorCode::invalid_argument,
                       "path is a socket or block device, not a file or directory; name a file or directory", path};
  }
  scan_file(path, read, options, sink);
  return {};
}

core::Status walk_stream(std::istream& stream, const std::string& name, const WalkOptions& options, BlobSink& sink) {
  const BoundedRead read = read_stream_bounded(stream, options.max_file_bytes);
  if (read.outcome == BoundedRead::Outcome::failed) {
    return core::Error{core::ErrorCode::io_error, fmt::format("input could not be read: {}", read.error), name};
  }
  scan_file(name, read, options, sink);
  return {};
}

}  // namespace keyward::secrets
