#pragma once

// The labels of a generated company: every planted attack and posture problem as one JSON
// document. keyward-generate writes it to <out>/planted.json (format in README.md).

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/result.hpp"
#include "tools/generator/aws_account.hpp"

namespace keyward::generator {

// {"attacks": [...], "posture": [...]}: attacks with their detectors, platform, identity and
// window; posture problems with their check id, platform and identity. Order is that of `planted`.
nlohmann::ordered_json planted_json(const std::vector<InjectedAttack>& planted);

// Writes planted_json(planted) to `path`. Errors: io_error when the file cannot be written.
core::Status write_planted(const std::string& path, const std::vector<InjectedAttack>& planted);

}  // namespace keyward::generator
