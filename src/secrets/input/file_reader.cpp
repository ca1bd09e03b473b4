#include "secrets/input/file_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace keyward::secrets {

namespace {

constexpr std::size_t kChunkBytes = 1u << 16;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

BoundedRead failure(int error_number) {
  BoundedRead result;
  result.outcome = BoundedRead::Outcome::failed;
  result.error = std::strerror(error_number);
  return result;
}

// Reads until end of file, stopping once more than `max_bytes` have arrived.
BoundedRead read_descriptor(int fd, std::uint64_t max_bytes, std::uint64_t expected_size) {
  BoundedRead result;
  result.content.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(expected_size, max_bytes)));
  char buffer[kChunkBytes];
  for (;;) {
    const std::uint64_t room = max_bytes + 1 - result.content.size();
    const ssize_t count = ::read(fd, buffer, static_cast<std::size_t>(std::min<std::uint64_t>(room, sizeof buffer)));
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) return failure(errno);
    if (count == 0) break;
    result.content.append(buffer, static_cast<std::size_t>(count));
    if (result.content.size() > max_bytes) {
      result.outcome = BoundedRead::Outcome::too_large;
      result.content.clear();
      result.content.shrink_to_fit();
      return result;
    }
  }
  result.outcome = BoundedRead::Outcome::read;
  return result;
}

}  // namespace

BoundedRead read_file_bounded(const std::string& path, std::uint64_t max_bytes, bool follow_symlink) {
  int flags = O_RDONLY | O_CLOEXEC;
  if (!follow_symlink) flags |= O_NOFOLLOW | O_NONBLOCK;
  const FileDescriptor fd(::open(path.c_str(), flags));
  if (fd.get() < 0) return failure(errno);

  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return failure(errno);
  const bool readable_special = follow_symlink && (S_ISFIFO(info.st_mode) || S_ISCHR(info.st_mode));
  if (S_ISDIR(info.st_mode)) return failure(EISDIR);
  if (!S_ISREG(info.st_mode) && !readable_special) {
    BoundedRead result;
    result.outcome = BoundedRead::Outcome::not_regular;
    return result;
  }
  if (S_ISREG(info.st_mode) && static_cast<std::uint64_t>(info.st_size) > max_bytes) {
    BoundedRead result;
    result.outcome = BoundedRead::Outcome::too_large;
    result.size = static_cast<std::uint64_t>(info.st_size);
    return result;
  }
  return read_descriptor(fd.get(), max_bytes, S_ISREG(info.st_mode) ? info.st_size : 0);
}

std::string describe_too_large(std::string_view input_kind, std::uint64_t size, std::uint64_t max_bytes) {
  const std::string size_text = size == 0 ? "larger than" : fmt::format("{} bytes, over", size);
  return fmt::format("{} is {} the limit of {} bytes; raise --max-file-size to scan it", input_kind, size_text, max_bytes);
}

BoundedRead read_stream_bounded(std::istream& stream, std::uint64_t max_bytes) {
  BoundedRead result;
  char buffer[kChunkBytes];
  while (stream) {
    const std::uint64_t room = max_bytes + 1 - result.content.size();
    stream.read(buffer, static_cast<std::streamsize>(std::min<std::uint64_t>(room, sizeof buffer)));
    const auto count = static_cast<std::size_t>(stream.gcount());
    result.content.append(buffer, count);
    if (result.content.size() > max_bytes) {
      result.outcome = BoundedRead::Outcome::too_large;
      result.content.clear();
      result.content.shrink_to_fit();
      return result;
    }
  }
  if (stream.bad()) {
    result.outcome = BoundedRead::Outcome::failed;
    result.error = "stream read error";
    result.content.clear();
    return result;
  }
  result.outcome = BoundedRead::Outcome::read;
  return result;
}

}  // namespace keyward::secrets
