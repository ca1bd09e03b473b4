// Reads the IAM credential report: one CSV row per IAM user plus the <root_account> row, with
// the state and last use of the console password, both access key slots and both signing
// certificate slots. Produced by `aws iam generate-credential-report` followed by
// `aws iam get-credential-report` (JSON with the CSV base64-encoded in "Content") or by
// `aws iam get-credential-report --query Content --output text | base64 -d` (the CSV itself).

#include "sources/aws/credential_report_source.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <map>

#include "sources/aws/credential_report_classify.hpp"
#include "sources/aws/credential_report_format.hpp"

namespace keyward::sources::aws {
namespace {

constexpr std::string_view kHeaderStart = "user,arn,user_creation_time";
// Base64 of "user,arn,": the start of every encoded report.
constexpr std::string_view kEncodedHeaderStart = "dXNlcixhcm4s";
constexpr std::string_view kRootUserName = "<root_account>";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// A real row is about 400 bytes; anything far longer is not a credential report row.
constexpr size_t kMaxRecordBytes = 64 * 1024;

std::string_view strip_bom(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  return text;
}

std::string_view skip_whitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' || text.front() == '\n')) {
    text.remove_prefix(1);
  }
  return text;
}

// Reads the cells of one data row by column name. Columns missing from the header read as empty,
// which the cell parsers take as "N/A", so reports with fewer or more columns still load.
class RowReader {
 public:
  RowReader(const std::map<std::string, size_t>& columns, const std::vector<std::string>& cells)
      : columns_(columns), cells_(cells) {}

  std::string_view text(const std::string& column) const {
    auto found = columns_.find(column);
    return found == columns_.end() ? std::string_view{} : std::string_view{cells_[found->second]};
  }

  // Parses a time cell; on failure sets `error` (first failure only) and returns N/A.
  ReportTime time(const std::string& column, std::string& error) const {
    auto parsed = parse_report_time(text(column));
    if (parsed.ok()) return *parsed;
    if (error.empty()) error = fmt::format("column {}: {}", column, parsed.error().message);
    return ReportTime{std::nullopt, "N/A"};
  }

  ReportFlag flag(const std::string& column, std::string& error) const {
    auto parsed = parse_report_flag(text(column));
    if (parsed.ok()) return *parsed;
    if (error.empty()) error = fmt::format("column {}: {}", column, parsed.error().message);
    return ReportFlag{std::nullopt, "N/A"};
  }

 private:
  const std::map<std::string, size_t>& columns_;
  const std::vector<std::string>& cells_;
};

// JSON form of a time cell for Identity::attributes: RFC 3339 text, null for N/A, or the marker.
nlohmann::json time_attribute(const ReportTime& value) {
  if (value.time) return core::format_time(*value.time);
  if (value.marker == "N/A") return nullptr;
  return value.marker;
}

nlohmann::json flag_attribute(const ReportFlag& value) {
  if (value.value) return *value.value;
  if (value.marker == "N/A") return nullptr;
  return value.marker;
}

std::string service_cell(std::string_view cell) { return cell == "N/A" ? std::string{} : std::string(cell); }

std::optional<core::UnixTime> latest(std::optional<core::UnixTime> a, std::optional<core::UnixTime> b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

// Returns the account id of "arn:aws:iam::123456789012:user/name", or "" when the ARN is not an
// IAM ARN.
std::string account_of_arn(std::string_view arn) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return {};
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  if (parts[0] != "arn" || parts[1].substr(0, 3) != "aws" || parts[2] != "iam") return {};
  return std::string(parts[4]);
}

// Everything one row produces, built completely before any of it enters the batch.
struct RowRecords {
  core::Identity identity;
  std::vector<core::Credential> credentials;
};

core::Credential make_credential(const core::Identity& identity, std::string suffix, std::string kind) {
  core::Credential credential;
  credential.platform = "aws";
  credential.id = identity.id + "#" + suffix;
  credential.identity_id = identity.id;
  credential.kind = std::move(kind);
  credential.attributes["source"] = "aws-credential-report";
  return credential;
}

// Adds the access key in slot 1 or 2 when the slot contains a key. The report does not carry key
// ids, so the credential id is "<user arn>#access_key_N"; the posture engine merges it with the
// key listed under its real id by `aws iam list-access-keys` (same user, same creation second).
void add_access_key(const RowReader& row, int slot, RowRecords& records, std::string& error) {
  const std::string prefix = fmt::format("access_key_{}_", slot);
  const ReportFlag active = row.flag(prefix + "active", error);
  const ReportTime last_rotated = row.time(prefix + "last_rotated", error);
  const ReportTime last_used = row.time(prefix + "last_used_date", error);
  if (!last_rotated.is_time() && active.value != true) return;

  core::Credential key = make_credential(records.identity, fmt::format("access_key_{}", slot), "aws_access_key");
  key.status = active.value == true ? "active" : "inactive";
  // last_rotated is when the key now in the slot was created: rotating a key means creating a
  // new one, which resets the column.
  key.created = last_rotated.time;
  key.last_rotated = last_rotated.time;
  key.last_used = last_used.time;
  key.last_used_region = service_cell(row.text(prefix + "last_used_region"));
  key.last_used_service = service_cell(row.text(prefix + "last_used_service"));
  key.attributes["slot"] = slot;
  records.credentials.push_back(std::move(key));
}

void add_certificate(const RowReader& row, int slot, RowRecords& records, std::string& error) {
  const std::string prefix = fmt::format("cert_{}_", slot);
  const ReportFlag active = row.flag(prefix + "active", error);
  const ReportTime last_rotated = row.time(prefix + "last_rotated", error);
  records.identity.attributes[prefix + "active"] = flag_attribute(active);
  records.identity.attributes[prefix + "last_rotated"] = time_attribute(last_rotated);
  if (!last_rotated.is_time() && active.value != true) return;

  core::Credential cert = make_credential(records.identity, fmt::format("cert_{}", slot), "x509_certificate");
  cert.status = active.value == true ? "active" : "inactive";
  cert.created = last_rotated.time;
  cert.last_rotated = last_rotated.time;
  cert.attributes["slot"] = slot;
  records.credentials.push_back(std::move(cert));
}

// Records the password and MFA columns in the identity's attributes and in `facts`, and adds the
// console password credential when the user has one.
void add_console_password(const RowReader& row, RowRecords& records, UsageFacts& facts, std::string& error) {
  const ReportFlag enabled = row.flag("password_enabled", error);
  const ReportTime last_used = row.time("password_last_used", error);
  const ReportTime last_changed = row.time("password_last_changed", error);
  const ReportTime next_rotation = row.time("password_next_rotation", error);
  const ReportFlag mfa = row.flag("mfa_active", error);

  nlohmann::json& attributes = records.identity.attributes;
  attributes["password_enabled"] = flag_attribute(enabled);
  attributes["password_last_used"] = time_attribute(last_used);
  attributes["password_last_changed"] = time_attribute(last_changed);
  attributes["password_next_rotation"] = time_attribute(next_rotation);
  attributes["mfa_active"] = mfa.value.value_or(false);

  facts.password_enabled = enabled.value == true;
  facts.password_last_used = last_used.time;
  facts.mfa_active = mfa.value == true;
  if (enabled.value != true) return;

  core::Credential password = make_credential(records.identity, "password", "aws_console_password");
  password.created = last_changed.time;
  password.last_rotated = last_changed.time;
  password.last_used = last_used.time;
  password.expires = next_rotation.time;
  password.attributes["mfa_active"] = facts.mfa_active;
  records.credentials.push_back(std::move(password));
}

// Converts one data row. Returns an error message, or "" when the row is valid.
std::string convert_row(const RowReader& row, core::UnixTime reference, RowRecords& records) {
  std::string error;
  const std::string_view user = row.text("user");
  const std::string_view arn = row.text("arn");
  if (user.empty()) return "column user is empty";
  const std::string account = account_of_arn(arn);
  if (account.empty()) return fmt::format("column arn: '{}' is not an IAM ARN", arn.substr(0, 256));

  const bool is_root = user == kRootUserName;
  core::Identity& identity = records.identity;
  identity.platform = "aws";
  identity.id = std::string(arn);
  identity.kind = is_root ? "root" : "iam_user";
  identity.name = std::string(user);
  identity.account = account;
  identity.created = row.time("user_creation_time", error).time;

  UsageFacts facts;
  facts.user_name = user;
  facts.is_root = is_root;
  add_console_password(row, records, facts, error);
  add_access_key(row, 1, records, error);
  add_access_key(row, 2, records, error);
  add_certificate(row, 1, records, error);
  add_certificate(row, 2, records, error);
  if (!error.empty()) return error;

  for (const core::Credential& credential : records.credentials) {
    if (credential.kind == "aws_access_key") facts.key_last_used = latest(facts.key_last_used, credential.last_used);
  }
  identity.last_used = latest(facts.password_last_used, facts.key_last_used);
  ClassificationResult classified = classify_report_user(facts, reference);
  identity.classification = classified.classification;
  identity.classification_reason = std::move(classified.reason);
  return {};
}

// Origin of the CSV text, for error positions.
struct CsvOrigin {
  std::string file;
  bool decoded = false;  // true when the CSV was base64-decoded from the JSON "Content" field
};

void report_row_error(ParseContext& ctx, const CsvOrigin& origin, long long line, long long offset,
                      const std::string& message) {
  RecordError error;
  error.file = origin.file;
  error.line = line;
  // Byte offsets into decoded content do not point into the file, so only lines are given.
  error.offset = origin.decoded ? -1 : offset;
  error.message = origin.decoded ? message + " (line of the base64-decoded report in \"Content\")" : message;
  ctx.errors.push_back(std::move(error));
}

core::Status read_header(std::string_view line, std::map<std::string, size_t>& columns) {
  auto cells = split_csv_record(strip_bom(line));
  if (!cells) return core::make_error(core::ErrorCode::unsupported_format, "credential report header has an unbalanced quote");
  for (size_t i = 0; i < cells->size(); ++i) columns.emplace((*cells)[i], i);
  for (const char* required : {"user", "arn"}) {
    if (!columns.count(required)) {
      return core::make_error(core::ErrorCode::unsupported_format,
                              fmt::format("credential report header has no '{}' column", required));
    }
  }
  return {};
}

core::Status parse_csv(std::string_view csv, const CsvOrigin& origin, ParseContext& ctx) {
  const core::UnixTime reference = ctx.generated_time.value_or(ctx.as_of != 0 ? ctx.as_of : core::now());
  std::map<std::string, size_t> columns;
  bool have_header = false;
  long long line_number = 0;
  size_t position = 0;
  while (position < csv.size()) {
    const size_t end = std::min(csv.find('\n', position), csv.size());
    std::string_view line = csv.substr(position, end - position);
    const long long offset = static_cast<long long>(position);
    position = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;

    if (!have_header) {
      core::Status status = read_header(line, columns);
      if (!status.ok()) return status;
      have_header = true;
      continue;
    }
    if (line.size() > kMaxRecordBytes) {
      report_row_error(ctx, origin, line_number, offset,
                       fmt::format("row is {} bytes, over the {} byte limit; skipped", line.size(), kMaxRecordBytes));
      continue;
    }
    auto cells = split_csv_record(line);
    if (!cells || cells->size() != columns.size()) {
      const std::string reason = !cells ? std::string("unbalanced quote")
                                        : fmt::format("{} columns, header has {}", cells->size(), columns.size());
      report_row_error(ctx, origin, line_number, offset, fmt::format("malformed row ({}); skipped", reason));
      continue;
    }
    RowRecords records;
    const std::string error = convert_row(RowReader(columns, *cells), reference, records);
    if (!error.empty()) {
      report_row_error(ctx, origin, line_number, offset, error + "; row skipped");
      continue;
    }
    ctx.batch.identities.push_back(std::move(records.identity));
    for (auto& credential : records.credentials) ctx.batch.credentials.push_back(std::move(credential));
    ++ctx.records;
  }
  if (!have_header) return core::make_error(core::ErrorCode::unsupported_format, "credential report is empty: no header row");
  return {};
}

// Unwraps the `aws iam get-credential-report` JSON, records GeneratedTime and parses the CSV.
core::Status parse_wrapped(std::string_view json, const std::string& file, ParseContext& ctx) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json.data(), json.size()).get(object) != simdjson::SUCCESS) {
    return core::make_error(core::ErrorCode::invalid_input,
                            "invalid JSON: expected the object that `aws iam get-credential-report` prints");
  }
  std::string_view content;
  if (object["Content"].get(content) != simdjson::SUCCESS) {
    return core::make_error(core::ErrorCode::invalid_input, "credential report JSON has no string field \"Content\"");
  }
  std::string_view format;
  if (object["ReportFormat"].get(format) == simdjson::SUCCESS && format != "text/csv") {
    return core::make_error(core::ErrorCode::unsupported_format,
                            fmt::format("credential report format '{}' is not supported; expected text/csv", format));
  }
  std::string_view generated;
  if (object["GeneratedTime"].get(generated) == simdjson::SUCCESS) {
    auto time = core::parse_time(generated);
    if (!time) {
      return core::make_error(core::ErrorCode::invalid_input,
                              fmt::format("GeneratedTime '{}' is not an ISO 8601 time", generated.substr(0, 64)));
    }
    ctx.generated_time = *time;
    // Stored so that posture runs measure ages against the report's time, not the run's.
    ctx.batch.settings.emplace_back("aws.credential_report.generated_time", core::format_time(*time));
  }
  auto csv = decode_base64(content);
  if (!csv.ok()) {
    return core::make_error(core::ErrorCode::invalid_input, "credential report \"Content\": " + csv.error().message);
  }
  return parse_csv(*csv, CsvOrigin{file, true}, ctx);
}

}  // namespace

std::string_view CredentialReportSource::name() const { return "aws-credential-report"; }

std::string_view CredentialReportSource::description() const {
  return "IAM credential report: the JSON of `aws iam get-credential-report`, or its CSV "
         "(`aws iam get-credential-report --query Content --output text | base64 -d`)";
}

int CredentialReportSource::detect(std::string_view head, std::string_view /*path*/) const {
  const std::string_view text = skip_whitespace(strip_bom(head));
  if (text.substr(0, kHeaderStart.size()) == kHeaderStart) return 100;
  if (text.empty() || text.front() != '{' || text.find("\"Content\"") == std::string_view::npos) return 0;
  // "Content" may fill the whole head and push "ReportFormat" out of it, because JSON writers
  // that sort keys put it first. The base64 of the header's start, "user,arn", identifies it.
  if (text.find(kEncodedHeaderStart) != std::string_view::npos) return 95;
  return text.find("\"ReportFormat\"") != std::string_view::npos ? 90 : 0;
}

core::Status CredentialReportSource::parse(const Input& input, ParseContext& ctx) const {
  const std::string_view text = skip_whitespace(strip_bom(input.data));
  if (!text.empty() && text.front() == '{') return parse_wrapped(text, input.path, ctx);
  // The CSV is read from the start of the input so that byte offsets in errors are file offsets.
  return parse_csv(input.data, CsvOrigin{input.path, false}, ctx);
}

}  // namespace keyward::sources::aws
