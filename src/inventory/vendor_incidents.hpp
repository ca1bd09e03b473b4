#pragma once

// The vendor incident list: data/vendor-incidents.csv, publicly documented security incidents in
// which attackers obtained the tokens or secrets that a third-party vendor held for its
// customers. The nhi.third_party.vendor_incident check matches connections against it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace keyward::inventory {

struct VendorIncident {
  std::string vendor;                // "CircleCI"
  std::vector<std::string> aliases;  // other names of the vendor or of the affected product
  core::UnixTime date = 0;           // midnight UTC of the disclosure day
  std::string title;
  std::string reference;             // URL of the public report
  long long line = 0;                // line in the file, for messages
};

inline constexpr std::string_view kVendorIncidentFileName = "vendor-incidents.csv";

class VendorIncidentList {
 public:
  // Parses the CSV text; `file` names it in errors. A malformed line fails the whole load with
  // the file, the line number and what to fix, because a maintained list should not half-load.
  static core::Result<VendorIncidentList> parse(std::string_view text, const std::string& file);
  static core::Result<VendorIncidentList> load(const std::string& path);

  // Returns the incidents whose vendor name or an alias appears as whole words in any of
  // `names` (a vendor, publisher or app name), ignoring case, punctuation and legal suffixes.
  std::vector<const VendorIncident*> match(const std::vector<std::string>& names) const;

  const std::vector<VendorIncident>& incidents() const { return incidents_; }
  const std::string& file() const { return file_; }

 private:
  struct Key {
    std::vector<std::string> words;
    size_t incident = 0;
  };

  std::vector<VendorIncident> incidents_;
  std::vector<Key> keys_;
  std::string file_;
};

// Finds vendor-incidents.csv: `explicit_path` when given (a file, or a directory that holds it),
// else in $KEYWARD_DATA, else in ./data, the directories vendors.csv is read from. Returns ""
// when there is none.
std::string find_vendor_incident_file(const std::string& explicit_path);

// Loads the list found by find_vendor_incident_file. Returns std::nullopt when no file exists,
// and an error when an explicit path is missing or the file is malformed.
core::Result<std::optional<VendorIncidentList>> load_vendor_incidents(const std::string& explicit_path);

}  // namespace keyward::inventory
