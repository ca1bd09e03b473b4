#pragma once

// Key pairs split across lines: an AWS secret access key has no prefix of its own, so it is found
// as a 40-character base64 value near an access key id, labelled or not.

#include <cstddef>
#include <optional>
#include <string_view>

#include "secrets/rule.hpp"

namespace keyward::secrets {

// Lines searched on each side of the key id's line.
inline constexpr int kPairLines = 3;

struct PairedSecret {
  std::size_t begin = 0;  // offsets in the text searched
  std::size_t end = 0;
};

// Finds the AWS secret access key closest to the key id at [id_begin, id_end) within kPairLines
// lines (and at most 1 KiB) on either side: 40 characters of [A-Za-z0-9/+] with neither base64
// characters nor '=' around them, mixed case, not hex only, and random-looking by entropy.
std::optional<PairedSecret> find_aws_secret_near(std::string_view text, std::size_t id_begin, std::size_t id_end);

// The rule reported for a secret found this way.
const SecretRule& aws_paired_secret_rule();

}  // namespace keyward::secrets
