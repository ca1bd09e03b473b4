#pragma once

// Bounded reads of one file or stream into memory, for the input walkers.

#include <cstdint>
#include <istream>
#include <string>
#include <string_view>

namespace keyward::secrets {

struct BoundedRead {
  enum class Outcome { read, too_large, failed, not_regular };
  Outcome outcome = Outcome::failed;
  std::string content;      // the whole content when `read`
  std::uint64_t size = 0;   // file size from stat when `too_large`; 0 when the size is not known
  std::string error;        // the system error text when `failed`
};

// Reads a file of at most `max_bytes`. With `follow_symlink` false a symlink fails to open (O_NOFOLLOW)
// and only regular files are read, so a file swapped for a FIFO after listing does not block.
// With it true (a path named by the user) FIFOs and character devices are read too.
BoundedRead read_file_bounded(const std::string& path, std::uint64_t max_bytes, bool follow_symlink);

// Formats the not-scanned reason for an input of `size` bytes (0 when unknown) over the file size
// limit; `input_kind` is "file", "archive entry" or "git blob".
std::string describe_too_large(std::string_view input_kind, std::uint64_t size, std::uint64_t max_bytes);

// Reads a stream to its end or until more than `max_bytes` arrive (then `too_large`, and the rest
// is left unread).
BoundedRead read_stream_bounded(std::istream& stream, std::uint64_t max_bytes);

}  // namespace keyward::secrets
