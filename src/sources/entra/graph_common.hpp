#pragma once

// Helpers shared by the Microsoft Entra ID sources: reading Microsoft Graph records, turning
// password and key credentials into core::Credential, and recognizing Microsoft's own tenants.

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "sources/common/json_records.hpp"
#include "sources/source.hpp"

namespace keyward::sources::entra {

namespace attribute = core::attribute;

inline constexpr std::string_view kPlatform = "entra";

// Tenants that own Microsoft's first-party applications (appOwnerOrganizationId).
inline constexpr std::string_view kMicrosoftServicesTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
inline constexpr std::string_view kMicrosoftCorporateTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";

// Upper bound on array members read from one record (credentials, owners, tags), so a hostile
// record cannot make one identity arbitrarily large.
inline constexpr size_t kMaxArrayItems = 1000;
// Maximum bytes kept of a display name or similar free-text field.
inline constexpr size_t kMaxTextBytes = 1024;

bool is_microsoft_tenant(std::string_view tenant_id);

// Returns `text` cut to `limit` bytes, as an owned string.
std::string clipped(std::string_view text, size_t limit = kMaxTextBytes);

// Reads an optional time member. Returns nullopt when it is missing, null or not a time. Sets
// `invalid` when the member is a string that is not an ISO 8601 time.
std::optional<core::UnixTime> optional_time(simdjson::dom::element object, std::string_view key, bool* invalid = nullptr);

// Reads an optional bool member; returns nullopt when it is missing, null or not a bool.
std::optional<bool> optional_bool(simdjson::dom::element object, std::string_view key);

// Returns the strings of an optional array member, at most kMaxArrayItems of them.
std::vector<std::string> string_array(simdjson::dom::element object, std::string_view key);

// Appends one record error at `position`.
void report(ParseContext& ctx, const Input& input, const RecordPosition& position, std::string message);

// Converts passwordCredentials (client secrets) and keyCredentials (certificates) of an
// application or service principal into credentials of `identity_id`. `owner_object` is
// "application" or "service_principal". The secret itself (secretText) is never read: of the
// secret only the documented hint, its first three characters, is kept.
void read_password_and_key_credentials(simdjson::dom::element record, const std::string& identity_id,
                                       std::string_view owner_object, std::string_view source_name,
                                       std::vector<core::Credential>& out);

// Normalizes a publisher name to the vendor's usual name: drops legal suffixes such as
// ", Inc." and " LLC".
std::string vendor_name(std::string_view publisher);

// JSON record options for Graph pages: records under "value".
JsonRecordOptions graph_record_options(std::string_view record_name);

// Returns true when `head` starts like a JSON value (object or array).
bool starts_like_json(std::string_view head);

}  // namespace keyward::sources::entra
