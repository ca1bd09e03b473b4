#pragma once

#include <string>

#include "core/result.hpp"
#include "tools/generator/company.hpp"

namespace keyward::generator {

// Writes output_dir/snowflake/: users.csv (SHOW USERS as Snowsight downloads it),
// login_history.csv and access_history.csv (ACCOUNT_USAGE exports for the last days of the
// window). Deterministic from company.rng("snowflake").
core::Result<PlatformOutput> generate_snowflake(const Company& company, const std::string& output_dir);

}  // namespace keyward::generator
