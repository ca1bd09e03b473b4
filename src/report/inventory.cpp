#include "report/inventory.hpp"

#include <map>

#include "core/model_json.hpp"

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
  auto identities = store.list_identities({"", true});
  if (!identities) return identities.error();
  auto credentials = store.list_all_credentials();
  if (!credentials) return credentials.error();
  auto activity = store.list_activity("");
  if (!activity) return activity.error();

  std::map<std::string, std::vector<core::Credential>> credentials_by_identity;
  for (auto& credential : *credentials) credentials_by_identity[credential.identity_id].push_back(credential);
  std::map<std::string, core::UnixTime> last_seen_by_identity, last_seen_by_credential;
  for (const auto& summary : *activity) {
    auto& identity_seen = last_seen_by_identity[summary.identity_id];
    identity_seen = std::max(identity_seen, summary.last_seen);
    if (!summary.credential_id.empty()) {
      auto& credential_seen = last_seen_by_credential[summary.credential_id];
      credential_seen = std::max(credential_seen, summary.last_seen);
    }
  }

  std::vector<InventoryEntry> entries;
  for (const auto& identity : *identities) {
    auto& held = credentials_by_identity[identity.id];
    for (auto& credential : held) {
      if (auto seen = last_seen_by_credential.find(credential.id); seen != last_seen_by_credential.end()) {
        keep_latest(credential.last_used, seen->second);
      }
    }
    const bool human = identity.classification == core::Classification::human;
    if (!human || include_humans) {
      InventoryEntry entry{identity.platform, identity.kind, identity.id, identity.name, owner_from_tags(identity),
                           std::string(core::to_string(identity.classification)), identity.classification_reason,
                           identity.last_used, held, identity};
      if (auto seen = last_seen_by_identity.find(identity.id); seen != last_seen_by_identity.end()) {
        keep_latest(entry.last_used, seen->second);
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
