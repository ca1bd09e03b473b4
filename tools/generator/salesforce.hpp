#pragma once

// Generates a Salesforce org's exports as the `sf` CLI writes them: SOQL results of OauthToken,
// ConnectedApplication (as CSV) and User.

#include <string>

#include "core/result.hpp"
#include "tools/generator/company.hpp"

namespace keyward::generator {

// Writes output_dir/salesforce/{oauth_tokens.json, connected_apps.csv, users.json}. Sales,
// support and marketing people authorize connected apps of the company's vendors. About 30% of
// the tokens are never used or unused for over 90 days, and some belong to people who left.
// Errors: io_error when a file cannot be written.
core::Result<PlatformOutput> generate_salesforce(const Company& company, const std::string& output_dir);

}  // namespace keyward::generator
