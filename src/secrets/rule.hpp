#pragma once

// A secret rule: one credential format, the pattern that finds it, the checks that confirm it and
// the examples that prove both. Rules are plain data, registered per provider in
// src/secrets/rules/<provider>.cpp and listed once in src/secrets/rules/registry.cpp.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace keyward::secrets {

enum class Category {
  cloud,
  source_control,
  ci_cd,
  package_registry,
  chat,
  payments,
  email,
  observability,
  ai,
  database,
  private_key,
  url_credential,
  saas,
  generic,
};
std::string_view to_string(Category category);

// Confirms a candidate beyond its pattern: a checksum, a structure check or a filter.
// `secret` is the captured secret; `match` is the whole pattern match around it.
// Returns false to drop the candidate.
using Validator = bool (*)(std::string_view secret, std::string_view match);

// Returns the public identifier the inventory knows the credential by (an AWS access key id, a
// GCP service account key's private_key_id), or empty. Never returns secret bytes.
using IdentifierExtractor = std::string (*)(std::string_view secret, std::string_view match);

struct SecretRule {
  std::string_view id;       // stable id, e.g. "github.pat.classic"
  std::string_view name;     // "GitHub personal access token (classic)"
  std::string_view service;  // "GitHub"
  Category category = Category::generic;

  // One pattern for both engines: Vectorscan compiles it (with HS_FLAG_PREFILTER where it needs
  // constructs Vectorscan lacks) into the shared database, and RE2 confirms each candidate and
  // extracts capture group 1 as the secret (the whole match when the pattern has no group).
  // Use (?i) for case-insensitive parts; no backreferences or lookaround.
  std::string_view pattern;
  // Upper bound on the length of a whole match in bytes: the confirmer looks back this far from
  // each Vectorscan end offset.
  std::size_t max_match_length = 256;

  // Minimum Shannon entropy in bits per character of the secret; 0 disables the check.
  double min_entropy = 0;
  // Extra confirmation; nullptr when the pattern alone is enough.
  Validator validate = nullptr;
  // True when validate is an integrity check (CRC, hash, Bech32): a pass is near-certain.
  bool checksum = false;
  // Generic rules (a keyword plus a random-looking value) also drop placeholders such as
  // "changeme", "${VAR}", "xxxx" and "<your-key>".
  bool placeholder_filter = false;

  // The inventory platform and Credential::kind this secret authenticates, when keyward
  // inventories that kind ("aws", "aws_access_key"); empty otherwise.
  std::string_view platform;
  std::string_view credential_kind;
  // Characters of the secret kept in front of the redacted form: the fixed prefix ("ghp_",
  // "AKIA"). The last four characters are always kept.
  std::size_t redact_prefix = 0;
  // Public identifier of the credential, for the inventory join; nullptr when there is none.
  // GitHub tokens need none: they are joined by their last eight characters (see inventory_join).
  IdentifierExtractor identifier = nullptr;

  // Inputs the rule must find (each exactly one match) and must not find. Examples are fake
  // values built for the format; checksummed ones carry a valid checksum.
  std::vector<std::string_view> examples;
  std::vector<std::string_view> negative_examples;

  // Documentation: where the format is described.
  std::string_view reference;
};

// Every built-in rule, in registry order. Built on first use; never empty.
const std::vector<SecretRule>& builtin_rules();

}  // namespace keyward::secrets
