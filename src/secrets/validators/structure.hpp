#pragma once

// Structure checks for credential formats that carry decodable parts: JSON inside base64, ASN.1
// or OpenSSH key bodies inside PEM, a macaroon inside a PyPI token. A pass shows the candidate is
// well formed; none of these can prove the credential is live.

#include <string>
#include <string_view>

namespace keyward::secrets {

// JWT (RFC 7519, compact JWS form): the header and payload are base64url JSON objects and the
// header names its "alg".
bool validate_jwt(std::string_view secret, std::string_view match);

// PEM private key (RFC 7468, and RFC 1421 headers in legacy encrypted keys). The BEGIN and END
// labels agree and the body is base64 of 48 to 12,288 bytes. The bytes start an ASN.1 SEQUENCE
// for PKCS#1, SEC 1 and PKCS#8 keys and "openssh-key-v1" for OpenSSH keys. Lines may end in real
// newlines or in the two characters "\n" of a JSON string.
bool validate_pem_private_key(std::string_view secret, std::string_view match);

// OpenPGP armored private key (RFC 4880 section 6): matching BEGIN and END lines, a base64 body
// and, when the armor carries one, a CRC-24 that matches the body.
bool validate_pgp_private_key(std::string_view secret, std::string_view match);

// Google service account key file: `secret` is its "private_key" PEM, and `match` also contains a
// "private_key_id" of 40 hex digits and a "client_email" of a gserviceaccount.com account.
bool validate_gcp_service_account_key(std::string_view secret, std::string_view match);
// Returns the "private_key_id" in `match`, the id Google's IAM API lists the key under.
std::string gcp_private_key_id(std::string_view secret, std::string_view match);

// Returns the secret itself, for credentials whose finding is a public id (an AWS access key id).
std::string secret_as_identifier(std::string_view secret, std::string_view match);

// PyPI API token: "pypi-" and a base64url macaroon (version 2) whose location is "pypi.org" or
// "test.pypi.org", followed by an identifier field.
bool validate_pypi_token(std::string_view secret, std::string_view match);

// HTTP Basic credentials: base64 of "user:password" with a printable, non-placeholder password.
bool validate_basic_credentials(std::string_view secret, std::string_view match);

// Discord bot token: the first dot-separated part is base64 of a numeric user id (a snowflake).
bool validate_discord_bot_token(std::string_view secret, std::string_view match);

// Tokens that embed a base64 JSON object: Sentry organization tokens (sntrys_<json>_<secret>),
// 1Password service account tokens (ops_<json>) and Grafana legacy API keys ({"k": ...}).
bool validate_sentry_org_token(std::string_view secret, std::string_view match);
bool validate_onepassword_service_account_token(std::string_view secret, std::string_view match);
bool validate_grafana_api_key(std::string_view secret, std::string_view match);

// Azure shared access signature: the percent-encoded "sig" decodes to a 32-byte HMAC-SHA256.
bool validate_azure_sas_signature(std::string_view secret, std::string_view match);

}  // namespace keyward::secrets
