// Reads `aws iam list-access-keys --user-name NAME` output:
//   {"AccessKeyMetadata": [{"UserName", "AccessKeyId", "Status", "CreateDate"}], "IsTruncated": false}
// Because people loop over users, it also accepts a JSON array of such outputs, the outputs one
// per line (JSON lines or concatenated), and a bare array of metadata entries (`--query
// AccessKeyMetadata`).

#include "sources/aws/access_keys_source.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>

#include "sources/aws/user_placeholder.hpp"

namespace keyward::sources::aws {
namespace {

// The IAM API reference (AccessKeyMetadata) gives AccessKeyId as 16 to 128 word characters.
constexpr size_t kMinKeyIdLength = 16;
constexpr size_t kMaxKeyIdLength = 128;
constexpr size_t kMaxLineBytes = 1024 * 1024;

// Position of the entries being read, for error messages.
struct Position {
  std::string file;
  long long line = -1;
  long long offset = -1;
};

void report(ParseContext& ctx, const Position& position, std::string message) {
  ctx.errors.push_back(RecordError{position.file, position.offset, position.line, std::move(message)});
}

bool is_key_id(std::string_view id) {
  if (id.size() < kMinKeyIdLength || id.size() > kMaxKeyIdLength) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// Converts one AccessKeyMetadata entry. Returns an error message, or "" on success.
std::string convert_entry(simdjson::dom::element entry, core::Credential& credential) {
  std::string_view user_name, key_id, status, create_date;
  if (entry["UserName"].get(user_name) != simdjson::SUCCESS || user_name.empty()) return "missing string UserName";
  if (entry["AccessKeyId"].get(key_id) != simdjson::SUCCESS) return "missing string AccessKeyId";
  if (!is_key_id(key_id)) return fmt::format("AccessKeyId '{}' is not 16-128 letters, digits or underscores", key_id.substr(0, 32));
  if (entry["Status"].get(status) != simdjson::SUCCESS) return "missing string Status";
  if (status != "Active" && status != "Inactive") return fmt::format("Status '{}' is not Active or Inactive", status.substr(0, 32));
  if (entry["CreateDate"].get(create_date) != simdjson::SUCCESS) return "missing string CreateDate";
  auto created = core::parse_time(create_date);
  if (!created) return fmt::format("CreateDate '{}' is not an ISO 8601 time", create_date.substr(0, 64));

  credential.platform = "aws";
  credential.id = std::string(key_id);
  credential.identity_id = make_user_placeholder(user_name);
  credential.kind = "aws_access_key";
  credential.status = status == "Active" ? "active" : "inactive";
  credential.created = created;
  credential.last_rotated = created;
  credential.attributes["source"] = "aws-access-keys";
  credential.attributes["user_name"] = std::string(user_name);
  // The credential report's slot (1 or 2) of this key is learned when the posture engine merges
  // the two records.
  credential.attributes["report_slot"] = "unknown";
  return {};
}

void read_entries(simdjson::dom::array entries, const Position& position, const std::string& where, ParseContext& ctx) {
  size_t index = 0;
  for (simdjson::dom::element entry : entries) {
    core::Credential credential;
    const std::string error = convert_entry(entry, credential);
    if (error.empty()) {
      ctx.batch.credentials.push_back(std::move(credential));
      ++ctx.records;
    } else {
      report(ctx, position, fmt::format("{}[{}]: {}; entry skipped", where, index, error));
    }
    ++index;
  }
}

// Reads one list-access-keys output object, or a bare metadata entry.
void read_output(simdjson::dom::element element, const Position& position, const std::string& where, ParseContext& ctx) {
  simdjson::dom::array entries;
  if (element["AccessKeyMetadata"].get(entries) == simdjson::SUCCESS) {
    read_entries(entries, position, where + "AccessKeyMetadata", ctx);
    bool truncated = false;
    if (element["IsTruncated"].get(truncated) == simdjson::SUCCESS && truncated) {
      report(ctx, position,
             where + "IsTruncated is true: keys on later pages are missing; rerun without --max-items or "
                     "--no-paginate so the AWS CLI fetches every page");
    }
    return;
  }
  if (element.is_object() && element["AccessKeyId"].error() == simdjson::SUCCESS) {
    core::Credential credential;
    const std::string error = convert_entry(element, credential);
    if (!error.empty()) return report(ctx, position, fmt::format("{}: {}; entry skipped", where.empty() ? "entry" : where, error));
    ctx.batch.credentials.push_back(std::move(credential));
    ++ctx.records;
    return;
  }
  report(ctx, position, fmt::format("{}: not a list-access-keys output (no AccessKeyMetadata array); skipped",
                                    where.empty() ? "document" : where));
}

void read_document(simdjson::dom::element document, const Position& position, ParseContext& ctx) {
  simdjson::dom::array outputs;
  if (document.get(outputs) != simdjson::SUCCESS) return read_output(document, position, "", ctx);
  size_t index = 0;
  for (simdjson::dom::element output : outputs) {
    read_output(output, position, fmt::format("[{}].", index), ctx);
    ++index;
  }
}

// Reads whitespace-separated JSON documents, as a shell loop over `aws iam list-access-keys`
// prints them. Returns false, with nothing added, when any document is invalid.
bool read_concatenated(std::string_view data, const std::string& file, ParseContext& ctx) {
  const size_t credentials_before = ctx.batch.credentials.size();
  const size_t errors_before = ctx.errors.size();
  const long long records_before = ctx.records;
  const simdjson::padded_string padded(data);
  simdjson::dom::parser parser;
  simdjson::dom::document_stream stream;
  // The batch size must hold the largest document; the whole input always does.
  const size_t batch_size = std::max<size_t>(padded.size(), simdjson::dom::DEFAULT_BATCH_SIZE);
  if (parser.parse_many(padded.data(), padded.size(), batch_size).get(stream) != simdjson::SUCCESS) return false;
  for (auto it = stream.begin(); it != stream.end(); ++it) {
    simdjson::dom::element document;
    if ((*it).get(document) != simdjson::SUCCESS) {
      ctx.batch.credentials.resize(credentials_before);
      ctx.errors.resize(errors_before);
      ctx.records = records_before;
      return false;
    }
    read_document(document, Position{file, -1, static_cast<long long>(it.current_index())}, ctx);
  }
  return true;
}

// Reads one JSON document per line, skipping invalid lines. Returns false when no line held
// valid JSON.
bool read_json_lines(std::string_view data, const std::string& file, ParseContext& ctx) {
  simdjson::dom::parser parser;
  bool any_valid = false;
  long long line_number = 0;
  size_t position = 0;
  while (position < data.size()) {
    const size_t end = std::min(data.find('\n', position), data.size());
    std::string_view line = data.substr(position, end - position);
    const Position where{file, ++line_number, static_cast<long long>(position)};
    position = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (line.size() > kMaxLineBytes) {
      report(ctx, where, fmt::format("line is over {} bytes; skipped", kMaxLineBytes));
      continue;
    }
    simdjson::dom::element document;
    if (parser.parse(line.data(), line.size()).get(document) != simdjson::SUCCESS) {
      report(ctx, where, "invalid JSON; line skipped");
      continue;
    }
    any_valid = true;
    read_document(document, where, ctx);
  }
  return any_valid;
}

}  // namespace

std::string_view AccessKeysSource::name() const { return "aws-access-keys"; }

std::string_view AccessKeysSource::description() const {
  return "IAM access keys: `aws iam list-access-keys --user-name NAME` output, one or many (array or "
         "one per line)";
}

int AccessKeysSource::detect(std::string_view head, std::string_view /*path*/) const {
  const size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (head[first] != '{' && head[first] != '[')) return 0;
  if (head.find("\"AccessKeyMetadata\"") != std::string_view::npos) return 90;
  const bool bare_entries = head.find("\"AccessKeyId\"") != std::string_view::npos &&
                            head.find("\"CreateDate\"") != std::string_view::npos &&
                            head.find("\"eventVersion\"") == std::string_view::npos;
  return bare_entries ? 60 : 0;
}

core::Status AccessKeysSource::parse(const Input& input, ParseContext& ctx) const {
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  // simdjson bounds nesting depth (1024 by default), so hostile input cannot exhaust the stack.
  if (parser.parse(input.data.data(), input.data.size()).get(document) == simdjson::SUCCESS) {
    read_document(document, Position{input.path, -1, -1}, ctx);
    return {};
  }
  if (read_concatenated(input.data, input.path, ctx)) return {};
  if (read_json_lines(input.data, input.path, ctx)) return {};
  return core::make_error(core::ErrorCode::invalid_input,
                          "invalid JSON: expected `aws iam list-access-keys` output (one object, an array of "
                          "them, or one per line)");
}

}  // namespace keyward::sources::aws
