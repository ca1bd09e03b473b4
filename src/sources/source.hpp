#pragma once

// A source turns one platform's export or log format into normalized records. It never decides
// risk. Each source is one folder under sources/ and registers itself in registry.cpp.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace keyward::sources {

// One input, fully read and decompressed. `data` is followed by at least
// simdjson::SIMDJSON_PADDING readable bytes so it can be parsed in place.
struct Input {
  std::string path;  // as given by the user, or "-" for stdin
  std::string_view data;
};

// A record that could not be read. Ingest reports it and continues with the next record.
struct RecordError {
  std::string file;
  long long offset = -1;  // byte offset of the record, or -1
  long long line = -1;    // 1-based line, for line-oriented formats, or -1
  std::string message;    // what is wrong and how to fix it
};

// Destination of what a source reads. Inventory records go into `batch`; activity records go to
// `events`, which enriches them, runs the detectors and summarizes them into the same batch.
struct ParseContext {
  store::Batch& batch;
  core::EventSink& events;
  std::vector<RecordError>& errors;
  // Time that ages are measured against when the input carries none (--as-of, else now).
  core::UnixTime as_of = 0;
  // Set by a source whose input carries its own generation time (the credential report).
  std::optional<core::UnixTime> generated_time;
  long long records = 0;  // records read, for the summary line
  // The store's key for keyed hashes (see secrets/secret_text.hpp). A source that reads part of a
  // secret, such as the last eight characters of a GitHub token, keeps only a keyed hash of it.
  // With an empty key it keeps nothing.
  std::string fingerprint_key;
};

class Source {
 public:
  virtual ~Source() = default;

  // Stable name used by --source, e.g. "aws-cloudtrail".
  virtual std::string_view name() const = 0;
  // One line for --help: the format and the command that produces it.
  virtual std::string_view description() const = 0;
  // Returns 0-100: how sure the source is that the input is its format, from the first bytes
  // (up to 64 KiB, decompressed) and the path. 0 means "not mine".
  virtual int detect(std::string_view head, std::string_view path) const = 0;
  // Parses the whole input. Returns an error only when the input as a whole cannot be read
  // (wrong format, truncated header); bad records go to ctx.errors and parsing continues.
  virtual core::Status parse(const Input& input, ParseContext& ctx) const = 0;
};

// All registered sources, in detection priority order.
const std::vector<std::unique_ptr<Source>>& all_sources();

// Returns the source with this name, or nullptr.
const Source* find_source(std::string_view name);

// Returns the source that recognizes the input best, or nullptr when none does.
const Source* detect_source(std::string_view head, std::string_view path);

}  // namespace keyward::sources
