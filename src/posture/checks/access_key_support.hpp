#pragma once

// What the access-key checks share: naming a key and the field a time came from in evidence,
// finding a key's last use, and the AWS CLI commands of their remediations.

#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"
#include "posture/check.hpp"

namespace keyward::posture {

// Formats the as-of time with its origin: "2025-02-18T00:00:00Z (credential report GeneratedTime)".
std::string describe_as_of(const Inventory& inventory);

// Whole days from `from` to `to`, rounded down (negative when `to` is earlier).
long long whole_days(core::UnixTime from, core::UnixTime to);

bool is_active_access_key(const core::Credential& credential);

// The credential report slot (1 or 2) of a key: its own for a report credential, the merged one
// for a real-id key the inventory loader matched to a slot.
std::optional<int> report_slot(const core::Credential& credential);

// True when the id is the key's real access key id, not a "<arn>#access_key_N" slot id.
bool has_key_id(const core::Credential& credential);

// Names a key for evidence: "access key AKIA... (credential report slot 1)", or "access key in
// credential report slot 2" when the key id is unknown.
std::string describe_key(const core::Credential& credential);

// The report column, or list-access-keys field, that gave the key's creation time:
// "access_key_1_last_rotated" or "CreateDate".
std::string created_field(const core::Credential& credential);

// A key's latest known use and where that fact came from.
struct LastUse {
  std::optional<core::UnixTime> time;
  std::string field;  // "access_key_1_last_used_date", "last used" or "CloudTrail activity last seen"
};

// Returns the later of the key's recorded last use and the last activity seen for it.
LastUse find_last_use(const core::Credential& credential, const Inventory& inventory);

// Starts a finding of `check` about `identity` (and `credential`, when not null).
core::Finding start_finding(const Check& check, const core::Identity& identity, const core::Credential* credential);

core::Evidence make_evidence(std::string description, std::optional<core::UnixTime> time = std::nullopt);

// Formats `aws iam <verb> [--user-name NAME] --access-key-id ID <extra>`. The root user's own keys take no
// --user-name (the call must be signed by root). A report slot without a real id gets a
// list-access-keys step first and the placeholder <ACCESS_KEY_ID>.
std::string access_key_command(const core::Identity& identity, const core::Credential& credential,
                               std::string_view verb, std::string_view extra = {});

// Formats the commands that deactivate the key and, once nothing has failed, delete it.
std::string deactivate_then_delete(const core::Identity& identity, const core::Credential& credential);

}  // namespace keyward::posture
