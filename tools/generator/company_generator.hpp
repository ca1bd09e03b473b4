#pragma once

// Generates a whole company across every supported platform: the AWS account plus each SaaS and
// cloud platform's exports and logs, all drawn from one Company so owners and vendors line up.
// Output layout: <dir>/aws/ (see aws_account.hpp) and <dir>/<platform>/ for the others.

#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "tools/generator/aws_account.hpp"
#include "tools/generator/company.hpp"

namespace keyward::generator {

struct CompanyGeneratorOptions {
  CompanyOptions company;
  // Platforms to write; empty means all of them. Names as in all_generated_platforms().
  std::vector<std::string> platforms;
};

struct GeneratedCompany {
  int employees = 0;
  std::map<std::string, PlatformOutput> platforms;  // by platform name, AWS included
  int identities = 0;     // non-human identities over all platforms
  long long events = 0;   // log records over all platforms
  std::vector<InjectedAttack> planted;
};

// Returns the platform names the company generator writes, in the order it writes them.
const std::vector<std::string>& all_generated_platforms();

// Writes the company into `output_dir`. The AWS account is sized from the employee count (about
// 1.1 IAM users and 0.45 roles per employee, within the AWS generator's limits of 30-5000 users
// and 30-2000 roles) and covers at least 10 days of activity. The same options give the same
// bytes. Errors: invalid_argument for an unknown platform or out-of-range options, io_error when
// a file cannot be written.
core::Result<GeneratedCompany> generate_company(const std::string& output_dir, const CompanyGeneratorOptions& options);

}  // namespace keyward::generator
