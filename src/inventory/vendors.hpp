#pragma once

// Vendors: third-party NHIs (attribute third_party, or a vendor set) grouped by vendor across
// platforms, with what the vendor can reach and who connected it.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "report/inventory.hpp"

namespace keyward::inventory {

// One NHI through which the vendor is connected.
struct VendorConnection {
  std::string platform;
  std::string id;
  std::string name;
  std::string kind;
  std::string privilege;
  std::optional<bool> publisher_verified;
};

struct VendorSummary {
  std::string name;
  std::string category;      // "" when the catalog does not list the vendor
  // "unverified" when any connection's publisher is unverified, "verified" when every
  // connection that states it is verified, "unknown" when none states it.
  std::string verification = "unknown";
  std::vector<std::string> publishers;    // raw publisher names as the platforms report them
  std::vector<std::string> platforms;     // platforms where the vendor is connected
  std::vector<std::string> scopes;        // union of scopes and permissions
  std::string privilege;                  // highest level over the connections, "" when unknown
  std::vector<std::string> connected_by;  // people who authorized or installed it
  bool generative_ai = false;
  // Automation platforms pass data between the systems they connect to, so access to one of
  // platforms is indirect access to the others.
  bool indirect_access = false;
  std::optional<core::UnixTime> last_used;
  std::vector<VendorConnection> connections;
};

// Groups the third-party entries by vendor name (compared by name_words), ordered by name.
std::vector<VendorSummary> group_vendors(const std::vector<report::InventoryEntry>& entries);

struct VendorFilter {
  std::vector<std::string> categories;  // empty: all
  bool unverified = false;              // only vendors with an unverified publisher
  bool generative_ai = false;           // only generative-AI vendors
};

bool matches(const VendorSummary& vendor, const VendorFilter& filter);

nlohmann::json to_json(const VendorSummary& vendor);

}  // namespace keyward::inventory
