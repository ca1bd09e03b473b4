#pragma once

#include <string>

#include "core/result.hpp"
#include "tools/generator/company.hpp"

namespace keyward::generator {

// Writes output_dir/workspace/: users.json (Directory API users.list), tokens.csv (`gam all users
// print tokens`), token_activity.json and admin_activity.json (Reports API activities.list for
// the token and admin applications). Deterministic from company.rng("workspace").
core::Result<PlatformOutput> generate_workspace(const Company& company, const std::string& output_dir);

}  // namespace keyward::generator
