#include "sources/aws/cloudtrail_source.hpp"

#include <fmt/format.h>

#include <array>
#include <regex>

#include "sources/common/json_framing.hpp"
#include "sources/aws/cloudtrail_record.hpp"

namespace keyward::sources::aws {
namespace {

// One record larger than this is rejected unread. The records in the Stratus Red Team detonation
// logs (real CloudTrail captures) are at most 3.2 KB, so the limit only stops a corrupt or hostile
// input from being parsed as one giant record.
constexpr size_t kMaxRecordBytes = size_t{1} << 20;
// The same records nest at most 7 levels deep (requestParameters included). 64 leaves room for
// unusual services while bounding the work per record.
constexpr int kMaxRecordDepth = 64;
// After this many bad records the input is almost certainly not CloudTrail, so parsing stops.
constexpr size_t kMaxRecordErrors = 1000;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Reads the records of one input in order and hands each to the event sink.
class RecordStream {
 public:
  RecordStream(const Input& input, ParseContext& ctx) : input_(input), data_(input.data), ctx_(ctx), lines_(data_) {}

  core::Status run();

 private:
  // Whether to stop reading: the input ended inside a record or had too many bad records.
  bool stopped() const { return stopped_; }

  void read_values(size_t begin, size_t end, long long line);
  size_t read_top_level_value(std::string_view range, size_t pos, long long line);
  size_t read_array(std::string_view range, size_t open_bracket, long long line);
  void read_record(std::string_view range, const Frame& frame, long long line);
  void report(size_t offset, long long line, std::string message);
  // Stops reading when `range` reaches the end of the input: nothing more can follow.
  void stop_if_input_ends(std::string_view range) { stopped_ = stopped_ || range.size() >= data_.size(); }
  bool looks_like_json_lines() const;

  const Input& input_;
  std::string_view data_;
  ParseContext& ctx_;
  LineCounter lines_;
  RecordReader reader_;
  core::Event event_;
  size_t error_count_ = 0;
  bool stopped_ = false;
};

core::Status RecordStream::run() {
  size_t start = data_.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0;
  start = skip_whitespace(data_, start);
  if (start >= data_.size()) return {};
  if (data_[start] != '{' && data_[start] != '[') {
    core::Error error = core::make_error(
        core::ErrorCode::unsupported_format,
        "not CloudTrail JSON: expected '{' or '[' at the start; CloudTrail input is an S3 delivery file "
        "({\"Records\":[...]}), a JSON array of records, or one record per line");
    error.file = input_.path;
    error.offset = static_cast<long long>(start);
    return error;
  }

  if (!looks_like_json_lines()) {
    read_values(start, data_.size(), -1);
    return {};
  }
  // One record per line: a broken line is skipped without disturbing the lines after it.
  long long line = lines_.line_at(start);
  size_t line_begin = start;
  while (line_begin < data_.size() && !stopped()) {
    size_t line_end = data_.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = data_.size();
    read_values(line_begin, line_end, line);
    line_begin = line_end + 1;
    ++line;
  }
  return {};
}

// Returns the next non-empty line at or after `pos` without its surrounding whitespace, and sets
// `next` to the position after it.
std::string_view next_line(std::string_view data, size_t pos, size_t& next) {
  pos = skip_whitespace(data, pos);
  size_t end = data.find('\n', pos);
  if (end == std::string_view::npos) end = data.size();
  next = end;
  std::string_view line = data.substr(pos, end - pos);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line;
}

// JSON lines when the first two non-empty lines both start an object and one of them is a whole
// object: a cut first line must not hide the lines after it. Pretty-printed JSON never has two
// lines in a row that start with '{', and a delivery file split after "[" ends neither line in '}'.
bool RecordStream::looks_like_json_lines() const {
  size_t next = data_.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0;
  const std::string_view first = next_line(data_, next, next);
  const std::string_view second = next_line(data_, next, next);
  if (first.size() < 2 || second.size() < 2 || first.front() != '{' || second.front() != '{') return false;
  return first.back() == '}' || second.back() == '}';
}

// Reads the top-level values in [begin, end): records, arrays of records, or delivery files.
void RecordStream::read_values(size_t begin, size_t end, long long line) {
  const std::string_view range = data_.substr(0, end);
  size_t pos = skip_whitespace(range, begin);
  while (pos < end && !stopped()) {
    pos = read_top_level_value(range, pos, line);
    pos = skip_whitespace(range, pos);
  }
}

size_t RecordStream::read_top_level_value(std::string_view range, size_t pos, long long line) {
  if (range[pos] == '[') return read_array(range, pos, line);
  if (range[pos] == '{') {
    const size_t records = find_leading_records_key(range, pos);
    // TODO: read `aws cloudtrail lookup-events` output ({"Events":[{"CloudTrailEvent":"<record as a
    // JSON string>"}]}). Today that object is taken as one record and rejected for lacking eventTime.
    if (records == std::string_view::npos) {
      const Frame frame = frame_value(range, pos, kMaxRecordDepth);
      read_record(range, frame, line);
      return frame.end;
    }
    if (records >= range.size() || range[records] != '[') {
      report(pos, line, "the \"Records\" value is not an array; an S3 delivery file looks like {\"Records\":[{...},{...}]}");
      return frame_value(range, pos, kMaxRecordDepth).end;
    }
    const size_t after_array = read_array(range, records, line);
    if (stopped()) return range.size();
    // Skip any other keys that the delivery file object contains after its Records array.
    const Frame rest = frame_value(range, after_array, kMaxRecordDepth, 1);
    if (rest.status == FrameStatus::truncated) {
      report(after_array, line, "the input ends before the closing '}' of the delivery file (was the file cut short?)");
      stop_if_input_ends(range);
    }
    return rest.end;
  }
  const Frame frame = frame_value(range, pos, kMaxRecordDepth);
  report(pos, line, "unexpected text between records; expected a JSON object (a CloudTrail record)");
  return frame.end;
}

// Reads the records of the array whose '[' is at `open_bracket`; returns the position after ']'.
size_t RecordStream::read_array(std::string_view range, size_t open_bracket, long long line) {
  size_t pos = open_bracket + 1;
  while (!stopped()) {
    pos = skip_whitespace(range, pos);
    if (pos >= range.size()) {
      report(pos, line, "the input ends before the closing ']' of the record array (was the file cut short?)");
      stop_if_input_ends(range);
      return range.size();
    }
    if (range[pos] == ']') return pos + 1;
    if (range[pos] == ',') {
      report(pos, line, "empty element in the record array (two commas in a row); it was skipped");
      ++pos;
      continue;
    }
    const Frame frame = frame_value(range, pos, kMaxRecordDepth);
    read_record(range, frame, line);
    pos = skip_whitespace(range, frame.end);
    if (pos < range.size() && range[pos] == ',') ++pos;
  }
  return range.size();
}

void RecordStream::read_record(std::string_view range, const Frame& frame, long long line) {
  switch (frame.status) {
    case FrameStatus::truncated:
      if (range.size() < data_.size()) {
        report(frame.begin, line, "the line ends inside this record, so it was skipped; put each record on one line");
        return;
      }
      report(frame.begin, line, "the input ends inside this record (was the file cut short?); records before it were read");
      stopped_ = true;
      return;
    case FrameStatus::too_deep:
      report(frame.begin, line,
             fmt::format("record nests deeper than {} levels, more than any CloudTrail record; it was skipped",
                         kMaxRecordDepth));
      return;
    case FrameStatus::empty:
      report(frame.begin, line, fmt::format("unexpected '{}' where a record should start", range[frame.begin]));
      return;
    case FrameStatus::complete:
      break;
  }
  if (range[frame.begin] != '{') {
    report(frame.begin, line, "array element is not a JSON object, so it is not a CloudTrail record; it was skipped");
    return;
  }
  const size_t size = frame.end - frame.begin;
  if (size > kMaxRecordBytes) {
    report(frame.begin, line,
           fmt::format("record is {} bytes, over the {} byte limit for one record; it was skipped. Check that "
                       "records are separated (one per line, or elements of one array)",
                       size, kMaxRecordBytes));
    return;
  }
  std::string problem = reader_.read(data_, frame.begin, frame.end, event_);
  if (!problem.empty()) {
    report(frame.begin, line, std::move(problem));
    return;
  }
  event_.file = input_.path;
  event_.offset = static_cast<long long>(frame.begin);
  ++ctx_.records;
  ctx_.events.on_event(event_);
}

void RecordStream::report(size_t offset, long long line, std::string message) {
  if (stopped_) return;
  if (++error_count_ > kMaxRecordErrors) {
    message = fmt::format("more than {} bad records; stopped reading this input. Check that it is CloudTrail JSON",
                          kMaxRecordErrors);
    stopped_ = true;
  }
  RecordError error;
  error.file = input_.path;
  error.offset = static_cast<long long>(offset);
  error.line = line >= 0 ? line : lines_.line_at(offset);
  error.message = std::move(message);
  ctx_.errors.push_back(std::move(error));
}

// Counts the distinct CloudTrail record keys that appear in `head`.
int count_cloudtrail_keys(std::string_view head) {
  static constexpr std::array<std::string_view, 7> kKeys = {
      "\"eventVersion\"", "\"eventSource\"", "\"eventName\"",         "\"userIdentity\"",
      "\"awsRegion\"",    "\"eventTime\"",   "\"recipientAccountId\""};
  int found = 0;
  for (auto key : kKeys) {
    if (head.find(key) != std::string_view::npos) ++found;
  }
  return found;
}

bool has_cloudtrail_file_name(std::string_view path) {
  // S3 delivery names: ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_UNIQUE.json.gz
  static const std::regex kName(R"((^|/)\d{12}_CloudTrail_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]+\.json(\.gz)?$)");
  return std::regex_search(path.begin(), path.end(), kName);
}

}  // namespace

std::string_view CloudTrailSource::name() const { return "aws-cloudtrail"; }

std::string_view CloudTrailSource::description() const {
  return "AWS CloudTrail records: S3 delivery files ({\"Records\":[...]}, .json.gz), JSON arrays of records, "
         "or one record per line (e.g. CloudTrail Lake or SIEM exports)";
}

int CloudTrailSource::detect(std::string_view head, std::string_view path) const {
  const bool cloudtrail_name = has_cloudtrail_file_name(path);
  const size_t start = skip_whitespace(head, head.substr(0, kUtf8Bom.size()) == kUtf8Bom ? kUtf8Bom.size() : 0);
  if (start >= head.size() || (head[start] != '{' && head[start] != '[')) return 0;
  const bool records_wrapper = head[start] == '{' && find_leading_records_key(head, start) != std::string_view::npos;
  const int keys = count_cloudtrail_keys(head);

  if (records_wrapper && keys >= 2) return 95;
  if (cloudtrail_name && (records_wrapper || keys >= 2)) return 95;
  if (keys >= 4) return 90;
  if (keys >= 3) return 80;
  // An empty delivery file ({"Records":[]}) carries no record keys to recognize.
  if (records_wrapper) return cloudtrail_name ? 90 : 60;
  return 0;
}

core::Status CloudTrailSource::parse(const Input& input, ParseContext& ctx) const {
  RecordStream stream(input, ctx);
  return stream.run();
}

}  // namespace keyward::sources::aws
