#include "ingest/ingest.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>

#include "detect/engine.hpp"
#include "enrich/data_enricher.hpp"
#include "ingest/event_order.hpp"
#include "ingest/input_reader.hpp"
#include "sources/activity_logs.hpp"

namespace keyward::ingest {
namespace {

constexpr size_t kDetectHeadBytes = 64 * 1024;

// Prints "ingest: 12/40 inputs, 318.0 MB read" on stderr, at most once a second, after the first
// second of the run (update() checks both intervals).
class Progress {
 public:
  // Progress is shown only on a terminal: in a log file, carriage returns would pile up.
  Progress(bool enabled, size_t total)
      : enabled_(enabled && ::isatty(STDERR_FILENO)), total_(total), start_(Clock::now()), last_(start_) {}

  void update(size_t done, size_t bytes) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    printed_ = true;
    fmt::print(stderr, "\ringest: {}/{} inputs, {:.1f} MB read", done, total_, static_cast<double>(bytes) / 1e6);
    std::fflush(stderr);
  }

  void finish() {
    if (printed_) fmt::print(stderr, "\n");
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  size_t total_;
  Clock::time_point start_;
  Clock::time_point last_;
  bool printed_ = false;
};

// Builds a minimal identity for an IAM principal ARN seen in activity ("arn:aws:iam::ACCOUNT:user/PATH/NAME",
// ".../role/...", "...:root"). Returns nullopt for anything else (AWS services, federated users).
std::optional<core::Identity> identity_from_arn(const std::string& arn) {
  constexpr std::string_view kPrefix = "arn:aws:iam::";
  if (arn.rfind(kPrefix, 0) != 0) return std::nullopt;
  const size_t account_end = arn.find(':', kPrefix.size());
  if (account_end == std::string::npos) return std::nullopt;
  core::Identity identity;
  identity.platform = "aws";
  identity.id = arn;
  identity.account = arn.substr(kPrefix.size(), account_end - kPrefix.size());
  const std::string resource = arn.substr(account_end + 1);
  if (resource == "root") {
    identity.kind = "root";
    identity.name = "<root_account>";
  } else if (resource.rfind("user/", 0) == 0) {
    identity.kind = "iam_user";
  } else if (resource.rfind("role/", 0) == 0) {
    identity.kind = resource.rfind("role/aws-service-role/", 0) == 0 ? "service_linked_role" : "iam_role";
  } else {
    return std::nullopt;
  }
  if (identity.name.empty()) identity.name = resource.substr(resource.rfind('/') + 1);
  identity.classification_reason = "seen only in activity logs so far";
  return identity;
}

void add_observed_identities(store::Batch& batch) {
  std::set<std::string> seen;
  for (const auto& summary : batch.activity) {
    if (!seen.insert(summary.identity_id).second) continue;
    if (auto identity = identity_from_arn(summary.identity_id)) batch.observed_identities.push_back(std::move(*identity));
  }
}

// True for input with nothing but whitespace, or one empty JSON array ("[]", "[ ]").
bool is_empty_export(std::string_view data) {
  constexpr std::string_view kWhitespace = " \t\r\n";
  const size_t first = data.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return true;
  if (data[first] != '[') return false;
  const size_t next = data.find_first_not_of(kWhitespace, first + 1);
  return next != std::string_view::npos && data[next] == ']' &&
         data.find_first_not_of(kWhitespace, next + 1) == std::string_view::npos;
}

void report_status(const IngestOptions& options, const std::string& line) {
  if (options.on_status) options.on_status(line);
}

// Ingests one input into one transaction and returns what happened to it.
InputReport ingest_one(store::Store& store, const std::string& path, const IngestOptions& options,
                       detect::DetectionEngine& engine, std::vector<sources::RecordError>& record_errors,
                       size_t& bytes_read) {
  InputReport report;
  report.path = path;

  auto loaded = load_input(path);
  if (!loaded) {
    report.error = loaded.error();
    return report;
  }
  bytes_read += loaded->size;
  const std::string_view data = loaded->data();

  // An empty file or an empty JSON array is what exporters write for a quiet period (`gh api
  // --paginate` prints [] when there are no events), so it is read as no records, not rejected.
  if (is_empty_export(data)) {
    report_status(options, fmt::format("warning: {}: the input is empty (no records); nothing was read", path));
    return report;
  }

  const sources::Source* source = nullptr;
  if (!options.forced_source.empty()) {
    source = sources::find_source(options.forced_source);
  } else {
    source = sources::detect_source(data.substr(0, kDetectHeadBytes), path);
  }
  if (!source) {
    core::Error error = core::make_error(
        core::ErrorCode::unsupported_format,
        "not a recognized format; run `keyward ingest --help` for the supported sources, or name one with --source");
    error.file = path;
    report.error = error;
    return report;
  }
  report.source = std::string(source->name());

  const std::string content_hash = sha256_hex(data);
  auto existing = store.find_ledger(content_hash);
  if (!existing) {
    report.error = existing.error();
    return report;
  }
  // Content read before by the same source is skipped. Content read by another source (a wrong
  // --source, or a detection fixed since) is read again with this one.
  if (existing->has_value() && (*existing)->source == source->name()) {
    report.already_ingested = true;
    report.records = (*existing)->records;
    return report;
  }

  store::Batch batch;
  std::vector<sources::RecordError> errors;
  ChronologicalSink ordered(engine, path, {}, [&](const std::string& line) { report_status(options, line); });
  sources::ParseContext context{batch, ordered, errors, options.as_of.value_or(core::now()), std::nullopt, 0, {}};
  if (auto key = store.fingerprint_key(); key.ok()) context.fingerprint_key = std::move(*key);
  sources::Input input{path, data};
  core::Status parsed = source->parse(input, context);
  record_errors.insert(record_errors.end(), errors.begin(), errors.end());
  if (parsed) ordered.finish();
  if (!parsed) {
    engine.discard();
    report.error = parsed.error();
    if (report.error->file.empty()) report.error->file = path;
    return report;
  }

  engine.flush_into(batch);
  add_observed_identities(batch);
  if (context.generated_time) {
    batch.settings.emplace_back("aws.credential_report.generated_time", core::format_time(*context.generated_time));
  }
  batch.ledger = store::LedgerEntry{content_hash, path, report.source, context.records, core::now()};
  report.records = context.records;
  report.alerts = static_cast<long long>(batch.alerts.size());
  if (auto committed = store.commit(batch); !committed) {
    report.error = committed.error();
    if (report.error->file.empty()) report.error->file = path;
    return report;
  }
  if (options.on_new_alerts) {
    auto fresh = store.take_new_alerts();
    if (!fresh) {
      // The alerts are stored; only their notification is lost, so the input still succeeded.
      if (options.on_status) options.on_status(fmt::format("warning: {}: cannot read new alerts for notification: {}", path, fresh.error().describe()));
    } else if (!fresh->empty()) {
      options.on_new_alerts(*fresh);
    }
  }
  return report;
}

// Moves inventory exports ahead of activity logs, keeping each group's order, so that detectors
// reading the inventory (is this Snowflake user a person, who owns this key) see the exports
// ingested in the same run. Compressed files and files no source recognizes count as logs.
void read_exports_first(std::vector<std::string>& files) {
  if (files.size() < 2) return;
  std::vector<std::string> exports, logs;
  std::string head(kDetectHeadBytes, '\0');
  for (auto& file : files) {
    bool is_export = false;
    if (file != "-" && !file.ends_with(".gz")) {
      std::ifstream in(file, std::ios::binary);
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      const std::string_view read(head.data(), static_cast<size_t>(in.gcount()));
      const sources::Source* source = read.empty() ? nullptr : sources::detect_source(read, file);
      is_export = source != nullptr && !sources::is_activity_log_source(source->name());
    }
    (is_export ? exports : logs).push_back(std::move(file));
  }
  files = std::move(exports);
  files.insert(files.end(), std::make_move_iterator(logs.begin()), std::make_move_iterator(logs.end()));
}

}  // namespace

bool IngestReport::all_inputs_ok() const {
  for (const auto& input : inputs) {
    if (input.error) return false;
  }
  return true;
}

struct IngestSession::State {
  State(store::Store& store_in, IngestOptions options_in) : store(store_in), options(std::move(options_in)) {
    enrich::EnricherLoadReport load_report;
    enricher = enrich::make_enricher(options.enrich, load_report);
    enrichment_problems = std::move(load_report.problems);
    engine = std::make_unique<detect::DetectionEngine>(store, enricher.get(), options.detect);
  }

  store::Store& store;
  IngestOptions options;
  std::unique_ptr<enrich::Enricher> enricher;
  std::vector<core::Error> enrichment_problems;
  std::unique_ptr<detect::DetectionEngine> engine;
};

IngestSession::IngestSession(store::Store& store, IngestOptions options)
    : state_(std::make_unique<State>(store, std::move(options))) {}

IngestSession::~IngestSession() = default;

IngestReport IngestSession::ingest(const std::vector<std::string>& paths, const std::string& forced_source) {
  IngestOptions options = state_->options;
  if (!forced_source.empty()) options.forced_source = forced_source;
  IngestReport report;
  if (!options.forced_source.empty() && !sources::find_source(options.forced_source)) {
    InputReport input;
    input.path = options.forced_source;
    input.error = core::make_error(core::ErrorCode::invalid_argument,
                                   fmt::format("unknown source '{}'; run `keyward ingest --help` for the list", options.forced_source));
    report.inputs.push_back(std::move(input));
    return report;
  }

  report.enrichment_problems = state_->enrichment_problems;
  report.geo_enabled = state_->enricher->has_geo();
  report.asn_enabled = state_->enricher->has_asn();

  std::vector<std::string> files = expand_paths(paths);
  if (options.forced_source.empty()) read_exports_first(files);
  Progress progress(options.progress, files.size());
  size_t bytes_read = 0;
  for (const auto& file : files) {
    InputReport input = ingest_one(state_->store, file, options, *state_->engine, report.record_errors, bytes_read);
    if (input.error) {
      report_status(options, fmt::format("error: {}", input.error->describe()));
    } else if (input.already_ingested) {
      report_status(options, fmt::format("{}: already ingested ({} records), skipped", file, input.records));
    } else {
      report_status(options, fmt::format("{}: {} records as {}, {} alerts", file, input.records, input.source, input.alerts));
    }
    report.inputs.push_back(std::move(input));
    progress.update(report.inputs.size(), bytes_read);
  }
  progress.finish();
  return report;
}

IngestReport ingest_paths(store::Store& store, const std::vector<std::string>& paths, const IngestOptions& options) {
  IngestSession session(store, options);
  return session.ingest(paths);
}

}  // namespace keyward::ingest
