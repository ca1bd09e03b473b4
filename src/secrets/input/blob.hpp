#pragma once

// What the input readers (files, directories, archives, git history, stdin) hand to the scan:
// one blob of content at a time, with where it came from.

#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace keyward::secrets {

struct BlobInfo {
  // File path as given or found under a directory; inside an archive "outer.zip!inner/file"
  // (nested archives add further "!" parts); "-" for stdin; for git history the path in the
  // commit that introduced the blob.
  std::string path;
  std::string repository;  // git repository directory when the blob comes from history
  std::string commit;      // full id of the commit that introduced this content
  std::string author;      // that commit's author email
  std::optional<core::UnixTime> commit_time;
};

class BlobSink {
 public:
  virtual ~BlobSink() = default;
  // One blob's whole content; `content` is valid only during the call.
  virtual void blob(const BlobInfo& info, std::string_view content) = 0;
  // An input that could not be read in full (unreadable file, corrupt archive, a limit reached):
  // it is reported as not scanned, never counted clean. `reason` says what failed and what to do.
  virtual void not_scanned(const std::string& path, const std::string& reason) = 0;
};

}  // namespace keyward::secrets
