#pragma once

// Helpers shared by the GitHub REST API sources: reading optional fields of a record, GitHub's
// timestamps (ISO 8601 strings, or epoch milliseconds in the audit log), and the pieces of API
// URLs that the sources keep.

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "sources/common/json_records.hpp"
#include "sources/source.hpp"

namespace keyward::sources::github {

// Upper bound on grants made from one record, so a hostile record cannot grow the batch without
// limit. GitHub defines fewer than 100 permission names.
inline constexpr size_t kMaxPermissionsPerRecord = 256;

// Returns the first byte that is not whitespace, or '\0' when there is none.
char first_significant_byte(std::string_view head);

// Returns true when `key` appears in `head` as a JSON key whose value is a string.
bool has_json_string_key(std::string_view head, std::string_view key);

// Reads a time given as an ISO 8601 string, a numeric string, or a number. Numbers above
// 100000000000 are epoch milliseconds (the audit log's @timestamp and created_at); smaller ones
// are epoch seconds. Returns nullopt for null, missing or unreadable values.
std::optional<core::UnixTime> read_time(simdjson::dom::element object, std::string_view key);
std::optional<core::UnixTime> parse_time_text(std::string_view text);

// Reads an id that GitHub writes as a number or a string. Returns "" when missing or null.
std::string read_id(simdjson::dom::element object, std::string_view key);

// Reads a boolean that GitHub writes as true/false, "1"/"0" or 1/0 (webhook insecure_ssl).
std::optional<bool> read_flag(simdjson::dom::element object, std::string_view key);

// Returns "OWNER/REPO" from an API URL such as https://api.github.com/repos/OWNER/REPO/keys/1,
// or "" when the URL has no /repos/ segment.
std::string repository_from_api_url(std::string_view url);

// Returns ORG from https://api.github.com/orgs/ORG/hooks/1, or "".
std::string organization_from_api_url(std::string_view url);

// Returns the lowercase host (and port, when given) of a URL, without any user name, password,
// path or query, or "" when the URL has no host.
std::string url_host(std::string_view url);

// Returns the lowercase scheme of a URL ("https"), or "".
std::string url_scheme(std::string_view url);

// Returns the OpenSSH SHA-256 fingerprint ("SHA256:" and unpadded base64) of a public key line
// such as "ssh-ed25519 AAAA... comment", or "" when the key is not base64.
std::string ssh_key_fingerprint(std::string_view public_key);

// Returns `token_last_eight` reduced to its last 4 characters, after `prefix` and an ellipsis:
// "ghp_…abcd". Returns "" when fewer than 4 characters are given.
std::string redacted_token(std::string_view prefix, std::string_view last_characters);

// Adds one grant per "name": "read|write|admin" member of a GitHub App or fine-grained token
// permissions object, on the organization or on its repositories (all of them when
// repository_selection is "all"). Returns the number of grants added.
size_t add_github_permission_grants(simdjson::dom::object permissions, const std::string& identity_id,
                                    const std::string& org, std::string_view repository_selection,
                                    std::string_view origin, ParseContext& ctx);

// Adds a record error at `position`.
void report(ParseContext& ctx, const Input& input, const RecordPosition& position, std::string message);

}  // namespace keyward::sources::github
