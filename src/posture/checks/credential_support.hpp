#pragma once

// What the cross-platform credential checks (nhi.identity.unused, nhi.credential.departed_holder,
// nhi.secret.*) share: naming a credential in evidence, finding its latest use, describing who
// used it, and each platform's commands or console paths to revoke, disable or rotate it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "posture/check.hpp"

namespace keyward::posture {

// True for statuses that no longer authenticate, in every platform's vocabulary: deleted,
// disabled, inactive, suspended, deprovisioned, revoked, and pending (a GitHub token request not
// yet approved).
bool is_inactive_status(std::string_view status);

// Names a credential for evidence: "client secret 6f1c… (\"ci deploy\", hint Xy7)".
std::string describe_credential(const core::Credential& credential);

// A latest use and the field or log that recorded it.
struct UseRecord {
  std::optional<core::UnixTime> time;
  std::string field;  // e.g. "credential_accessed_at", "activity last seen"
};

// Returns the later of the credential's recorded last use (named after the export field that
// fills it on its platform) and the last activity seen for the credential id.
UseRecord credential_last_use(const core::Credential& credential, const Inventory& inventory);

// Returns the later of the identity's recorded last use and the last activity seen for it.
UseRecord identity_last_use(const core::Identity& identity, const Inventory& inventory);

// Lines for check_first about who uses a credential (or, when null, the identity): last activity,
// networks and client families from the ingested logs, or that no log recorded any use.
std::vector<std::string> usage_check_first(const Inventory& inventory, const core::Identity& identity,
                                           const core::Credential* credential);

// Steps that revoke or delete one credential, in the platform's own CLI, API or console terms.
std::vector<std::string> revoke_steps(const core::Identity& identity, const core::Credential& credential);

// Steps that disable (then delete) a whole identity, for identities whose credentials keyward
// does not list individually. Returns revoke_steps of its credentials when the identity is a
// personal token or key.
std::vector<std::string> disable_identity_steps(const core::Identity& identity,
                                                const std::vector<core::Credential>& credentials);

// Steps that issue a replacement credential with an expiry of `lifetime_days`, move consumers to
// it, and remove the old one.
std::vector<std::string> rotate_steps(const core::Identity& identity, const core::Credential& credential,
                                      int lifetime_days, core::UnixTime as_of);

// Credentials of `identity` as the inventory lists them (empty when it holds none).
const std::vector<core::Credential>& credentials_of(const Inventory& inventory, const core::Identity& identity);

}  // namespace keyward::posture
