#pragma once

// Archive handling for every input kind: content whose leading bytes are an archive's or a
// compressed stream's magic is opened with libarchive and its entries are scanned instead.

#include <string_view>

#include "secrets/input/blob.hpp"
#include "secrets/input/walk.hpp"

namespace keyward::secrets {

// True when the content starts like zip, 7z, gzip, bzip2, xz or zstd data, or is a ustar/GNU tar
// ("ustar" at offset 257). Old V7 tar files have no magic and are scanned as plain content.
bool looks_like_archive(std::string_view content);

// Hands `content` to the sink: as one blob, or, when it looks like an archive, as the blobs of
// its regular-file entries named "info.path!entry", opening nested archives up to
// options.max_archive_depth. One call is one top-level archive for max_archive_bytes and
// max_archive_entries. Damage and limits go to sink.not_scanned; entries read before are kept.
void scan_content(const BlobInfo& info, std::string_view content, const WalkOptions& options, BlobSink& sink);

}  // namespace keyward::secrets
