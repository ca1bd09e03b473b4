#pragma once

// Names shared by the GCP sources: how a service account email is classified, how a key's
// resource name splits into its parts, and how IAM members map onto inventory identities.

#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace keyward::sources::gcp {

inline constexpr std::string_view kPlatform = "gcp";

// Identity kinds. A user-managed service account is created in a project by its users; a
// default service account (PROJECT_NUMBER-compute@developer.gserviceaccount.com,
// PROJECT_ID@appspot.gserviceaccount.com) is created by Google when an API is enabled but is
// managed by the project; a service agent (service-PROJECT_NUMBER@gcp-sa-*.iam.gserviceaccount.com,
// PROJECT_NUMBER@cloudservices.gserviceaccount.com, ...) is owned and rotated by Google.
inline constexpr std::string_view kServiceAccountKind = "gcp_service_account";
inline constexpr std::string_view kDefaultServiceAccountKind = "gcp_default_service_account";
inline constexpr std::string_view kServiceAgentKind = "gcp_service_agent";
// A workload identity federation principal (principal://...) or principal set (principalSet://...).
inline constexpr std::string_view kWorkloadIdentityKind = "gcp_workload_identity_principal";
inline constexpr std::string_view kKeyKind = "gcp_service_account_key";

// Returns true for an address under gserviceaccount.com, the domain of every service account.
bool is_service_account_email(std::string_view email);

// Returns the kind of the service account with this email (one of the three kinds above).
std::string_view service_account_kind(std::string_view email);

// Returns the project id of a user-managed service account (NAME@PROJECT.iam.gserviceaccount.com)
// or of the App Engine default account (PROJECT@appspot.gserviceaccount.com), else "".
std::string project_of_service_account(std::string_view email);

// Parts of "projects/P/serviceAccounts/EMAIL/keys/KEY_ID", with or without the
// "//iam.googleapis.com/" prefix that audit logs add.
struct KeyName {
  std::string project;
  std::string service_account;  // email, or the numeric unique id in some audit log requests
  std::string key_id;
};
std::optional<KeyName> parse_key_name(std::string_view name);

// Returns the service account part of "projects/P/serviceAccounts/EMAIL_OR_ID", or "".
std::string service_account_of_resource(std::string_view name);

// Builds the identity that an IAM member or an audit log principal names, for
// observed_identities: a service account by email, or a workload identity principal by its
// principal:// or principalSet:// identifier.
core::Identity observed_service_account(std::string_view email);
core::Identity observed_workload_principal(std::string_view principal);

// Returns the owner's email when a service account description names one, as "owner: EMAIL" or
// "owner=EMAIL" (case-insensitive), else "". Service accounts have no labels, so the description
// is the only free-text place where teams record an owner.
std::string owner_from_description(std::string_view description);

// Returns the end of validity of a key as the API reports it, or nullopt for the year-9999
// placeholder that user-managed keys without an expiry carry.
std::optional<core::UnixTime> key_expiry(core::UnixTime valid_before);

}  // namespace keyward::sources::gcp
