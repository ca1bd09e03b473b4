#include "posture/context.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "inventory/attribute_values.hpp"

namespace keyward::posture {
namespace {

constexpr size_t kMaxConnections = 8;

std::string tag_value(const core::Identity& identity, std::initializer_list<std::string_view> keys) {
  const auto tags = identity.attributes.find("tags");
  if (tags == identity.attributes.end() || !tags->is_object()) return "";
  for (auto it = tags->begin(); it != tags->end(); ++it) {
    const std::string key = inventory::lower_ascii(it.key());
    if (!it.value().is_string()) continue;
    for (std::string_view wanted : keys) {
      if (key == wanted) return it.value().get<std::string>();
    }
  }
  return "";
}

// Splits a name into lower-case words at every character that is not a letter or digit.
std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::string environment_from_words(std::string_view text) {
  for (const auto& word : words_of(text)) {
    if (word == "prod" || word == "production" || word == "prd") return "production";
    if (word == "staging" || word == "stage" || word == "stg") return "staging";
    if (word == "dev" || word == "development" || word == "test" || word == "qa" || word == "sandbox") {
      return "development";
    }
  }
  return "";
}

std::string normalize_environment(std::string value) {
  const std::string named = environment_from_words(value);
  return named.empty() ? value : named;
}

std::string team_of(const core::Identity& identity) {
  std::string team = tag_value(identity, {"team", "owner-team", "owner_team", "department", "squad", "group"});
  if (!team.empty()) return team;
  const auto groups = inventory::string_list_attribute(identity.attributes, "groups");
  return groups.empty() ? "" : groups.front();
}

std::vector<std::string> connections_of(const report::InventoryEntry& entry) {
  std::vector<std::string> reached;
  std::set<std::string> seen;
  auto add = [&](const std::string& value) {
    if (!value.empty() && seen.insert(value).second) reached.push_back(value);
  };
  for (const auto& grant : entry.grants) {
    if (grant.effect != "Allow") continue;
    for (const auto& resource : grant.resources) {
      add(resource == "*" ? (entry.identity.platform == "aws" ? "all resources in account " + entry.identity.account
                                                                : std::string("all resources"))
                          : resource);
    }
  }
  for (const auto& scope : entry.scopes) add(scope);
  if (reached.size() > kMaxConnections) {
    const size_t more = reached.size() - kMaxConnections;
    reached.resize(kMaxConnections);
    reached.push_back(fmt::format("and {} more", more));
  }
  return reached;
}

std::optional<core::UnixTime> latest(std::optional<core::UnixTime> a, std::optional<core::UnixTime> b) {
  if (!a) return b;
  if (!b) return a;
  return std::max(*a, *b);
}

}  // namespace

std::string environment_of(const core::Identity& identity) {
  std::string tagged = tag_value(identity, {"env", "environment", "stage", "tier"});
  if (!tagged.empty()) return normalize_environment(std::move(tagged));
  for (const std::string* text : {&identity.account, &identity.name}) {
    std::string named = environment_from_words(*text);
    if (!named.empty()) return named;
  }
  return "";
}

core::FindingContext build_context(const core::Identity* identity, const report::InventoryEntry* entry) {
  core::FindingContext context;
  if (identity) {
    context.team = team_of(*identity);
    context.environment = environment_of(*identity);
  }
  if (!entry) return context;
  const inventory::OwnerResolution& owner = entry->owner_resolution;
  context.owner = !owner.email.empty() ? owner.email : !owner.name.empty() ? owner.name : owner.reference;
  context.owner_status = std::string(inventory::to_string(owner.status));
  context.vendor = entry->vendor;
  context.connects_to = connections_of(*entry);
  return context;
}

void fill_default_safety(core::Finding& finding, const Inventory& inventory, int unused_days) {
  std::optional<core::UnixTime> last_use;
  std::string subject;
  if (!finding.credential_id.empty()) {
    subject = "credential " + finding.credential_id;
    if (auto list = inventory.credentials.find(finding.identity.id); list != inventory.credentials.end()) {
      for (const auto& credential : list->second) {
        if (credential.id == finding.credential_id) last_use = credential.last_used;
      }
    }
    if (auto profile = inventory.activity_by_credential.find(finding.credential_id);
        profile != inventory.activity_by_credential.end()) {
      last_use = latest(last_use, profile->second.last_seen);
    }
  } else {
    subject = finding.identity.name.empty() ? finding.identity.id : finding.identity.name;
    if (const auto* entry = inventory.entry_of(finding.identity.platform, finding.identity.id)) last_use = entry->last_used;
    if (auto profile = inventory.activity_by_identity.find(finding.identity.id);
        profile != inventory.activity_by_identity.end()) {
      last_use = latest(last_use, profile->second.last_seen);
    }
  }

  if (finding.check_first.empty()) {
    finding.check_first.push_back(
        last_use ? fmt::format("Last use of {} seen in the ingested data: {}. Confirm which workloads use it before "
                               "changing it.",
                               subject, core::format_time(*last_use))
                 : fmt::format("No use of {} is recorded in the ingested data. Confirm with its owner that nothing "
                               "depends on it.",
                               subject));
  }
  if (finding.safe_now) return;
  const core::UnixTime limit = inventory.as_of - static_cast<core::UnixTime>(unused_days) * core::kSecondsPerDay;
  if (last_use && *last_use >= limit) {
    finding.safe_now = false;
    finding.safe_reason = fmt::format("used on {}, within the last {} days: change it together with its users",
                                      core::format_time(*last_use), unused_days);
  } else if (last_use) {
    finding.safe_now = true;
    finding.safe_reason = fmt::format("no use since {}, more than {} days before {}", core::format_time(*last_use),
                                      unused_days, core::format_time(inventory.as_of));
  }
  // NOTE: with no recorded use at all, safety stays unknown: many exports do not record use.
}

}  // namespace keyward::posture
