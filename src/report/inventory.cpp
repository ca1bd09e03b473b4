#include "report/inventory.hpp"


#include "core/model_json.hpp"
#include "posture/check.hpp"
#include "posture/inventory.hpp"

namespace keyward::report {
namespace {

void keep_latest(std::optional<core::UnixTime>& target, const std::optional<core::UnixTime>& candidate) {
  if (candidate && (!target || *candidate > *target)) target = candidate;
}

std::string owner_from_tags(const core::Identity& identity) {
  if (!identity.owner.empty()) return identity.owner;
  const auto& tags = identity.attributes.find("tags");
  if (tags == identity.attributes.end() || !tags->is_array()) return {};
  for (const auto& tag : *tags) {
    if (!tag.is_object()) continue;
    std::string key = tag.value("Key", "");
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key == "owner" || key == "team" || key == "contact") return tag.value("Value", "");
  }
  return {};
}

}  // namespace

core::Result<std::vector<InventoryEntry>> load_inventory(store::Store& store, bool include_humans) {
  // The posture inventory already joins the credential report's key slots with real key ids and
  // sums up activity, so the listing shows the same credentials the checks judge.
  auto loaded = posture::load_inventory(store);
  if (!loaded) return loaded.error();
  posture::Inventory& inventory = *loaded;

  std::vector<InventoryEntry> entries;
  for (const auto& identity : inventory.identities) {
    std::vector<core::Credential> held = inventory.credentials[identity.id];
    for (auto& credential : held) {
      if (auto profile = inventory.activity_by_credential.find(credential.id); profile != inventory.activity_by_credential.end()) {
        keep_latest(credential.last_used, profile->second.last_seen);
      }
    }
    const bool human = identity.classification == core::Classification::human;
    if (!human || include_humans) {
      InventoryEntry entry{identity.platform, identity.kind, identity.id, identity.name, owner_from_tags(identity),
                           std::string(core::to_string(identity.classification)), identity.classification_reason,
                           identity.last_used, held, identity};
      if (auto profile = inventory.activity_by_identity.find(identity.id); profile != inventory.activity_by_identity.end()) {
        keep_latest(entry.last_used, profile->second.last_seen);
      }
      for (const auto& credential : held) keep_latest(entry.last_used, credential.last_used);
      entries.push_back(std::move(entry));
    }
    if (!human) continue;
    // A person's access keys are listed on their own, owned by the person.
    for (const auto& credential : held) {
      if (credential.kind != "aws_access_key") continue;
      InventoryEntry entry{credential.platform, credential.kind, credential.id, credential.id, identity.name,
                           "machine", "an access key authenticates software, whoever holds it", credential.last_used,
                           {credential}, identity};
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

nlohmann::json to_json(const InventoryEntry& entry) {
  nlohmann::json credentials = nlohmann::json::array();
  for (const auto& credential : entry.credentials) credentials.push_back(core::to_json(credential));
  return {
      {"platform", entry.platform},
      {"kind", entry.kind},
      {"id", entry.id},
      {"name", entry.name},
      {"owner", entry.owner.empty() ? nlohmann::json(nullptr) : nlohmann::json(entry.owner)},
      {"classification", entry.classification},
      {"classification_reason", entry.classification_reason},
      {"account", entry.identity.account},
      {"status", entry.identity.status},
      {"created", core::optional_time_json(entry.kind == "aws_access_key" && !entry.credentials.empty()
                                               ? entry.credentials.front().created
                                               : entry.identity.created)},
      {"last_used", core::optional_time_json(entry.last_used)},
      {"credentials", credentials},
  };
}

}  // namespace keyward::report
