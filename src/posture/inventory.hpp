#pragma once

// Loads the posture Inventory from the store, joining what different sources wrote about the
// same access key (see merge_report_slots) and summarizing activity per identity and credential.

#include <vector>

#include "core/result.hpp"
#include "posture/check.hpp"
#include "store/store.hpp"

namespace keyward::posture {

// Loads every identity (people included: checks decide what applies), credential, grant and
// activity summary, and the stored exposures joined to those credentials. Credentials, grants
// and activity recorded under an alias of an identity of the same platform (attributes
// "aliases") are keyed by that identity's id. Leaves as_of and as_of_source unset.
core::Result<Inventory> load_inventory_records(store::Store& store);

// Loads the records as above, then the vendor catalog (when one is found) and the inventory
// entries with resolved owners, vendors and privilege.
core::Result<Inventory> load_inventory(store::Store& store);

// Rewrites identity_id "user/<UserName>", which the access-keys source writes because
// `aws iam list-access-keys` carries no ARN, to the id of the one IAM user with that name.
// A name shared by users of several accounts stays unresolved, because the output does not say
// which account it came from.
void resolve_user_placeholders(const std::vector<core::Identity>& identities,
                               std::vector<core::Credential>& credentials);

// Merges, within the credentials of one identity, each credential report slot
// ("<arn>#access_key_N", which has no key id) with the real-id key (from list-access-keys or
// CloudTrail) created within one second of it. The merged credential keeps the real id and
// takes the slot's last use, service and region when they are newer, and records the slot in
// attributes "report_slot". Slots and keys without a partner are returned unchanged.
std::vector<core::Credential> merge_report_slots(std::vector<core::Credential> credentials);

// Summarizes activity by identity id and by credential id.
void build_activity_profiles(const std::vector<core::ActivitySummary>& summaries, Inventory& inventory);

}  // namespace keyward::posture
