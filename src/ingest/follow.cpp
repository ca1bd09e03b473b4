#include "ingest/follow.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "sources/source.hpp"

namespace keyward::ingest {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPositionPrefix = "watch.position.";

// The first 64 KiB of a file, what sources detect their format from.
std::string read_head(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

// True when the file is JSON lines: its first line is one complete JSON object. Such files grow
// by whole lines and are followed from the last position; every other file is a whole document.
bool is_json_lines(const std::string& path, const std::string& head) {
  if (path.ends_with(".gz") || path.ends_with(".csv")) return false;
  const size_t start = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (start == std::string::npos || head[start] != '{') return false;
  const size_t end_of_line = head.find('\n', start);
  if (end_of_line == std::string::npos) return false;
  const size_t last = head.find_last_not_of(" \t\r", end_of_line - 1);
  return last != std::string::npos && last > start && head[last] == '}';
}

// Lists the regular files under `path` (itself when it is a file), sorted so that files are
// taken in name order, which for dated log files is time order.
std::vector<std::string> files_under(const std::string& path, std::vector<core::Error>& errors) {
  std::vector<std::string> files;
  std::error_code error;
  if (fs::is_regular_file(path, error)) return {path};
  if (!fs::is_directory(path, error)) {
    errors.push_back(core::Error{core::ErrorCode::not_found, "not found or not a file or folder; check the path", path});
    return files;
  }
  for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file(error)) files.push_back(it->path().string());
  }
  if (error) errors.push_back(core::Error{core::ErrorCode::io_error, fmt::format("cannot list: {}", error.message()), path});
  std::sort(files.begin(), files.end());
  return files;
}

void merge(const IngestReport& from, FollowReport& into) {
  for (const auto& input : from.inputs) {
    if (input.error) {
      into.errors.push_back(*input.error);
      continue;
    }
    if (input.already_ingested) continue;
    ++into.inputs;
    into.records += input.records;
    into.alerts += input.alerts;
  }
}

}  // namespace

Follower::Follower(store::Store& store, std::vector<std::string> paths, FollowOptions options)
    : store_(store), paths_(std::move(paths)), options_(std::move(options)), session_(store, options_.ingest) {
  if (options_.scratch_directory.empty()) options_.scratch_directory = fs::temp_directory_path().string();
}

FollowReport Follower::poll() {
  FollowReport report;
  for (const auto& path : paths_) {
    for (const auto& file : files_under(path, report.errors)) follow_file(file, report);
  }
  return report;
}

std::optional<Follower::Position> Follower::load_position(const std::string& path) {
  auto stored = store_.get_setting(std::string(kPositionPrefix) + path);
  if (!stored || !*stored) return std::nullopt;
  Position position;
  if (std::sscanf((*stored)->c_str(), "%llu:%llu:%lld", &position.device, &position.inode, &position.offset) != 3) {
    return std::nullopt;
  }
  return position;
}

void Follower::save_position(const std::string& path, const Position& position, FollowReport& report) {
  const std::string value = fmt::format("{}:{}:{}", position.device, position.inode, position.offset);
  if (auto saved = store_.put_setting(std::string(kPositionPrefix) + path, value); !saved) {
    report.errors.push_back(core::Error{saved.error().code,
                                       fmt::format("cannot record the read position: {}; the next run re-reads "
                                                   "this file and the ledger skips what was already ingested",
                                                   saved.error().message),
                                       path});
  }
}

void Follower::follow_file(const std::string& listed_path, FollowReport& report) {
  // Positions are kept under the absolute path, so the same file named from another working
  // folder or through "./" is recognized.
  std::error_code error;
  const std::string path = fs::weakly_canonical(fs::absolute(listed_path), error).string();
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return;  // removed between listing and reading
  const long long size = static_cast<long long>(info.st_size);
  Position current{static_cast<unsigned long long>(info.st_dev), static_cast<unsigned long long>(info.st_ino), 0};
  const std::optional<Position> saved = load_position(path);
  // A rotated (new inode) or truncated file starts over from its beginning.
  if (saved && saved->device == current.device && saved->inode == current.inode && saved->offset <= size) {
    current.offset = saved->offset;
  }
  if (size == current.offset) return;

  const std::string head = read_head(path);
  if (!is_json_lines(path, head)) {
    // A whole document is read once its size has stayed the same for one poll, so a file still
    // being copied is not read half-written.
    auto pending = pending_sizes_.find(path);
    const bool settled = options_.ingest_unsettled_files || (pending != pending_sizes_.end() && pending->second == size);
    if (!settled) {
      pending_sizes_[path] = size;
      return;
    }
    pending_sizes_.erase(path);
    ingest_file(path, report);
    current.offset = size;
    save_position(path, current, report);
    return;
  }

  std::ifstream in(path, std::ios::binary);
  in.seekg(current.offset);
  const long long wanted = std::min(size - current.offset, options_.max_chunk_bytes);
  std::string text(static_cast<size_t>(wanted), '\0');
  in.read(text.data(), wanted);
  text.resize(static_cast<size_t>(in.gcount()));
  // Only complete lines: the writer may be in the middle of the last one.
  const size_t last_newline = text.rfind('\n');
  if (last_newline == std::string::npos) {
    if (wanted == options_.max_chunk_bytes) {
      report.errors.push_back(core::Error{core::ErrorCode::limit_exceeded,
                                          fmt::format("a line longer than {} bytes at byte {}; it was skipped",
                                                      options_.max_chunk_bytes, current.offset),
                                          path, current.offset});
      current.offset += wanted;
      save_position(path, current, report);
    }
    return;
  }
  text.resize(last_newline + 1);
  // The format is detected from the file's beginning, so a chunk holding only a broken line is
  // reported as a bad record of that format instead of an unrecognized input.
  const sources::Source* source = options_.ingest.forced_source.empty() ? sources::detect_source(head, path) : nullptr;
  ingest_chunk(path, current.offset, text, report, source == nullptr ? std::string() : std::string(source->name()));
  current.offset += static_cast<long long>(text.size());
  save_position(path, current, report);
}

void Follower::ingest_chunk(const std::string& path, long long base_offset, const std::string& text,
                            FollowReport& report, const std::string& source) {
  std::string pattern = (fs::path(options_.scratch_directory) / "keyward-watch-XXXXXX").string();
  const int descriptor = mkstemp(pattern.data());
  if (descriptor < 0) {
    report.errors.push_back(core::Error{core::ErrorCode::io_error,
                                        fmt::format("cannot create a scratch file in {}", options_.scratch_directory),
                                        path});
    return;
  }
  ::close(descriptor);
  {
    std::ofstream out(pattern, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  IngestReport ingested = session_.ingest({pattern}, source);
  std::error_code ignored;
  fs::remove(pattern, ignored);

  // Errors name the followed file and positions within it, not the scratch copy.
  for (auto& input : ingested.inputs) {
    if (input.error && input.error->file == pattern) {
      input.error->file = path;
      if (input.error->offset >= 0) input.error->offset += base_offset;
    }
  }
  for (auto& error : ingested.record_errors) {
    if (error.file == pattern) {
      error.file = path;
      if (error.offset >= 0) error.offset += base_offset;
      // Line numbers inside a chunk do not match the file's, so the byte offset is kept alone.
      error.line = -1;
    }
    report.record_errors.push_back(std::move(error));
  }
  merge(ingested, report);
}

void Follower::ingest_file(const std::string& path, FollowReport& report) {
  IngestReport ingested = session_.ingest({path});
  for (auto& error : ingested.record_errors) report.record_errors.push_back(std::move(error));
  merge(ingested, report);
}

FollowReport Follower::ingest_text(const std::string& text, const std::string& name, long long base_offset) {
  FollowReport report;
  if (!text.empty()) ingest_chunk(name, base_offset, text, report, {});
  return report;
}

}  // namespace keyward::ingest
