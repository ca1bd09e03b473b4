#include "tools/generator/company_generator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>

#include "tools/generator/entra.hpp"
#include "tools/generator/gcp.hpp"
#include "tools/generator/github.hpp"
#include "tools/generator/okta.hpp"
#include "tools/generator/salesforce.hpp"
#include "tools/generator/slack.hpp"
#include "tools/generator/snowflake.hpp"
#include "tools/generator/workspace.hpp"

namespace keyward::generator {
namespace {

using PlatformGenerator = std::function<core::Result<PlatformOutput>(const Company&, const std::string&)>;

core::Result<PlatformOutput> generate_aws(const Company& company, const std::string& output_dir) {
  GeneratorOptions options;
  options.seed = company.seed;
  options.end_time = company.end_time;
  // The AWS generator's own limits: 30-5000 users, 30-2000 roles, 10-90 days (its attacks need
  // a week of baseline first).
  const int employees = static_cast<int>(company.employees.size());
  options.users = std::clamp(employees * 11 / 10, 30, 5000);
  options.roles = std::clamp(employees * 45 / 100, 30, 2000);
  options.days = std::clamp(company.days, 10, 90);
  options.more_attacks = true;
  auto account = generate_aws_account((std::filesystem::path(output_dir) / "aws").string(), options);
  if (!account) return account.error();
  PlatformOutput output;
  for (const auto& file : account->files) output.files.push_back("aws/" + file);
  output.identities = account->identities;
  output.events = account->events;
  output.planted = account->attacks;
  return output;
}

const std::vector<std::pair<std::string, PlatformGenerator>>& generators() {
  static const std::vector<std::pair<std::string, PlatformGenerator>> kGenerators = {
      {"aws", generate_aws},
      {"gcp", generate_gcp},
      {"entra", generate_entra},
      {"okta", generate_okta},
      {"github", generate_github},
      {"workspace", generate_workspace},
      {"salesforce", generate_salesforce},
      {"slack", generate_slack},
      {"snowflake", generate_snowflake},
  };
  return kGenerators;
}

}  // namespace

const std::vector<std::string>& all_generated_platforms() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& [name, generator] : generators()) names.push_back(name);
    return names;
  }();
  return kNames;
}

core::Result<GeneratedCompany> generate_company(const std::string& output_dir, const CompanyGeneratorOptions& options) {
  const auto& known = all_generated_platforms();
  for (const auto& platform : options.platforms) {
    if (std::find(known.begin(), known.end(), platform) == known.end()) {
      return core::make_error(core::ErrorCode::invalid_argument,
                              fmt::format("unknown platform '{}'; known platforms: {}", platform, fmt::join(known, ", ")));
    }
  }
  auto company = make_company(options.company);
  if (!company) return company.error();

  GeneratedCompany generated;
  generated.employees = static_cast<int>(company->employees.size());
  for (const auto& [name, generator] : generators()) {
    if (!options.platforms.empty() &&
        std::find(options.platforms.begin(), options.platforms.end(), name) == options.platforms.end()) {
      continue;
    }
    auto output = generator(*company, output_dir);
    if (!output) return output.error();
    generated.identities += output->identities;
    generated.events += output->events;
    for (InjectedAttack& planted : output->planted) {
      if (planted.platform.empty()) planted.platform = name;
    }
    generated.planted.insert(generated.planted.end(), output->planted.begin(), output->planted.end());
    generated.platforms.emplace(name, std::move(*output));
  }
  return generated;
}

}  // namespace keyward::generator
