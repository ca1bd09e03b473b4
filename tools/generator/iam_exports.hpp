#pragma once

// The IAM exports, rendered as the AWS CLI prints them.

#include <string>

#include "tools/generator/account_model.hpp"

namespace keyward::generator {

// `aws iam get-credential-report`: {"Content": base64 CSV, "ReportFormat": "text/csv", "GeneratedTime": ...}.
std::string render_credential_report(const Account& account);
// The CSV inside the report, for tests.
std::string render_credential_report_csv(const Account& account);
// `aws iam get-account-authorization-details`, all pages merged as the CLI prints them.
std::string render_authorization_details(const Account& account);
// One `aws iam list-access-keys --user-name U` output per line, for each user with keys.
std::string render_access_keys(const Account& account);

std::string base64_encode(std::string_view data);

}  // namespace keyward::generator
