#pragma once

// Ingest: reads files, directories (recursively), .gz files and stdin, picks the source for each
// input, and commits each input's records, activity and alerts to the store in one transaction.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "detect/detector.hpp"
#include "enrich/enricher.hpp"
#include "sources/source.hpp"
#include "store/store.hpp"

namespace keyward::ingest {

struct IngestOptions {
  std::string forced_source;             // --source NAME; empty: detect from content
  std::optional<core::UnixTime> as_of;   // --as-of
  detect::DetectOptions detect;
  enrich::EnrichOptions enrich;
  bool progress = false;                 // report progress on stderr for long ingests
  // Called after each input's commit with the alerts that were new to the store (never alerts a
  // re-ingest raised again), for notifications. When set, ingest takes them from the store
  // (Store::take_new_alerts) even if the callback sends nowhere, so none pile up.
  std::function<void(const std::vector<core::Alert>& alerts)> on_new_alerts;
  // Called once per input with a one-line status ("ingested", "skipped: already ingested", error).
  std::function<void(const std::string& line)> on_status;
};

struct InputReport {
  std::string path;
  std::string source;      // empty when not recognized
  long long records = 0;
  long long alerts = 0;
  bool already_ingested = false;
  std::optional<core::Error> error;  // the input could not be read or recognized
};

struct IngestReport {
  std::vector<InputReport> inputs;
  std::vector<sources::RecordError> record_errors;  // skipped records, with position
  // Geo, ASN or Tor data files that were named or found but could not be read.
  std::vector<core::Error> enrichment_problems;
  bool geo_enabled = false;
  bool asn_enabled = false;

  // True when every input was recognized and read (skipped records do not count).
  bool all_inputs_ok() const;
};

// Keeps the enrichment data and the detection engine across several ingest calls, so time windows
// (enumeration and secret-read bursts) span inputs that arrive separately, as in `keyward watch`,
// and the data files are loaded once. Not thread-safe.
class IngestSession {
 public:
  IngestSession(store::Store& store, IngestOptions options);
  ~IngestSession();

  // Ingests the paths as ingest_paths does. A non-empty `forced_source` replaces the options'
  // forced_source for this call.
  IngestReport ingest(const std::vector<std::string>& paths, const std::string& forced_source = {});

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Ingests every path ("-" is stdin). A bad input does not stop the run: each input is its own
// transaction, and the report records what happened to each.
IngestReport ingest_paths(store::Store& store, const std::vector<std::string>& paths,
                          const IngestOptions& options);

}  // namespace keyward::ingest
