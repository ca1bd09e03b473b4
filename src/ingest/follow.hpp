#pragma once

// Following growing log files and folders for `keyward watch`. Each poll ingests what was added
// since the last one: new complete lines of JSON-lines files, and new or changed whole files
// (JSON arrays such as CloudTrail files, CSV exports, .gz) once their size has stopped changing.
// Positions are kept in the store's settings ("watch.position.<absolute path>") and written only
// after the data they cover is committed, so a restart resumes where the last run stopped. A
// crash between the two re-reads one chunk, which the ingest ledger then skips as already
// ingested, so nothing is counted twice.

#include <map>
#include <string>
#include <vector>

#include "ingest/ingest.hpp"
#include "store/store.hpp"

namespace keyward::ingest {

struct FollowOptions {
  IngestOptions ingest;
  // Folder for the line chunks written before ingest; the system temporary folder when empty.
  std::string scratch_directory;
  // Upper bound on the bytes read from one file in one poll, so a huge backlog is taken in
  // steps and memory stays bounded.
  long long max_chunk_bytes = 64LL << 20;
  // Ingest whole files on the first poll that sees them instead of waiting for one poll with an
  // unchanged size (for --once, where there is no second poll).
  bool ingest_unsettled_files = false;
};

// Counts and errors of one poll.
struct FollowReport {
  long long inputs = 0;   // chunks and files ingested
  long long records = 0;
  long long alerts = 0;
  std::vector<core::Error> errors;                 // inputs that could not be read or recognized
  std::vector<sources::RecordError> record_errors; // positions refer to the followed file
};

class Follower {
 public:
  Follower(store::Store& store, std::vector<std::string> paths, FollowOptions options);

  // Scans every path (files, and folders recursively) once and ingests what is new.
  FollowReport poll();

  // Ingests complete lines read from a stream such as stdin. `name` labels them in errors, and
  // `base_offset` is the stream position of the text's first byte.
  FollowReport ingest_text(const std::string& text, const std::string& name, long long base_offset);

 private:
  struct Position {
    unsigned long long device = 0, inode = 0;
    long long offset = 0;
  };

  void follow_file(const std::string& path, FollowReport& report);
  // Ingests lines of `path` that start at `base_offset`, read as `source` (detected when empty).
  void ingest_chunk(const std::string& path, long long base_offset, const std::string& text, FollowReport& report,
                    const std::string& source);
  void ingest_file(const std::string& path, FollowReport& report);
  std::optional<Position> load_position(const std::string& path);
  void save_position(const std::string& path, const Position& position, FollowReport& report);

  store::Store& store_;
  std::vector<std::string> paths_;
  FollowOptions options_;
  // One session for the follower's life, so bursts that arrive over several polls are seen whole.
  IngestSession session_;
  // Sizes of whole-document files seen by the previous poll, to ingest them once settled.
  std::map<std::string, long long> pending_sizes_;
};

}  // namespace keyward::ingest
