#include "posture/check_examples.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include <unistd.h>

#include "posture/engine.hpp"
#include "sources/source.hpp"
#include "store/store.hpp"

namespace keyward::posture {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kReportHeader =
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
    "cert_2_active,cert_2_last_rotated";

core::Error example_error(const std::string& path, std::string message) {
  core::Error error = core::make_error(core::ErrorCode::invalid_input, std::move(message));
  error.file = path;
  return error;
}

// Sets $KEYWARD_DATA to this source tree's data/ folder while an example runs, when it is unset,
// and unsets it again afterwards so child processes of the caller see the original environment.
class DataDirectoryGuard {
 public:
  DataDirectoryGuard() : set_(std::getenv("KEYWARD_DATA") == nullptr) {
    if (set_) setenv("KEYWARD_DATA", KEYWARD_SOURCE_DIR "/data", 1);
  }
  ~DataDirectoryGuard() {
    if (set_) unsetenv("KEYWARD_DATA");
  }
  DataDirectoryGuard(const DataDirectoryGuard&) = delete;
  DataDirectoryGuard& operator=(const DataDirectoryGuard&) = delete;

 private:
  bool set_;
};

class NullSink final : public core::EventSink {
 public:
  void on_event(core::Event& /*event*/) override {}
};

// Parses `text` with the named source into `batch`; any skipped record fails the example.
core::Status parse_with(std::string_view source_name, const std::string& label, const std::string& text,
                        store::Batch& batch) {
  const sources::Source* source = sources::find_source(source_name);
  if (!source) return core::make_error(core::ErrorCode::not_found, fmt::format("source {} is not registered", source_name));
  NullSink sink;
  std::vector<sources::RecordError> errors;
  sources::ParseContext ctx{batch, sink, errors, 0, std::nullopt, 0, {}};
  // Sources may read simdjson's padding past the end of the input, as ingest provides it.
  const std::string padded = text + std::string(simdjson::SIMDJSON_PADDING, '\0');
  if (auto status = source->parse(sources::Input{label, std::string_view(padded.data(), text.size())}, ctx); !status) {
    return status;
  }
  if (!errors.empty()) {
    return core::make_error(core::ErrorCode::invalid_input,
                            fmt::format("{} line {}: {}", label, errors.front().line, errors.front().message));
  }
  return {};
}

std::string report_csv(const json& rows) {
  std::string csv;
  for (const auto& row : rows) {
    const std::string line = row.get<std::string>();
    if (csv.empty() && line.rfind("user,", 0) != 0) csv = std::string(kReportHeader) + "\n";
    csv += line + "\n";
  }
  return csv;
}

core::Result<core::UnixTime> read_time(const json& object, const char* key, const std::string& path) {
  const std::string text = object.value(key, "");
  auto time = core::parse_time(text);
  if (!time) return example_error(path, fmt::format("\"{}\" is missing or not an ISO 8601 time", key));
  return *time;
}

core::Status add_activity(const json& entries, const std::string& path, store::Batch& batch) {
  for (const auto& entry : entries) {
    core::ActivitySummary summary;
    summary.platform = entry.value("platform", "aws");
    summary.identity_id = entry.value("identity", "");
    summary.credential_id = entry.value("credential", "");
    summary.action = entry.value("action", "sts.amazonaws.com:GetCallerIdentity");
    summary.network = entry.value("network", "");
    summary.user_agent_family = entry.value("user_agent_family", "");
    summary.count = entry.value("count", 1LL);
    auto first = read_time(entry, "first_seen", path);
    if (!first.ok()) return first.error();
    auto last = read_time(entry, "last_seen", path);
    if (!last.ok()) return last.error();
    summary.first_seen = *first;
    summary.last_seen = *last;
    summary.day = core::day_start(*first);
    batch.activity.push_back(std::move(summary));
  }
  return {};
}

// Builds the batch the example's inputs produce.
core::Status build_batch(const json& example, const std::string& path, store::Batch& batch) {
  if (example.contains("authorization_details")) {
    if (auto status = parse_with("aws-authorization-details", path + "#authorization_details",
                                 example["authorization_details"].dump(), batch);
        !status) {
      return status;
    }
  }
  if (example.contains("credential_report")) {
    if (auto status = parse_with("aws-credential-report", path + "#credential_report",
                                 report_csv(example["credential_report"]), batch);
        !status) {
      return status;
    }
  }
  if (example.contains("access_keys")) {
    if (auto status = parse_with("aws-access-keys", path + "#access_keys", example["access_keys"].dump(), batch);
        !status) {
      return status;
    }
  }
  // Inputs of any other source: {"source": "okta-users", "content": <JSON, or a string such as CSV>}.
  for (const auto& input : example.value("inputs", json::array())) {
    const std::string source = input.value("source", "");
    const json& content = input.contains("content") ? input["content"] : json();
    const std::string text = content.is_string() ? content.get<std::string>() : content.dump();
    if (auto status = parse_with(source, path + "#" + source, text, batch); !status) return status;
  }
  if (example.contains("activity")) return add_activity(example["activity"], path, batch);
  return {};
}

core::Result<core::ExposureLocation> read_exposure_location(const json& entry, const std::string& path) {
  core::ExposureLocation location;
  location.path = entry.value("path", "");
  location.line = entry.value("line", 0LL);
  location.column = entry.value("column", 0LL);
  location.commit = entry.value("commit", "");
  location.author = entry.value("author", "");
  location.encoding = entry.value("encoding", "");
  if (entry.contains("commit_time")) {
    auto time = read_time(entry, "commit_time", path);
    if (!time.ok()) return time.error();
    location.commit_time = *time;
  }
  return location;
}

// Reads the "exposures" of an example: the fields of core::Exposure by name, locations included.
core::Result<std::vector<core::Exposure>> read_exposures(const json& entries, const std::string& path) {
  std::vector<core::Exposure> exposures;
  for (const auto& entry : entries) {
    if (!entry.is_object()) return example_error(path, "\"exposures\" must be an array of objects");
    core::Exposure exposure;
    exposure.fingerprint = entry.value("fingerprint", "");
    exposure.rule_id = entry.value("rule_id", "");
    exposure.rule_name = entry.value("rule_name", "");
    exposure.service = entry.value("service", "");
    exposure.category = entry.value("category", "");
    exposure.redacted = entry.value("redacted", "");
    exposure.checksum_valid = entry.value("checksum_valid", false);
    exposure.platform = entry.value("platform", "");
    exposure.credential_kind = entry.value("credential_kind", "");
    exposure.identifier = entry.value("identifier", "");
    exposure.join_key = entry.value("join_key", "");
    exposure.paired_fingerprint = entry.value("paired_fingerprint", "");
    exposure.verification = entry.value("verification", "");
    for (const auto& location : entry.value("locations", json::array())) {
      auto read = read_exposure_location(location, path);
      if (!read.ok()) return read.error();
      exposure.locations.push_back(std::move(read).value());
    }
    exposures.push_back(std::move(exposure));
  }
  return exposures;
}

PostureOptions read_options(const json& example) {
  PostureOptions options;
  const json settings = example.value("options", json::object());
  Thresholds& defaults = options.defaults;
  defaults.unused_days = settings.value("unused_days", defaults.unused_days);
  defaults.rotation_days = settings.value("rotation_days", defaults.rotation_days);
  defaults.grace_days = settings.value("grace_days", defaults.grace_days);
  defaults.expiry_warning_days = settings.value("expiry_warning_days", defaults.expiry_warning_days);
  defaults.max_lifetime_days = settings.value("max_lifetime_days", defaults.max_lifetime_days);
  return options;
}

// Removes the store file and SQLite's WAL and shared-memory files beside it.
void remove_store_files(const std::string& store_path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(store_path + suffix, ignored);
}

core::Result<std::vector<core::Finding>> run_in_store(const json& example, const std::string& path,
                                                      const std::string& store_path) {
  store::Batch batch;
  if (auto status = build_batch(example, path, batch); !status) return status.error();
  auto as_of = read_time(example, "as_of", path);
  if (!as_of.ok()) return as_of.error();

  auto store = store::open_sqlite_store(store_path);
  if (!store.ok()) return store.error();
  if (auto status = (*store)->commit(batch); !status) return status.error();
  if (example.contains("exposures")) {
    auto exposures = read_exposures(example["exposures"], path);
    if (!exposures.ok()) return exposures.error();
    if (auto status = (*store)->put_exposures(*exposures, *as_of); !status) return status.error();
  }
  PostureOptions options = read_options(example);
  options.as_of = *as_of;
  auto run = run_posture(**store, options);
  if (!run.ok()) return run.error();
  return std::move(run->findings);
}

}  // namespace

bool ExpectedFinding::operator<(const ExpectedFinding& other) const {
  return std::tie(identity_name, credential_id) < std::tie(other.identity_name, other.credential_id);
}

std::string ExampleOutcome::describe() const {
  auto list = [](const std::vector<ExpectedFinding>& findings) {
    std::string text;
    for (const auto& finding : findings) text += fmt::format("\n    {} {}", finding.identity_name, finding.credential_id);
    return text.empty() ? std::string(" none") : text;
  };
  return fmt::format("{}\n  expected:{}\n  actual:{}", description, list(expected), list(actual));
}

core::Result<ExampleOutcome> run_check_example(const std::string& path, std::string_view rule,
                                               const std::string& work_directory) {
  // Examples belong to this source tree, so they read its data files (vendor catalog, incidents)
  // unless the caller chose other ones.
  const DataDirectoryGuard data_directory;
  std::ifstream in(path, std::ios::binary);
  if (!in) return example_error(path, "cannot open the example file");
  std::ostringstream text;
  text << in.rdbuf();
  const json example = json::parse(text.str(), nullptr, false);
  if (example.is_discarded() || !example.is_object()) return example_error(path, "invalid JSON: expected an object");

  ExampleOutcome outcome;
  outcome.description = example.value("description", path);
  for (const auto& entry : example.value("expect", json::array())) {
    outcome.expected.push_back({entry.value("identity", ""), entry.value("credential", "")});
  }
  std::sort(outcome.expected.begin(), outcome.expected.end());

  static std::atomic<int> counter{0};
  const std::string store_path =
      (fs::path(work_directory) / fmt::format("keyward-example-{}-{}.db", ::getpid(), counter++)).string();
  remove_store_files(store_path);
  auto findings = run_in_store(example, path, store_path);
  remove_store_files(store_path);
  if (!findings.ok()) return findings.error();

  for (const auto& finding : *findings) {
    if (finding.rule != rule) continue;
    outcome.actual.push_back({finding.identity.name, finding.credential_id});
    for (const auto& evidence : finding.evidence) outcome.evidence.push_back(evidence.description);
  }
  std::sort(outcome.actual.begin(), outcome.actual.end());
  return outcome;
}

ExampleFiles list_check_examples(const std::string& directory) {
  ExampleFiles files;
  auto collect = [](const fs::path& folder, std::vector<std::string>& out) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
      if (entry.path().extension() == ".json") out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end());
  };
  collect(fs::path(directory) / "positive", files.positive);
  collect(fs::path(directory) / "negative", files.negative);
  return files;
}

}  // namespace keyward::posture
