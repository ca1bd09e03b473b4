#pragma once

// The vendor catalog: data/vendors.csv, a maintained list of third-party vendors with their
// category, other names and domains. It maps the publisher, display name or OAuth client name a
// platform reports to one vendor, so that a vendor connected on several platforms is one vendor.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace keyward::inventory {

struct VendorInfo {
  std::string name;      // "Zapier"
  std::string category;  // "automation", "genai", ...
  bool word_match = true;  // match column: the name or an alias may appear inside a longer name
  std::vector<std::string> aliases;
  std::vector<std::string> domains;  // lower case
};

inline constexpr std::string_view kVendorFileName = "vendors.csv";

// Categories a catalog line may name.
bool is_known_vendor_category(std::string_view category);

// Generative-AI vendors (category "genai").
bool is_generative_ai_category(std::string_view category);

// Automation platforms (category "automation"): they move data between the systems they are
// connected to, so their access to one system is indirect access to the others.
bool is_automation_category(std::string_view category);

// Splits a name into lower-case words of letters and digits and drops a trailing legal suffix
// ("Inc", "LLC", "Ltd", "Corp", ...): "Zapier, Inc." -> {"zapier"}.
std::vector<std::string> name_words(std::string_view text);

class VendorCatalog {
 public:
  // Parses the CSV text. `file` names it in errors. Any malformed line fails the whole load with
  // the line number and what to fix, because a maintained list should not half-load.
  static core::Result<VendorCatalog> parse(std::string_view text, const std::string& file);
  static core::Result<VendorCatalog> load(const std::string& path);

  // Returns the vendor named by `text` (a publisher, display name or client name), or nullptr.
  // A whole-name match wins over a domain match, and a domain match over a word match; among
  // word matches the longest name wins.
  const VendorInfo* match(std::string_view text) const;

  // Matches the identity's vendor, publisher attribute and name, in that order of preference.
  const VendorInfo* match_identity(const core::Identity& identity) const;

  const std::vector<VendorInfo>& vendors() const { return vendors_; }
  const std::string& file() const { return file_; }

 private:
  struct Key {
    std::vector<std::string> words;
    size_t vendor = 0;
  };

  const VendorInfo* match_exact(const std::vector<std::string>& words) const;
  const VendorInfo* match_domain(std::string_view lowered) const;
  const VendorInfo* match_words(const std::vector<std::string>& words, size_t& matched_words) const;

  std::vector<VendorInfo> vendors_;
  std::vector<Key> keys_;
  std::string file_;
};

// Finds vendors.csv: `explicit_path` when given, else in $KEYWARD_DATA, else in ./data (the
// directories the enrichment data is read from). Returns "" when there is none.
std::string find_vendor_file(const std::string& explicit_path);

// Returns `explicit_path` (or `file_name` inside it when it is a directory) when given, else
// `file_name` in $KEYWARD_DATA or ./data, whichever exists first, else "".
std::string find_data_file(const std::string& explicit_path, std::string_view file_name);

// Loads the catalog found by find_vendor_file. Returns std::nullopt when no file exists, and an
// error when an explicit path is missing or the file is malformed.
core::Result<std::optional<VendorCatalog>> load_vendor_catalog(const std::string& explicit_path);

}  // namespace keyward::inventory
