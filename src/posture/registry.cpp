#include <algorithm>
#include <filesystem>

#include "posture/check.hpp"

namespace keyward::posture {
namespace {

struct Registration {
  CheckFactory factory;
  std::string examples_folder;
};

// A function-local static, so registrations from other translation units' static initializers
// never run before the list exists.
std::vector<Registration>& registrations() {
  static std::vector<Registration> list;
  return list;
}

}  // namespace

CheckRegistration::CheckRegistration(CheckFactory factory, const char* file) {
  registrations().push_back(Registration{factory, std::filesystem::path(file).stem().string()});
}

std::vector<RegisteredCheck> registered_checks() {
  std::vector<RegisteredCheck> checks;
  for (const auto& registration : registrations()) {
    checks.push_back(RegisteredCheck{registration.factory(), registration.examples_folder});
  }
  std::sort(checks.begin(), checks.end(),
            [](const RegisteredCheck& a, const RegisteredCheck& b) { return a.check->id() < b.check->id(); });
  return checks;
}

std::vector<std::unique_ptr<Check>> make_checks() {
  std::vector<std::unique_ptr<Check>> checks;
  for (auto& registered : registered_checks()) checks.push_back(std::move(registered.check));
  return checks;
}

std::string default_examples_root() { return std::string(KEYWARD_SOURCE_DIR) + "/src/posture/checks/testdata"; }

void ThresholdOverride::apply_to(Thresholds& thresholds) const {
  if (unused_days) thresholds.unused_days = *unused_days;
  if (rotation_days) thresholds.rotation_days = *rotation_days;
  if (grace_days) thresholds.grace_days = *grace_days;
  if (expiry_warning_days) thresholds.expiry_warning_days = *expiry_warning_days;
  if (max_lifetime_days) thresholds.max_lifetime_days = *max_lifetime_days;
}

Thresholds PostureOptions::for_platform(std::string_view platform) const {
  Thresholds thresholds = defaults;
  if (auto it = platforms.find(std::string(platform)); it != platforms.end()) it->second.apply_to(thresholds);
  return thresholds;
}

Thresholds PostureOptions::for_identity(const core::Identity& identity) const {
  Thresholds thresholds = for_platform(identity.platform);
  const auto tags = identity.attributes.find("tags");
  if (tags == identity.attributes.end() || !tags->is_object()) return thresholds;
  for (const auto& rule : this->tags) {
    const auto tag = tags->find(rule.key);
    if (tag == tags->end()) continue;
    if (rule.value && !(tag->is_string() && tag->get<std::string>() == *rule.value)) continue;
    rule.values.apply_to(thresholds);
  }
  return thresholds;
}

const report::InventoryEntry* Inventory::entry_of(std::string_view platform, std::string_view identity_id) const {
  std::string key;
  key.reserve(platform.size() + identity_id.size() + 1);
  key.append(platform).push_back('\x1f');
  key.append(identity_id);
  const auto it = entry_index.find(key);
  return it == entry_index.end() ? nullptr : &entries[it->second];
}

}  // namespace keyward::posture
