#include "posture/checks/access_key_support.hpp"

#include <fmt/format.h>

namespace keyward::posture {
namespace {

std::string user_name_argument(const core::Identity& identity) {
  return identity.kind == "root" ? std::string() : fmt::format(" --user-name {}", identity.name);
}

// The step that finds a key id the store does not have, or "" when it has it.
std::string key_lookup_step(const core::Identity& identity, const core::Credential& credential) {
  if (has_key_id(credential)) return {};
  const std::string created = credential.created ? core::format_time(*credential.created) : "unknown";
  return fmt::format("aws iam list-access-keys{}  # <ACCESS_KEY_ID> is the key whose CreateDate is {}\n",
                     user_name_argument(identity), created);
}

std::string key_command_line(const core::Identity& identity, const core::Credential& credential,
                             std::string_view verb, std::string_view extra) {
  const std::string key_id = has_key_id(credential) ? credential.id : "<ACCESS_KEY_ID>";
  std::string line = fmt::format("aws iam {}{} --access-key-id {}", verb, user_name_argument(identity), key_id);
  if (!extra.empty()) line += fmt::format(" {}", extra);
  return line;
}

}  // namespace

std::string describe_as_of(const Inventory& inventory) {
  return fmt::format("{} ({})", core::format_time(inventory.as_of), inventory.as_of_source);
}

long long whole_days(core::UnixTime from, core::UnixTime to) {
  const core::UnixTime seconds = to - from;
  // Floor division, so that one second short of a day is 0 days and one second before is -1.
  return seconds >= 0 ? seconds / core::kSecondsPerDay : -((-seconds + core::kSecondsPerDay - 1) / core::kSecondsPerDay);
}

bool is_active_access_key(const core::Credential& credential) {
  return credential.kind == "aws_access_key" && credential.status == "active";
}

std::optional<int> report_slot(const core::Credential& credential) {
  for (const char* key : {"slot", "report_slot"}) {
    auto found = credential.attributes.find(key);
    if (found != credential.attributes.end() && found->is_number_integer()) return found->get<int>();
  }
  return std::nullopt;
}

bool has_key_id(const core::Credential& credential) { return credential.id.find('#') == std::string::npos; }

std::string describe_key(const core::Credential& credential) {
  const std::optional<int> slot = report_slot(credential);
  if (!has_key_id(credential)) {
    return slot ? fmt::format("access key in credential report slot {}", *slot) : fmt::format("access key {}", credential.id);
  }
  if (slot) return fmt::format("access key {} (credential report slot {})", credential.id, *slot);
  return fmt::format("access key {}", credential.id);
}

std::string created_field(const core::Credential& credential) {
  if (!has_key_id(credential)) {
    if (auto slot = report_slot(credential)) return fmt::format("access_key_{}_last_rotated", *slot);
  }
  return "CreateDate";
}

LastUse find_last_use(const core::Credential& credential, const Inventory& inventory) {
  LastUse use;
  if (credential.last_used) {
    use.time = credential.last_used;
    const std::optional<int> slot = report_slot(credential);
    use.field = slot ? fmt::format("access_key_{}_last_used_date", *slot) : std::string("last used");
  }
  auto activity = inventory.activity_by_credential.find(credential.id);
  if (activity != inventory.activity_by_credential.end() && activity->second.last_seen &&
      (!use.time || *activity->second.last_seen > *use.time)) {
    use.time = activity->second.last_seen;
    use.field = "CloudTrail activity last seen";
  }
  return use;
}

core::Finding start_finding(const Check& check, const core::Identity& identity, const core::Credential* credential) {
  core::Finding finding;
  finding.rule = std::string(check.id());
  finding.title = std::string(check.title());
  finding.severity = check.severity();
  finding.owasp = std::string(check.owasp());
  finding.identity = core::IdentityRef{identity.platform, identity.id, identity.name};
  if (credential) finding.credential_id = credential->id;
  return finding;
}

core::Evidence make_evidence(std::string description, std::optional<core::UnixTime> time) {
  core::Evidence evidence;
  evidence.description = std::move(description);
  evidence.time = time;
  return evidence;
}

std::string access_key_command(const core::Identity& identity, const core::Credential& credential,
                               std::string_view verb, std::string_view extra) {
  return key_lookup_step(identity, credential) + key_command_line(identity, credential, verb, extra);
}

std::string deactivate_then_delete(const core::Identity& identity, const core::Credential& credential) {
  return fmt::format("{}{}\n# once nothing has failed for a while:\n{}", key_lookup_step(identity, credential),
                     key_command_line(identity, credential, "update-access-key", "--status Inactive"),
                     key_command_line(identity, credential, "delete-access-key", ""));
}

}  // namespace keyward::posture
