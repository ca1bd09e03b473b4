#include "inventory/vendors.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/model_json.hpp"
#include "inventory/attribute_values.hpp"
#include "inventory/privilege.hpp"
#include "inventory/vendor_catalog.hpp"

namespace keyward::inventory {
namespace {

std::string group_key(const std::string& name) {
  std::string key;
  for (const auto& word : name_words(name)) {
    if (!key.empty()) key += ' ';
    key += word;
  }
  return key.empty() ? lower_ascii(name) : key;
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

std::vector<VendorSummary> group_vendors(const std::vector<report::InventoryEntry>& entries) {
  std::map<std::string, VendorSummary> groups;
  for (const auto& entry : entries) {
    if (!entry.third_party || entry.vendor.empty()) continue;
    VendorSummary& vendor = groups[group_key(entry.vendor)];
    if (vendor.name.empty()) vendor.name = entry.vendor;
    if (vendor.category.empty()) vendor.category = entry.vendor_category;
    add_unique(vendor.publishers, entry.publisher);
    add_unique(vendor.platforms, entry.platform);
    for (const auto& scope : entry.scopes) add_unique(vendor.scopes, scope);
    for (const auto& person : entry.connected_by) add_unique(vendor.connected_by, person);
    if (privilege_rank(entry.privilege) > privilege_rank(vendor.privilege)) vendor.privilege = entry.privilege;
    if (entry.publisher_verified.has_value()) {
      if (!*entry.publisher_verified) {
        vendor.verification = "unverified";
      } else if (vendor.verification == "unknown") {
        vendor.verification = "verified";
      }
    }
    if (entry.last_used && (!vendor.last_used || *entry.last_used > *vendor.last_used)) vendor.last_used = entry.last_used;
    vendor.connections.push_back(
        {entry.platform, entry.id, entry.name, entry.kind, entry.privilege, entry.publisher_verified});
  }

  std::vector<VendorSummary> vendors;
  vendors.reserve(groups.size());
  for (auto& [key, vendor] : groups) {
    vendor.generative_ai = is_generative_ai_category(vendor.category);
    vendor.indirect_access = is_automation_category(vendor.category);
    std::sort(vendor.platforms.begin(), vendor.platforms.end());
    std::sort(vendor.connected_by.begin(), vendor.connected_by.end());
    vendors.push_back(std::move(vendor));
  }
  return vendors;
}

bool matches(const VendorSummary& vendor, const VendorFilter& filter) {
  if (!filter.categories.empty() &&
      std::find(filter.categories.begin(), filter.categories.end(), lower_ascii(vendor.category)) == filter.categories.end()) {
    return false;
  }
  if (filter.unverified && vendor.verification != "unverified") return false;
  if (filter.generative_ai && !vendor.generative_ai) return false;
  return true;
}

nlohmann::json to_json(const VendorSummary& vendor) {
  nlohmann::json connections = nlohmann::json::array();
  for (const auto& connection : vendor.connections) {
    connections.push_back({{"platform", connection.platform},
                           {"id", connection.id},
                           {"name", connection.name},
                           {"kind", connection.kind},
                           {"privilege", connection.privilege.empty() ? nlohmann::json(nullptr) : nlohmann::json(connection.privilege)},
                           {"publisher_verified", connection.publisher_verified ? nlohmann::json(*connection.publisher_verified)
                                                                                : nlohmann::json(nullptr)}});
  }
  return {{"name", vendor.name},
          {"category", vendor.category.empty() ? nlohmann::json(nullptr) : nlohmann::json(vendor.category)},
          {"verification", vendor.verification},
          {"publishers", vendor.publishers},
          {"connection_count", vendor.connections.size()},
          {"platforms", vendor.platforms},
          {"scopes", vendor.scopes},
          {"privilege", vendor.privilege.empty() ? nlohmann::json(nullptr) : nlohmann::json(vendor.privilege)},
          {"connected_by", vendor.connected_by},
          {"generative_ai", vendor.generative_ai},
          {"indirect_access", vendor.indirect_access},
          // The systems an automation platform links: every platform it is connected to.
          {"indirect_platforms", vendor.indirect_access ? nlohmann::json(vendor.platforms) : nlohmann::json::array()},
          {"last_used", core::optional_time_json(vendor.last_used)},
          {"connections", connections}};
}

}  // namespace keyward::inventory
