#include "inventory/filters.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "enrich/text_file.hpp"
#include "inventory/attribute_values.hpp"
#include "inventory/privilege.hpp"
#include "inventory/vendor_catalog.hpp"

namespace keyward::inventory {
namespace {

constexpr core::UnixTime kSecondsPerDay = 86400;

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

std::vector<std::string> split_option_values(const std::vector<std::string>& values) {
  std::vector<std::string> items;
  for (const auto& value : values) {
    size_t start = 0;
    while (start <= value.size()) {
      size_t end = value.find(',', start);
      if (end == std::string::npos) end = value.size();
      std::string_view item = enrich::trim(std::string_view(value).substr(start, end - start));
      if (!item.empty()) items.emplace_back(item);
      start = end + 1;
    }
  }
  return items;
}

core::Result<InventoryFilter> make_inventory_filter(const std::vector<std::string>& platforms,
                                                    const std::vector<std::string>& kinds,
                                                    const std::vector<std::string>& vendors,
                                                    const std::vector<std::string>& owner_statuses,
                                                    const std::string& privilege) {
  InventoryFilter filter;
  // The platforms that have sources; a misspelled one would otherwise match nothing silently.
  static const std::vector<std::string> kPlatforms = {"aws",       "gcp",        "entra", "okta",     "github",
                                                      "workspace", "salesforce", "slack", "snowflake"};
  for (const auto& platform : split_option_values(platforms)) {
    const std::string name = lower_ascii(platform);
    if (!contains(kPlatforms, name)) {
      return core::make_error(core::ErrorCode::invalid_argument,
                              fmt::format("invalid platform '{}'; use one of {}", platform, fmt::join(kPlatforms, ", ")));
    }
    filter.platforms.push_back(name);
  }
  for (const auto& kind : split_option_values(kinds)) filter.kinds.push_back(lower_ascii(kind));
  for (const auto& vendor : split_option_values(vendors)) filter.vendors.push_back(vendor);
  for (const auto& text : split_option_values(owner_statuses)) {
    auto status = parse_owner_status(text);
    if (!status) {
      return core::make_error(core::ErrorCode::invalid_argument,
                              fmt::format("invalid owner status '{}'; use active, suspended, deprovisioned, unknown or none", text));
    }
    filter.owner_statuses.push_back(*status);
  }
  if (!privilege.empty()) {
    filter.min_privilege = privilege_rank(privilege);
    if (filter.min_privilege == 0) {
      return core::make_error(core::ErrorCode::invalid_argument,
                              fmt::format("invalid privilege '{}'; use read, write or admin", privilege));
    }
  }
  return filter;
}

bool matches(const report::InventoryEntry& entry, const InventoryFilter& filter) {
  if (!filter.platforms.empty() && !contains(filter.platforms, lower_ascii(entry.platform))) return false;
  if (!filter.kinds.empty() && !contains(filter.kinds, lower_ascii(entry.kind))) return false;
  if (!filter.vendors.empty()) {
    const auto words = name_words(entry.vendor);
    const bool named = std::any_of(filter.vendors.begin(), filter.vendors.end(),
                                   [&](const std::string& vendor) { return !words.empty() && name_words(vendor) == words; });
    if (!named) return false;
  }
  if (!filter.owner_statuses.empty() &&
      std::find(filter.owner_statuses.begin(), filter.owner_statuses.end(), entry.owner_resolution.status) ==
          filter.owner_statuses.end()) {
    return false;
  }
  if (filter.min_privilege > 0 && privilege_rank(entry.privilege) < filter.min_privilege) return false;
  if (filter.unused_days) {
    const core::UnixTime cutoff = filter.as_of - static_cast<core::UnixTime>(*filter.unused_days) * kSecondsPerDay;
    if (entry.last_used && *entry.last_used >= cutoff) return false;
  }
  if (filter.third_party && !entry.third_party) return false;
  if (filter.shadow && !entry.shadow) return false;
  if (filter.generative_ai && !entry.generative_ai) return false;
  if (filter.indirect_access && !entry.indirect_access) return false;
  return true;
}

}  // namespace keyward::inventory
