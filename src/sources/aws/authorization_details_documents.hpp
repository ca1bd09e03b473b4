#pragma once

// Policy documents inside `aws iam get-account-authorization-details` output: reading them in
// either of their two encodings and turning their statements into core::Grant rows.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace keyward::sources::aws {

// Maximum nesting of a JSON value this source accepts, for the export and for each embedded
// policy document. Real exports nest about 10 levels deep.
inline constexpr int kMaxJsonDepth = 64;

// Maximum statements read from one policy document. IAM caps a managed policy at 6,144
// characters, so a real document never comes close; the rest of a longer one is skipped.
inline constexpr std::size_t kMaxStatements = 1000;

// Parses JSON text, rejecting nesting deeper than kMaxJsonDepth. On a syntax error the error's
// offset is the byte position the parser stopped at.
core::Result<nlohmann::json> parse_bounded_json(std::string_view text);

// Decodes RFC 3986 percent-encoding ("%7B%22" -> "{\""). A '+' stays a '+'. Returns nullopt for
// a '%' not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

// Reads a policy document given as a JSON object (what the aws CLI prints) or as a string: the
// URL-encoded JSON that the IAM API returns, or plain JSON text.
core::Result<nlohmann::json> read_policy_document(const nlohmann::json& value);

// Turns every statement of `document` into a Grant with effect, actions, resources and
// condition filled in; the caller fills platform, identity, source_policy and via. A statement
// that cannot be read is skipped and described in `problems` as "<pointer>/Statement/<i>:
// <reason>", where `pointer` is the JSON pointer of the document.
std::vector<core::Grant> read_statements(const nlohmann::json& document, std::string_view pointer,
                                         std::vector<std::string>& problems);

}  // namespace keyward::sources::aws
