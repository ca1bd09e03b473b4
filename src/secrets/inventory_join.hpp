#pragma once

// Joins the secrets `keyward scan` found to the credentials of the inventory, so that a leaked
// secret is reported on the credential it authenticates, together with the identity's owner,
// privilege, last use and status.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "posture/check.hpp"

namespace keyward::secrets {

// Credential attribute that contains github_last_eight_join_key of a GitHub token's last eight
// characters, written by a source that has the store's fingerprint key.
inline constexpr std::string_view kTokenLastEightKeyAttribute = "token_last_eight_key";

// Returns fingerprint(key, "github-last-eight:" + the token's last eight characters), the value
// Exposure::join_key holds for a GitHub token, or "" for a token shorter than eight characters.
std::string github_join_key(std::string_view key, std::string_view token);

// Returns the same value from the last eight characters alone (token_last_eight of GitHub's
// credential-authorizations API), or "" for an empty key or unless exactly eight characters are
// given.
std::string github_last_eight_join_key(std::string_view key, std::string_view last_eight);

// The value on which an exposure matched a credential.
enum class JoinBasis {
  none,
  access_key_id,      // Exposure::identifier is the AWS access key id Credential::id
  gcp_key_id,         // Exposure::identifier is the private_key_id, the last part of a GCP key name
  github_last_eight,  // Exposure::join_key equals the credential's kTokenLastEightKeyAttribute
  fingerprint,        // Exposure::fingerprint equals Credential::fingerprint
  github_last_four,   // token prefix and last four characters, and no other credential has them
  paired_exposure,    // the other half of a pair (an AWS secret key next to its key id) matched
};

// Describes a basis for evidence, e.g. "AWS access key id".
std::string_view to_string(JoinBasis basis);

// Returns how `exposure` matches `credential` on its own, without pairs, or JoinBasis::none.
JoinBasis join_basis(const core::Exposure& exposure, const core::Credential& credential);

// Sets matched_credential_id and matched_identity_id of every exposure to the credential of
// `inventory` it authenticates, and clears them where nothing matches. Tries the AWS key id, the
// GCP key id, the GitHub last-eight key, the fingerprint and then the GitHub last four, then
// gives the unmatched half of a pair (paired_fingerprint) the match of the other half.
// Returns the number of exposures matched.
size_t join_exposures(const posture::Inventory& inventory, std::vector<core::Exposure>& exposures);

// Inventory records about the credential an exposure matched. The pointers point into the
// Inventory passed to exposure_context and are valid while it is.
struct ExposureContext {
  const core::Identity* identity = nullptr;  // nullptr when the inventory has no such identity
  const core::Credential* credential = nullptr;
  JoinBasis basis = JoinBasis::none;
  std::string owner;      // the resolved owner as `keyward inventory` shows it, or "" for none
  std::string privilege;  // "read", "write", "admin", or "" when unknown
  // One line per grant, e.g. "admin: * on * (arn:aws:iam::aws:policy/AdministratorAccess)".
  std::vector<std::string> permissions;
  std::optional<core::UnixTime> last_used;
  std::string last_used_field;  // where last_used was read, e.g. "access_key_1_last_used_date"
  std::string status;           // Credential::status
  // The credential still authenticates: neither it nor its identity is inactive or deleted.
  bool active = false;
};

// Returns the context of an exposure that join_exposures matched, or nullopt when it is
// unmatched or its credential is no longer in the inventory.
std::optional<ExposureContext> exposure_context(const posture::Inventory& inventory, const core::Exposure& exposure);

}  // namespace keyward::secrets
