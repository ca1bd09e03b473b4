#pragma once

// Filters for generic rules (a keyword and a value): values that are placeholders, templates,
// identifiers or hashes rather than secrets. Implemented by the rule catalogue's validators.

#include <string_view>

namespace keyward::secrets {

// True for a value that is not a secret even though a generic rule matched it: "changeme",
// "${VAR}", "{{ var }}", "<your-key>", "xxxx", repeated or sequential characters, plain words and
// camelCase identifiers, integrity hashes ("sha512-..."), SOPS "ENC[...]" values, file paths.
bool is_placeholder(std::string_view value);

// Validator for generic rules, whose match starts with the key name. Rejects a value whose key
// name marks it as something other than a secret ("hashed_token", "token_id", "password_length",
// "secret_name", "api_key_url") and any value is_placeholder rejects.
bool validate_generic_assignment(std::string_view secret, std::string_view match);

}  // namespace keyward::secrets
