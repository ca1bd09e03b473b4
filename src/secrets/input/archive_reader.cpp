#include "secrets/input/archive_reader.hpp"

#include "secrets/input/file_reader.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace keyward::secrets {

namespace {

using namespace std::string_view_literals;

enum class ArchiveKind { none, zip, tar, seven_zip, compressed };

constexpr std::size_t kChunkBytes = 1u << 16;

ArchiveKind detect_archive(std::string_view content) {
  const auto starts = [&](std::string_view magic) { return content.substr(0, magic.size()) == magic; };
  if (starts("PK\x03\x04"sv) || starts("PK\x05\x06"sv) || starts("PK\x07\x08"sv)) return ArchiveKind::zip;
  if (starts("7z\xBC\xAF\x27\x1C"sv)) return ArchiveKind::seven_zip;
  if (starts("\x1F\x8B\x08"sv)) return ArchiveKind::compressed;                 // gzip, deflate method
  if (starts("\xFD" "7zXZ\0"sv)) return ArchiveKind::compressed;                // xz
  if (starts("\x28\xB5\x2F\xFD"sv)) return ArchiveKind::compressed;             // zstd frame
  // bzip2: "BZh", a block size digit, then the magic of the first block or of the end of stream.
  // The block magic is checked too because "BZh" alone also starts ordinary text.
  if (content.size() >= 10 && starts("BZh"sv) && content[3] >= '1' && content[3] <= '9') {
    const std::string_view block = content.substr(4, 6);
    if (block == "\x31\x41\x59\x26\x53\x59"sv || block == "\x17\x72\x45\x38\x50\x90"sv) return ArchiveKind::compressed;
  }
  if (content.size() >= 512 && content.substr(257, 5) == "ustar"sv) return ArchiveKind::tar;
  return ArchiveKind::none;
}

struct ArchiveReadFree {
  void operator()(archive* reader) const { archive_read_free(reader); }
};
using ArchiveReader = std::unique_ptr<archive, ArchiveReadFree>;

// Enables only the formats the magic bytes allow, so a damaged zip is reported as a damaged zip
// and not read as something else. Compressed streams may contain a tar, cpio, zip or 7z; anything
// else inside them is read by the raw format as one entry.
// NOTE: libarchive falls back to running an external program (gzip, bzip2, xz, zstd) when it was
// built without that library; Debian 12's libarchive13 links all four.
ArchiveReader new_reader(ArchiveKind kind) {
  ArchiveReader reader(archive_read_new());
  archive* handle = reader.get();
  switch (kind) {
    case ArchiveKind::zip:
      archive_read_support_format_zip(handle);
      break;
    case ArchiveKind::tar:
      archive_read_support_format_tar(handle);
      break;
    case ArchiveKind::seven_zip:
      archive_read_support_format_7zip(handle);
      break;
    case ArchiveKind::compressed:
      archive_read_support_filter_gzip(handle);
      archive_read_support_filter_bzip2(handle);
      archive_read_support_filter_xz(handle);
      archive_read_support_filter_zstd(handle);
      archive_read_support_format_tar(handle);
      archive_read_support_format_cpio(handle);
      archive_read_support_format_zip(handle);
      archive_read_support_format_7zip(handle);
      archive_read_support_format_raw(handle);
      break;
    case ArchiveKind::none:
      break;
  }
  return reader;
}

std::string libarchive_message(archive* reader) {
  const char* message = archive_error_string(reader);
  return message != nullptr ? message : "unknown libarchive error";
}

// Names the single file in a compressed stream: "logs/app.log.gz" contains "app.log".
std::string raw_entry_name(const std::string& outer_path) {
  const std::size_t cut = outer_path.find_last_of("/!");
  std::string name = cut == std::string::npos ? outer_path : outer_path.substr(cut + 1);
  for (const std::string_view suffix : {".gz"sv, ".bz2"sv, ".xz"sv, ".zst"sv}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) return name.substr(0, name.size() - suffix.size());
  }
  return "data";
}

// Outcome of reading one entry's data.
struct EntryData {
  enum class Status { complete, over_limit, damaged, failed };
  Status status = Status::complete;
  std::string content;  // what was read, also when the read stopped early
  std::string error;
};

class ArchiveWalker {
 public:
  ArchiveWalker(const WalkOptions& options, BlobSink& sink, const std::string& top_path)
      : options_(options),
        sink_(sink),
        top_path_(top_path),
        bytes_left_(options.max_archive_bytes),
        entries_left_(options.max_archive_entries) {}

  void open(const BlobInfo& info, std::string_view content, ArchiveKind kind, int depth);

 private:
  void read_entries(archive* reader, const BlobInfo& info, int depth);
  bool read_regular_entry(archive* reader, archive_entry* entry, const BlobInfo& entry_info, int depth);
  EntryData read_data(archive* reader, std::uint64_t limit);
  bool skip_data(archive* reader);
  void hand_on(const BlobInfo& info, std::string_view content, int depth);
  void stop_at_byte_limit(const std::string& last_path);
  std::string entry_name(archive* reader, archive_entry* entry, const BlobInfo& info, std::uint64_t index) const;

  const WalkOptions& options_;
  BlobSink& sink_;
  std::string top_path_;
  std::uint64_t bytes_left_;
  std::uint64_t entries_left_;
  bool exhausted_ = false;  // a limit of the top-level archive was reached: read nothing more
};

void ArchiveWalker::open(const BlobInfo& info, std::string_view content, ArchiveKind kind, int depth) {
  if (exhausted_) return;
  if (depth > options_.max_archive_depth && depth == 1) {
    sink_.not_scanned(info.path, "archive was not opened because --max-archive-depth is 0; raise it to open archives");
    return;
  }
  if (depth > options_.max_archive_depth) {
    sink_.not_scanned(info.path, fmt::format("archive is nested {} levels deep, over the limit of {}; raise "
                                             "--max-archive-depth to open it", depth, options_.max_archive_depth));
    return;
  }
  ArchiveReader reader = new_reader(kind);
  if (archive_read_open_memory(reader.get(), content.data(), content.size()) != ARCHIVE_OK) {
    // The magic bytes matched but libarchive does not accept the data: scan the bytes as they are.
    sink_.not_scanned(info.path, fmt::format("archive cannot be opened: {}; its raw bytes were scanned instead",
                                             libarchive_message(reader.get())));
    sink_.blob(info, content);
    return;
  }
  read_entries(reader.get(), info, depth);
}

void ArchiveWalker::read_entries(archive* reader, const BlobInfo& info, int depth) {
  constexpr int kMaxRetries = 3;
  int retries = 0;
  for (std::uint64_t index = 0; !exhausted_; ++index) {
    archive_entry* entry = nullptr;
    const int status = archive_read_next_header(reader, &entry);
    if (status == ARCHIVE_EOF) return;
    if (status == ARCHIVE_RETRY && ++retries <= kMaxRetries) continue;
    if (status == ARCHIVE_RETRY || status < ARCHIVE_WARN) {
      sink_.not_scanned(info.path, fmt::format("archive is corrupt or truncated after {} entries: {}; the entries "
                                               "before that point were scanned", index, libarchive_message(reader)));
      return;
    }
    retries = 0;
    if (entries_left_ == 0) {
      sink_.not_scanned(top_path_, fmt::format("archive has more than {} entries (the limit per top-level archive, "
                                               "counting nested archives); the entries after that were not scanned, "
                                               "so extract the archive and scan the extracted files",
                                               options_.max_archive_entries));
      exhausted_ = true;
      return;
    }
    --entries_left_;

    BlobInfo entry_info = info;
    entry_info.path = info.path + "!" + entry_name(reader, entry, info, index);
    const bool keep_going = archive_entry_filetype(entry) == AE_IFREG
                                ? read_regular_entry(reader, entry, entry_info, depth)
                                : skip_data(reader);
    if (!keep_going) return;
  }
}

// Reads one regular-file entry and hands it on. Returns false when the archive cannot continue.
bool ArchiveWalker::read_regular_entry(archive* reader, archive_entry* entry, const BlobInfo& entry_info, int depth) {
  if (archive_entry_is_encrypted(entry) > 0) {
    sink_.not_scanned(entry_info.path, "archive entry is encrypted and keyward cannot decrypt it; "
                                       "extract it with its password and scan the extracted files");
    return skip_data(reader);
  }
  if (archive_entry_size_is_set(entry) != 0) {
    const auto size = static_cast<std::uint64_t>(std::max<la_int64_t>(archive_entry_size(entry), 0));
    if (size > options_.max_file_bytes) {
      sink_.not_scanned(entry_info.path, describe_too_large("archive entry", size, options_.max_file_bytes));
      return skip_data(reader);
    }
  }

  const bool budget_bound = bytes_left_ <= options_.max_file_bytes;
  EntryData data = read_data(reader, std::min(options_.max_file_bytes, bytes_left_));
  bytes_left_ -= std::min<std::uint64_t>(bytes_left_, data.content.size());
  if (data.status == EntryData::Status::over_limit && budget_bound) {
    // Stop first so that a nested archive in the partial content is not opened; its bytes still go on.
    stop_at_byte_limit(entry_info.path);
    if (!data.content.empty()) sink_.blob(entry_info, data.content);
    return false;
  }
  if (!data.content.empty() || data.status == EntryData::Status::complete) hand_on(entry_info, data.content, depth);

  switch (data.status) {
    case EntryData::Status::complete:
      return true;
    case EntryData::Status::over_limit:
      sink_.not_scanned(entry_info.path, fmt::format("archive entry is larger than the limit of {} bytes; only its "
                                                     "first {} bytes were scanned; raise --max-file-size to scan all of it",
                                                     options_.max_file_bytes, data.content.size()));
      return skip_data(reader);
    case EntryData::Status::damaged:
      sink_.not_scanned(entry_info.path, fmt::format("archive entry may be damaged: {}; its {} bytes read were scanned",
                                                     data.error, data.content.size()));
      return true;
    case EntryData::Status::failed:
      sink_.not_scanned(entry_info.path, fmt::format("archive entry is corrupt or truncated: {}; {} bytes of it were "
                                                     "scanned and the entries after it were not", data.error,
                                                     data.content.size()));
      return false;
  }
  return false;
}

// Reads at most `limit` bytes of the current entry.
EntryData ArchiveWalker::read_data(archive* reader, std::uint64_t limit) {
  EntryData data;
  std::array<char, kChunkBytes> buffer;
  for (;;) {
    const la_ssize_t count = archive_read_data(reader, buffer.data(), buffer.size());
    if (count == 0) return data;
    if (count < 0) {
      data.status = count == ARCHIVE_WARN ? EntryData::Status::damaged : EntryData::Status::failed;
      data.error = libarchive_message(reader);
      return data;
    }
    const auto room = limit - data.content.size();
    if (static_cast<std::uint64_t>(count) > room) {
      data.content.append(buffer.data(), static_cast<std::size_t>(room));
      data.status = EntryData::Status::over_limit;
      return data;
    }
    data.content.append(buffer.data(), static_cast<std::size_t>(count));
  }
}

// Skips the rest of the current entry. Plain zip and tar archives seek past it; in compressed
// streams and 7z, skipping decompresses, so those bytes count against max_archive_bytes.
bool ArchiveWalker::skip_data(archive* reader) {
  const int format = archive_format(reader) & ARCHIVE_FORMAT_BASE_MASK;
  const bool seekable = archive_filter_code(reader, 0) == ARCHIVE_FILTER_NONE &&
                        (format == ARCHIVE_FORMAT_ZIP || format == ARCHIVE_FORMAT_TAR);
  if (seekable) {
    archive_read_data_skip(reader);
    return true;
  }
  std::array<char, kChunkBytes> buffer;
  for (;;) {
    const la_ssize_t count = archive_read_data(reader, buffer.data(), buffer.size());
    if (count <= 0) return true;  // a read error here shows again at the next header
    if (static_cast<std::uint64_t>(count) > bytes_left_) {
      stop_at_byte_limit("");
      return false;
    }
    bytes_left_ -= static_cast<std::uint64_t>(count);
  }
}

void ArchiveWalker::hand_on(const BlobInfo& info, std::string_view content, int depth) {
  const ArchiveKind kind = detect_archive(content);
  if (kind == ArchiveKind::none) {
    sink_.blob(info, content);
    return;
  }
  open(info, content, kind, depth + 1);
}

void ArchiveWalker::stop_at_byte_limit(const std::string& last_path) {
  const std::string where = last_path.empty() ? std::string() : fmt::format(" at {}", last_path);
  sink_.not_scanned(top_path_, fmt::format("archive reached the limit of {} uncompressed bytes, counting nested "
                                           "archives{}; the content read so far was scanned and the rest was not, "
                                           "so extract the archive and scan the extracted files", options_.max_archive_bytes,
                                           where));
  exhausted_ = true;
}

std::string ArchiveWalker::entry_name(archive* reader, archive_entry* entry, const BlobInfo& info,
                                      std::uint64_t index) const {
  if (archive_format(reader) == ARCHIVE_FORMAT_RAW) return raw_entry_name(info.path);
  const char* name = archive_entry_pathname_utf8(entry);
  if (name == nullptr) name = archive_entry_pathname(entry);
  if (name == nullptr || *name == '\0') return fmt::format("entry-{}", index + 1);
  return name;
}

}  // namespace

bool looks_like_archive(std::string_view content) { return detect_archive(content) != ArchiveKind::none; }

void scan_content(const BlobInfo& info, std::string_view content, const WalkOptions& options, BlobSink& sink) {
  const ArchiveKind kind = detect_archive(content);
  if (kind == ArchiveKind::none) {
    sink.blob(info, content);
    return;
  }
  ArchiveWalker walker(options, sink, info.path);
  walker.open(info, content, kind, 1);
}

}  // namespace keyward::secrets
