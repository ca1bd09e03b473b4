#pragma once

// Identity kinds and credential ids shared by the Snowflake sources, so login history events
// name the same credentials that the users source stores.

#include <string>
#include <string_view>

namespace keyward::sources::snowflake {

inline constexpr std::string_view kUserKind = "snowflake_user";
inline constexpr std::string_view kServiceUserKind = "snowflake_service_user";
inline constexpr std::string_view kPasswordKind = "snowflake_password";
inline constexpr std::string_view kRsaKeyKind = "snowflake_rsa_key";

// A user has at most one password, so the credential is named after the user.
inline std::string password_credential_id(std::string_view user) { return std::string(user) + "#password"; }

// NOTE: a user may hold two RSA keys (RSA_PUBLIC_KEY and RSA_PUBLIC_KEY_2) during rotation, but
// SHOW USERS reports only whether any is set, so both are one credential here.
inline std::string rsa_key_credential_id(std::string_view user) { return std::string(user) + "#rsa_key"; }

}  // namespace keyward::sources::snowflake
