#pragma once

// `aws iam list-access-keys` output names the user but carries neither the user's ARN nor the
// account id, so the access-keys source cannot form the identity id (the ARN) itself. It writes
// credentials with identity_id "user/<UserName>" instead, and the posture engine's inventory
// loader resolves that placeholder to the IAM user with that name (see posture/inventory.cpp).

#include <string>
#include <string_view>

namespace keyward::sources::aws {

inline constexpr std::string_view kUserPlaceholderPrefix = "user/";

inline std::string make_user_placeholder(std::string_view user_name) {
  return std::string(kUserPlaceholderPrefix) + std::string(user_name);
}

// Returns the user name of a placeholder identity id, or "" when `identity_id` is not one.
// An ARN never starts with "user/", so the two cannot be confused.
inline std::string_view user_name_of_placeholder(std::string_view identity_id) {
  if (identity_id.substr(0, kUserPlaceholderPrefix.size()) != kUserPlaceholderPrefix) return {};
  return identity_id.substr(kUserPlaceholderPrefix.size());
}

}  // namespace keyward::sources::aws
