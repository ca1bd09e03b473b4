#include "inventory/vendor_catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "enrich/asn_table.hpp"
#include "enrich/text_file.hpp"
#include "inventory/attribute_values.hpp"

namespace keyward::inventory {
namespace {

constexpr std::size_t kMaxCatalogBytes = 4 * 1024 * 1024;
constexpr std::array<std::string_view, 9> kCategories = {"automation", "genai",        "devtools",
                                                         "crm",        "analytics",    "security",
                                                         "productivity", "observability", "cloud"};
constexpr std::array<std::string_view, 12> kLegalSuffixes = {"inc", "llc", "ltd", "limited", "corp", "corporation",
                                                             "co",  "gmbh", "plc", "pbc",     "ag",   "bv"};

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = enrich::trim(text.substr(start, end - start));
    if (!item.empty()) items.emplace_back(item);
    start = end + 1;
  }
  return items;
}

core::Error line_error(const std::string& file, long long line, std::string message) {
  core::Error error = core::make_error(core::ErrorCode::invalid_input, std::move(message));
  error.file = file;
  error.line = line;
  return error;
}

bool is_domain_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.';
}

bool valid_domain(std::string_view domain) {
  if (domain.empty() || domain.find('.') == std::string_view::npos) return false;
  if (domain.front() == '.' || domain.back() == '.') return false;
  return std::all_of(domain.begin(), domain.end(), is_domain_char);
}

// Whether `haystack` (lower case) names `domain` or one of its subdomains: the domain is
// preceded by the start, a dot or a non-domain character, and followed by the end or a
// character that cannot continue a host name.
bool contains_domain(std::string_view haystack, std::string_view domain) {
  size_t position = haystack.find(domain);
  while (position != std::string_view::npos) {
    const bool start_ok = position == 0 || haystack[position - 1] == '.' || !is_domain_char(haystack[position - 1]);
    const size_t end = position + domain.size();
    const bool end_ok = end == haystack.size() || !is_domain_char(haystack[end]);
    if (start_ok && end_ok) return true;
    position = haystack.find(domain, position + 1);
  }
  return false;
}

bool contains_sequence(const std::vector<std::string>& words, const std::vector<std::string>& sequence) {
  if (sequence.empty() || sequence.size() > words.size()) return false;
  return std::search(words.begin(), words.end(), sequence.begin(), sequence.end()) != words.end();
}

}  // namespace

bool is_known_vendor_category(std::string_view category) {
  return std::find(kCategories.begin(), kCategories.end(), category) != kCategories.end();
}

bool is_generative_ai_category(std::string_view category) { return category == "genai"; }

bool is_automation_category(std::string_view category) { return category == "automation"; }

std::vector<std::string> name_words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      current.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  while (words.size() > 1 &&
         std::find(kLegalSuffixes.begin(), kLegalSuffixes.end(), words.back()) != kLegalSuffixes.end()) {
    words.pop_back();
  }
  return words;
}

core::Result<VendorCatalog> VendorCatalog::parse(std::string_view text, const std::string& file) {
  VendorCatalog catalog;
  catalog.file_ = file;
  std::optional<core::Error> failure;
  std::vector<std::string> fields;
  enrich::for_each_line(text, [&](std::string_view raw, long long number) {
    if (failure) return;
    std::string_view line = enrich::trim(raw);
    if (line.empty() || line.front() == '#' || line.starts_with("name,")) return;
    if (!enrich::split_csv_line(line, fields)) {
      failure = line_error(file, number, "invalid CSV: a quote is not closed, or text follows a closing quote");
      return;
    }
    if (fields.size() != 5) {
      failure = line_error(file, number, fmt::format("expected 5 fields (name,category,match,aliases,domains), found {}",
                                                     fields.size()));
      return;
    }
    VendorInfo vendor;
    vendor.name = std::string(enrich::trim(fields[0]));
    vendor.category = lower_ascii(enrich::trim(fields[1]));
    const std::string match = lower_ascii(enrich::trim(fields[2]));
    if (vendor.name.empty() || name_words(vendor.name).empty()) {
      failure = line_error(file, number, "the vendor name is empty; give the vendor's usual name in the first field");
      return;
    }
    if (!is_known_vendor_category(vendor.category)) {
      failure = line_error(file, number, fmt::format("unknown category '{}' for {}; use one of automation, genai, "
                                                     "devtools, crm, analytics, security, productivity, "
                                                     "observability, cloud",
                                                     vendor.category, vendor.name));
      return;
    }
    if (match != "word" && match != "exact") {
      failure = line_error(file, number, fmt::format("invalid match '{}' for {}; use word or exact", match, vendor.name));
      return;
    }
    vendor.word_match = match == "word";
    vendor.aliases = split_list(fields[3]);
    for (auto& domain : split_list(fields[4])) {
      domain = lower_ascii(domain);
      if (!valid_domain(domain)) {
        failure = line_error(file, number, fmt::format("invalid domain '{}' for {}; give a host name such as example.com",
                                                       domain, vendor.name));
        return;
      }
      vendor.domains.push_back(std::move(domain));
    }
    for (const auto& existing : catalog.vendors_) {
      if (name_words(existing.name) == name_words(vendor.name)) {
        failure = line_error(file, number, fmt::format("{} is listed twice; merge the two lines", vendor.name));
        return;
      }
    }
    const size_t index = catalog.vendors_.size();
    catalog.keys_.push_back({name_words(vendor.name), index});
    for (const auto& alias : vendor.aliases) {
      auto words = name_words(alias);
      if (!words.empty()) catalog.keys_.push_back({std::move(words), index});
    }
    catalog.vendors_.push_back(std::move(vendor));
  });
  if (failure) return *failure;
  if (catalog.vendors_.empty()) {
    core::Error error = core::make_error(core::ErrorCode::invalid_input,
                                         "no vendors listed; expected lines name,category,match,aliases,domains");
    error.file = file;
    return error;
  }
  return catalog;
}

core::Result<VendorCatalog> VendorCatalog::load(const std::string& path) {
  auto text = enrich::read_text_file(path, kMaxCatalogBytes);
  if (!text.ok()) return text.error();
  return parse(*text, path);
}

const VendorInfo* VendorCatalog::match_exact(const std::vector<std::string>& words) const {
  if (words.empty()) return nullptr;
  for (const auto& key : keys_) {
    if (key.words == words) return &vendors_[key.vendor];
  }
  return nullptr;
}

const VendorInfo* VendorCatalog::match_domain(std::string_view lowered) const {
  for (const auto& vendor : vendors_) {
    for (const auto& domain : vendor.domains) {
      if (contains_domain(lowered, domain)) return &vendor;
    }
  }
  return nullptr;
}

const VendorInfo* VendorCatalog::match_words(const std::vector<std::string>& words, size_t& matched_words) const {
  const VendorInfo* best = nullptr;
  matched_words = 0;
  for (const auto& key : keys_) {
    if (!vendors_[key.vendor].word_match || key.words.size() <= matched_words) continue;
    if (contains_sequence(words, key.words)) {
      best = &vendors_[key.vendor];
      matched_words = key.words.size();
    }
  }
  return best;
}

const VendorInfo* VendorCatalog::match(std::string_view text) const {
  if (text.empty()) return nullptr;
  const auto words = name_words(text);
  if (const VendorInfo* vendor = match_exact(words)) return vendor;
  if (const VendorInfo* vendor = match_domain(lower_ascii(text))) return vendor;
  size_t matched_words = 0;
  return match_words(words, matched_words);
}

const VendorInfo* VendorCatalog::match_identity(const core::Identity& identity) const {
  const std::array<std::string, 3> texts = {identity.vendor,
                                            string_attribute(identity.attributes, core::attribute::kPublisher),
                                            identity.name};
  for (const auto& text : texts) {
    if (const VendorInfo* vendor = match_exact(name_words(text))) return vendor;
  }
  for (const auto& text : texts) {
    if (text.empty()) continue;
    if (const VendorInfo* vendor = match_domain(lower_ascii(text))) return vendor;
  }
  const VendorInfo* best = nullptr;
  size_t best_words = 0;
  for (const auto& text : texts) {
    size_t matched_words = 0;
    const VendorInfo* vendor = match_words(name_words(text), matched_words);
    if (vendor != nullptr && matched_words > best_words) {
      best = vendor;
      best_words = matched_words;
    }
  }
  return best;
}

std::string find_data_file(const std::string& explicit_path, std::string_view file_name) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!explicit_path.empty()) {
    if (fs::is_directory(explicit_path, error)) return (fs::path(explicit_path) / file_name).string();
    return explicit_path;
  }
  std::vector<fs::path> directories;
  const char* from_environment = std::getenv("KEYWARD_DATA");
  if (from_environment != nullptr && *from_environment != '\0') directories.emplace_back(from_environment);
  directories.emplace_back("data");
  for (const auto& directory : directories) {
    const fs::path candidate = directory / file_name;
    if (fs::is_regular_file(candidate, error)) return candidate.string();
  }
  return {};
}

std::string find_vendor_file(const std::string& explicit_path) { return find_data_file(explicit_path, kVendorFileName); }

core::Result<std::optional<VendorCatalog>> load_vendor_catalog(const std::string& explicit_path) {
  const std::string path = find_vendor_file(explicit_path);
  if (path.empty()) return std::optional<VendorCatalog>();
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    core::Error missing = core::make_error(core::ErrorCode::not_found, "vendor catalog file not found");
    missing.file = path;
    return missing;
  }
  auto catalog = VendorCatalog::load(path);
  if (!catalog.ok()) return catalog.error();
  return std::optional<VendorCatalog>(std::move(catalog).value());
}

}  // namespace keyward::inventory
