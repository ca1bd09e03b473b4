#include "secrets/validators/placeholder.hpp"

#include <string>

namespace keyward::secrets {
namespace {

// Substrings that mark a value as a stand-in, checked case-insensitively.
constexpr std::string_view kPlaceholderParts[] = {
    "changeme", "change_me", "change-me", "changeit", "example", "placeholder", "dummy",    "redacted",
    "replaceme", "replace_me", "replace-me", "insert_", "insert-", "your_",     "your-",    "yourkey",
    "yourtoken", "yoursecret", "yourpass",  "xxxx",    "****",    "....",       "----",     "____",
    "todo",      "fixme",      "notreal",   "not_real", "not-real", "sample",   "password", "passw0rd",
    "secret",
};

// Whole values that are keywords or defaults rather than secrets, checked case-insensitively.
constexpr std::string_view kPlaceholderValues[] = {
    "none", "null", "nil", "true", "false", "undefined", "default", "empty",
    "string", "token", "required", "optional", "hunter2",
};

// Prefixes of values that point at a secret or a file instead of holding one: secret-manager
// references, integrity hashes, SOPS ciphertext, URLs, XMP identifiers in PDF metadata.
constexpr std::string_view kReferencePrefixes[] = {
    "sha1-",   "sha256-",    "sha384-", "sha512-",  "md5-",      "sha1:",         "sha256:",   "sha512:",  "enc[",
    "arn:",    "op://",      "vault:",  "secret://", "sm://",    "awssm://",      "azurekv://", "gcpsm://", "ref+",
    "http://", "https://",   "file:",   "uuid:",     "xmp.did:", "xmp.iid:",      "adobe:docid:", "./",     "../",
};

// File name endings of config and key files: a value ending in one names a file.
constexpr std::string_view kFileExtensions[] = {
    ".pem", ".key", ".json", ".yaml", ".yml", ".txt", ".env", ".crt", ".p12", ".pfx", ".jks",
    ".cfg", ".conf", ".ini", ".xml", ".properties", ".toml", ".gpg", ".asc", ".pub", ".der", ".keystore",
};

// Parts of a key name that describe something other than the secret itself: a hash or id of it,
// its length or lifetime, where it is stored, or how it is used.
constexpr std::string_view kNonSecretKeyParts[] = {
    "hash",  "digest", "fingerprint", "checksum", "sha1", "sha256", "md5",     "salt", "nonce",
    "length", "_len",  "count",       "expir",    "ttl",  "type",   "url",     "uri",  "endpoint",
    "path",  "file",   "name",        "keyref",   "policy", "header", "param", "field", "format",
};

constexpr std::string_view kKeyboardRuns[] = {"qwerty", "asdfgh", "zxcvbn", "qwertz"};

std::string to_lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// "${VAR}", "{{ var }}", "<your-key>", "%VAR%", "$VAR", "#{var}", "@var@", "__VAR__".
bool is_template(std::string_view value) {
  for (std::string_view marker : {"${", "{{", "}}", "{%", "%}", "<%", "%>", "#{", "$("}) {
    if (value.find(marker) != std::string_view::npos) return true;
  }
  if (value.front() == '$') return true;
  if (value.size() >= 2) {
    const char first = value.front();
    const char last = value.back();
    if ((first == '<' && last == '>') || (first == '%' && last == '%') || (first == '@' && last == '@')) return true;
    if (starts_with(value, "__") && ends_with(value, "__")) return true;
  }
  return false;
}

// "aaaaaaaa", "abcabcabc", "121212", or any character six times in a row.
bool is_repetitive(std::string_view value) {
  for (std::size_t unit = 1; unit <= 4 && unit * 2 <= value.size(); ++unit) {
    bool repeats = true;
    for (std::size_t i = unit; i < value.size() && repeats; ++i) repeats = value[i] == value[i - unit];
    if (repeats) return true;
  }
  std::size_t run = 1;
  for (std::size_t i = 1; i < value.size(); ++i) {
    run = value[i] == value[i - 1] ? run + 1 : 1;
    if (run >= 6) return true;
  }
  return false;
}

// Six or more consecutive characters in ascending or descending order ("123456", "abcdef",
// "fedcba"), or a keyboard row ("qwerty").
bool is_sequential(std::string_view lower) {
  std::size_t ascending = 1;
  std::size_t descending = 1;
  for (std::size_t i = 1; i < lower.size(); ++i) {
    ascending = lower[i] == lower[i - 1] + 1 ? ascending + 1 : 1;
    descending = lower[i] == lower[i - 1] - 1 ? descending + 1 : 1;
    if (ascending >= 6 || descending >= 6) return true;
  }
  for (std::string_view run : kKeyboardRuns) {
    if (lower.find(run) != std::string_view::npos) return true;
  }
  return false;
}

// Plain words and program identifiers: "production", "getApiKey", "ApiKey", "self.password",
// "db-pass", "DB_PASSWORD". Random secrets of letters alone mix cases far more often.
bool is_identifier(std::string_view value) {
  bool only_lower_and_separators = true;
  bool only_upper_digits_underscore = is_upper(value.front());
  bool only_letters = true;
  std::size_t uppers = 0;
  bool adjacent_uppers = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    const bool separator = c == '.' || c == '_' || c == '-';
    only_lower_and_separators = only_lower_and_separators && (is_lower(c) || (separator && i > 0));
    only_upper_digits_underscore = only_upper_digits_underscore && (is_upper(c) || is_digit(c) || c == '_');
    only_letters = only_letters && (is_lower(c) || is_upper(c));
    if (is_upper(c)) {
      ++uppers;
      adjacent_uppers = adjacent_uppers || (i > 0 && is_upper(value[i - 1]));
    }
  }
  if (only_lower_and_separators || only_upper_digits_underscore) return true;
  return only_letters && !adjacent_uppers && uppers <= value.size() / 4 + 1;
}

// "process.env.SERVICE_API_KEY", "self.password", "settings.SECRET_KEY": a lowercase object name
// and identifiers joined by dots.
bool is_member_access(std::string_view value) {
  const std::size_t dot = value.find('.');
  if (dot == std::string_view::npos || dot < 2) return false;
  for (char c : value.substr(0, dot)) {
    if (!is_lower(c)) return false;
  }
  std::string_view rest = value.substr(dot + 1);
  while (!rest.empty()) {
    const std::size_t next = rest.find('.');
    const std::string_view part = rest.substr(0, next);
    if (part.empty() || !is_identifier(part)) return false;
    if (next == std::string_view::npos) break;
    rest = rest.substr(next + 1);
  }
  return true;
}

// Absolute, home-relative or Windows paths, and names of key and config files.
bool is_path(std::string_view value, std::string_view lower) {
  if (starts_with(value, "~/") || (value.size() > 2 && value[1] == ':' && (value[2] == '\\' || value[2] == '/'))) {
    return true;
  }
  for (std::string_view extension : kFileExtensions) {
    if (ends_with(lower, extension)) return true;
  }
  // "prod/db/credentials": lowercase segments, which random base64 with a '/' almost never is.
  if (value.find('/') != std::string_view::npos) {
    bool lowercase_path = true;
    for (char c : value) {
      lowercase_path = lowercase_path && (is_lower(c) || is_digit(c) || c == '/' || c == '.' || c == '_' || c == '-');
    }
    if (lowercase_path) return true;
  }
  // "/etc/app/db.conf" but not base64 that happens to start with '/': a path has no '+' or '='
  // and at least two separators.
  if (value.front() == '/') {
    std::size_t separators = 0;
    for (char c : value) {
      if (c == '+' || c == '=') return false;
      if (c == '/') ++separators;
    }
    return separators >= 2;
  }
  return false;
}

bool is_digits(std::string_view value) {
  for (char c : value) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// True when a key name ends in "id" or "ids" as a word: "token_id", "TokenId", "secret-ids".
bool names_an_id(std::string_view key, std::string_view lower) {
  std::size_t end = lower.size();
  if (end >= 1 && lower[end - 1] == 's') --end;
  if (end < 3 || lower.substr(end - 2, 2) != "id") return false;
  const char before = key[end - 3];
  return before == '_' || before == '-' || before == '.' || (is_lower(before) && is_upper(key[end - 2]));
}

// Characters of an assignment between a key and its value: quotes, spaces, '=', ':' and '>'.
bool is_assignment_char(char c) {
  return c == '"' || c == '\'' || c == '`' || c == ' ' || c == '\t' || c == '=' || c == ':' || c == '>';
}

}  // namespace

bool validate_generic_assignment(std::string_view secret, std::string_view match) {
  const std::size_t at = match.rfind(secret);
  if (at == std::string_view::npos) return false;
  std::string_view key = match.substr(0, at);
  while (!key.empty() && is_assignment_char(key.back())) key.remove_suffix(1);
  const std::string lower_key = to_lower(key);
  for (std::string_view part : kNonSecretKeyParts) {
    if (lower_key.find(part) != std::string::npos) return false;
  }
  if (names_an_id(key, lower_key)) return false;
  return !is_placeholder(secret);
}

bool is_placeholder(std::string_view value) {
  if (value.empty()) return true;
  const std::string lower = to_lower(value);
  for (std::string_view part : kPlaceholderParts) {
    if (lower.find(part) != std::string::npos) return true;
  }
  for (std::string_view word : kPlaceholderValues) {
    if (lower == word) return true;
  }
  for (std::string_view prefix : kReferencePrefixes) {
    if (starts_with(lower, prefix)) return true;
  }
  if (is_template(value) || is_repetitive(value) || is_sequential(lower) || is_path(value, lower) || is_digits(value)) {
    return true;
  }
  // A code expression such as "&credential" or "*config.password" is an identifier behind a sigil.
  std::string_view expression = value;
  if (expression.size() > 1 && (expression.front() == '&' || expression.front() == '*' || expression.front() == '@' ||
                                expression.front() == '!')) {
    expression.remove_prefix(1);
  }
  return is_identifier(expression) || is_member_access(expression);
}

}  // namespace keyward::secrets
