#include "enrich/asn_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "enrich/text_file.hpp"

namespace keyward::enrich {

namespace {

// The 2026 asn-ipv4.csv is about 24 MB; ten times that still fits comfortably in memory.
constexpr std::size_t kMaxCsvBytes = 256u << 20;

bool parse_asn(std::string_view text, std::uint32_t& asn) {
  if (text.size() > 2 && (text[0] == 'A' || text[0] == 'a') && (text[1] == 'S' || text[1] == 's')) text.remove_prefix(2);
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), asn);
  return error == std::errc() && end == text.data() + text.size();
}

// A first line whose first field is no address and has no digit is a column header.
bool looks_like_header(std::string_view line) {
  std::string_view first = line.substr(0, line.find(','));
  return std::none_of(first.begin(), first.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool split_csv_line(std::string_view line, std::vector<std::string>& fields) {
  // Strings already in `fields` are overwritten rather than reallocated: loading a 400,000-line
  // table calls this once per line.
  std::size_t count = 0;
  auto next_field = [&fields, &count]() -> std::string& {
    if (count == fields.size()) fields.emplace_back();
    std::string& field = fields[count++];
    field.clear();
    return field;
  };
  std::size_t pos = 0;
  while (true) {
    std::string& field = next_field();
    if (pos < line.size() && line[pos] == '"') {
      ++pos;
      while (true) {
        if (pos >= line.size()) return false;  // unterminated quote
        if (line[pos] == '"') {
          if (pos + 1 < line.size() && line[pos + 1] == '"') {
            field += '"';
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        field += line[pos++];
      }
      if (pos < line.size() && line[pos] != ',') return false;  // text after the closing quote
    } else {
      std::size_t end = line.find(',', pos);
      if (end == std::string_view::npos) end = line.size();
      field.assign(line.substr(pos, end - pos));
      pos = end;
    }
    if (pos >= line.size()) break;
    ++pos;  // the comma
    if (pos == line.size()) {
      next_field();
      break;
    }
  }
  fields.resize(count);
  return true;
}

AsnTable::Key128 AsnTable::key128(const IpAddress& address) {
  Key128 key;
  for (int i = 0; i < 8; ++i) key.high = key.high << 8 | address.bytes[i];
  for (int i = 8; i < 16; ++i) key.low = key.low << 8 | address.bytes[i];
  return key;
}

std::uint32_t AsnTable::intern_organization(std::string_view organization) {
  auto found = organization_index_.find(organization);
  if (found != organization_index_.end()) return found->second;
  auto index = static_cast<std::uint32_t>(organizations_.size());
  organizations_.emplace_back(organization);
  organization_index_.emplace(std::string(organization), index);
  return index;
}

bool AsnTable::add_line(std::string_view line, std::string& problem) {
  std::vector<std::string>& fields = scratch_fields_;
  if (!split_csv_line(line, fields)) {
    problem = "unbalanced quotes";
    return false;
  }
  if (fields.size() < 3) {
    problem = fmt::format("expected first_ip,last_ip,asn,organization but found {} field(s)", fields.size());
    return false;
  }

  auto first = parse_ip(trim(fields[0]));
  auto last = parse_ip(trim(fields[1]));
  if (!first || !last) {
    problem = "first_ip or last_ip is not an IPv4 or IPv6 address";
    return false;
  }
  if (first->family != last->family) {
    problem = "first_ip and last_ip are of different address families";
    return false;
  }
  if (*last < *first) {
    problem = "last_ip is before first_ip";
    return false;
  }

  std::uint32_t asn = 0;
  if (!parse_asn(trim(fields[2]), asn)) {
    problem = "asn is not a number from 0 to 4294967295";
    return false;
  }

  std::uint32_t organization = intern_organization(fields.size() > 3 ? trim(fields[3]) : std::string_view());
  if (first->family == IpFamily::v4) {
    v4_.push_back({first->v4_value(), last->v4_value(), asn, organization});
  } else {
    v6_.push_back({key128(*first), key128(*last), asn, organization});
  }
  return true;
}

core::Result<AsnLoadReport> AsnTable::load_csv(const std::string& path) {
  auto text = read_text_file(path, kMaxCsvBytes);
  if (!text.ok()) return text.error();
  return load_csv_text(*text, path);
}

core::Result<AsnLoadReport> AsnTable::load_csv_text(std::string_view text, const std::string& name) {
  AsnLoadReport report;
  for_each_line(text, [&](std::string_view line, long long number) {
    if (trim(line).empty() || line.front() == '#') return;
    std::string problem;
    if (line.size() > kMaxLineLength) {
      problem = fmt::format("line is longer than {} bytes", kMaxLineLength);
    } else if (add_line(line, problem)) {
      ++report.ranges;
      return;
    } else if (number == 1 && looks_like_header(line)) {
      return;
    }
    ++report.bad_lines;
    if (report.examples.size() < kMaxReportedBadLines) {
      core::Error error = core::make_error(core::ErrorCode::invalid_input, problem);
      error.file = name;
      error.line = number;
      report.examples.push_back(std::move(error));
    }
  });

  auto by_first = [](const auto& a, const auto& b) { return a.first < b.first; };
  std::sort(v4_.begin(), v4_.end(), by_first);
  std::sort(v6_.begin(), v6_.end(), by_first);

  if (report.ranges == 0) {
    core::Error error = core::make_error(
        core::ErrorCode::invalid_input,
        fmt::format("no valid range found ({} bad line(s)); expected lines first_ip,last_ip,asn,organization",
                    report.bad_lines));
    error.file = name;
    return error;
  }
  return report;
}

template <class Key>
std::optional<AsnRecord> AsnTable::find(const std::vector<Range<Key>>& ranges, Key key) const {
  // The last range starting at or before the key contains it, if any range does. This relies on
  // the ranges not overlapping, which is true of the @ip-location-db files.
  auto after = std::upper_bound(ranges.begin(), ranges.end(), key,
                                [](const Key& k, const Range<Key>& range) { return k < range.first; });
  if (after == ranges.begin()) return std::nullopt;
  const Range<Key>& range = *(after - 1);
  if (range.last < key) return std::nullopt;
  return AsnRecord{range.asn, organizations_[range.organization]};
}

std::optional<AsnRecord> AsnTable::lookup(const IpAddress& address) const {
  if (address.family == IpFamily::v4) return find(v4_, address.v4_value());
  if (auto v4 = address.mapped_v4()) return find(v4_, v4->v4_value());
  return find(v6_, key128(address));
}

core::Status AsnDatabase::add_mmdb(const std::string& path) {
  auto file = MmdbFile::open(path);
  if (!file.ok()) return file.error();
  mmdbs_.push_back(std::move(file.value()));
  return {};
}

std::optional<AsnRecord> AsnDatabase::lookup(const IpAddress& address) const {
  if (auto record = table_.lookup(address)) return record;
  for (const auto& file : mmdbs_) {
    auto entry = file->find(address);
    if (!entry) continue;
    auto number = MmdbFile::get_number(*entry, {"autonomous_system_number"});
    if (!number || *number <= 0) continue;
    AsnRecord record;
    record.asn = static_cast<std::uint32_t>(*number);
    record.organization = MmdbFile::get_string(*entry, {"autonomous_system_organization"}).value_or("");
    return record;
  }
  return std::nullopt;
}

}  // namespace keyward::enrich
