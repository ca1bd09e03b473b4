#pragma once

// The company that every platform generator draws from: one list of people and one list of
// third-party vendors. So a GitHub token's owner is the same person as an Okta user, and a
// vendor connected in Slack and in Entra is recognized as one vendor.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "tools/generator/aws_account.hpp"
#include "tools/generator/random.hpp"

namespace keyward::generator {

struct Employee {
  std::string first_name;
  std::string last_name;
  std::string login;       // "first.last", with a number appended when two people share a name
  std::string email;       // login@domain
  std::string department;  // "engineering", "data", "sales", "support", "finance", "marketing", "it"
  bool engineer = false;   // engineering, data and it: the people who create tokens and keys
  // "active", "suspended" (on leave or locked) or "deprovisioned" (left the company). About 6% of
  // people have left and 2% are suspended, so some NHIs have owners who are gone.
  std::string status = "active";
  core::UnixTime hired = 0;
  std::optional<core::UnixTime> left;  // set when status is not "active"
};

// A third-party vendor that connects to the company's systems. The names match data/vendors.csv
// so generated connections are grouped and classified the way real ones are.
struct ThirdPartyVendor {
  std::string name;       // "Zapier"
  std::string domain;     // "zapier.com"
  std::string category;   // "automation", "genai", "devtools", "crm", "analytics", "security", ...
  bool verified = true;   // publisher verified by the platforms that verify publishers
};

struct CompanyOptions {
  std::uint64_t seed = 1;
  int employees = 200;
  int days = 28;  // days of activity ending at end_time
  core::UnixTime end_time = kDefaultEndTime;
};

struct Company {
  std::string name;    // "Example Corp"
  std::string domain;  // "example.com"
  std::string slug;    // "example-corp": GitHub organization, Okta and Salesforce subdomain
  std::uint64_t seed = 1;
  int days = 28;
  core::UnixTime end_time = kDefaultEndTime;
  std::vector<Employee> employees;
  std::vector<ThirdPartyVendor> vendors;

  // Employees with engineer set, in the same order as employees.
  std::vector<const Employee*> engineers() const;
  // A random stream for one platform generator, independent of every other platform's.
  Rng rng(std::string_view platform) const { return Rng(seed).fork(platform); }
};

// Builds the company. The same options give the same company.
// Errors: invalid_argument when employees is outside 1..100000 or days outside 1..366.
core::Result<Company> make_company(const CompanyOptions& options);

// Output of one platform generator. Files are relative to the output directory given to it.
struct PlatformOutput {
  std::vector<std::string> files;
  int identities = 0;     // non-human identities written (apps, service accounts, tokens, keys)
  long long events = 0;   // audit or sign-in log records written
  std::vector<InjectedAttack> planted;  // posture problems or attacks planted on purpose
};

}  // namespace keyward::generator
