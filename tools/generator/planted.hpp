#pragma once

// The labels of a generated company: every planted attack and posture problem as one JSON
// document. keyward-generate writes it to <out>-planted.json (format in README.md).

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/result.hpp"
#include "tools/generator/aws_account.hpp"

namespace keyward::generator {

// Creates a planted posture problem that no keyward check reports. Its check id stays empty and
// `reason` states what is missing, so the answer key keeps it without naming a nonexistent check.
InjectedAttack unreported_posture(std::string name, std::string identity, std::string reason);

// {"attacks": [...], "posture": [...]}: attacks with their detectors, platform, identity and
// window; posture problems with their check id, platform and identity, plus "not_reported" (and
// an empty check) for those no check reports. Order is that of `planted`.
nlohmann::ordered_json planted_json(const std::vector<InjectedAttack>& planted);

// Writes planted_json(planted) to `path`. Errors: io_error when the file cannot be written.
core::Status write_planted(const std::string& path, const std::vector<InjectedAttack>& planted);

}  // namespace keyward::generator
