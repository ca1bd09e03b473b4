#include "tools/generator/company.hpp"

#include <fmt/format.h>

#include <map>

#include "tools/generator/names.hpp"

namespace keyward::generator {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr int kMaxEmployees = 100000;
constexpr int kMaxDays = 366;

// Department shares in percent, in the order of kDepartments.
const std::vector<std::string> kDepartments = {"engineering", "data", "it", "sales", "support", "finance", "marketing"};
const std::vector<int> kDepartmentWeights = {38, 8, 4, 20, 14, 6, 10};

const std::vector<ThirdPartyVendor>& vendor_catalog() {
  static const std::vector<ThirdPartyVendor> kVendors = {
      {"Zapier", "zapier.com", "automation", true},
      {"Make", "make.com", "automation", true},
      {"Workato", "workato.com", "automation", true},
      {"n8n", "n8n.io", "automation", false},
      {"Tray.io", "tray.io", "automation", true},
      {"OpenAI", "openai.com", "genai", true},
      {"Anthropic", "anthropic.com", "genai", true},
      {"Otter.ai", "otter.ai", "genai", true},
      {"Fireflies.ai", "fireflies.ai", "genai", false},
      {"Notion", "notion.so", "productivity", true},
      {"Atlassian", "atlassian.com", "devtools", true},
      {"CircleCI", "circleci.com", "devtools", true},
      {"Vercel", "vercel.com", "devtools", true},
      {"Snyk", "snyk.io", "security", true},
      {"Datadog", "datadoghq.com", "observability", true},
      {"PagerDuty", "pagerduty.com", "observability", true},
      {"HubSpot", "hubspot.com", "crm", true},
      {"Gong", "gong.io", "crm", true},
      {"Fivetran", "fivetran.com", "analytics", true},
      {"Segment", "segment.com", "analytics", true},
      {"Calendly", "calendly.com", "productivity", true},
      {"DocuSign", "docusign.com", "productivity", true},
      {"Loom", "loom.com", "productivity", true},
      {"Grammarly", "grammarly.com", "productivity", true},
      {"QuickSheets Pro", "quicksheets-pro.example", "productivity", false},
      {"MailMerge Wizard", "mailmerge-wizard.example", "productivity", false},
      {"Free PDF Tools", "free-pdf-tools.example", "productivity", false},
  };
  return kVendors;
}

}  // namespace

std::vector<const Employee*> Company::engineers() const {
  std::vector<const Employee*> out;
  for (const auto& employee : employees) {
    if (employee.engineer) out.push_back(&employee);
  }
  return out;
}

core::Result<Company> make_company(const CompanyOptions& options) {
  if (options.employees < 1 || options.employees > kMaxEmployees) {
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("employees must be 1 to {}, not {}", kMaxEmployees, options.employees));
  }
  if (options.days < 1 || options.days > kMaxDays) {
    return core::make_error(core::ErrorCode::invalid_argument,
                            fmt::format("days must be 1 to {}, not {}", kMaxDays, options.days));
  }
  Company company;
  company.name = "Example Corp";
  company.domain = "example.com";
  company.slug = "example-corp";
  company.seed = options.seed;
  company.days = options.days;
  company.end_time = options.end_time;
  company.vendors = vendor_catalog();

  Rng rng = Rng(options.seed).fork("company");
  std::map<std::string, int> logins;
  company.employees.reserve(static_cast<size_t>(options.employees));
  for (int i = 0; i < options.employees; ++i) {
    Employee employee;
    employee.first_name = rng.pick(first_names());
    employee.last_name = rng.pick(last_names());
    std::string login = employee.first_name + "." + employee.last_name;
    const int seen = logins[login]++;
    if (seen > 0) login += std::to_string(seen + 1);
    employee.login = login;
    employee.email = login + "@" + company.domain;
    employee.department = kDepartments[rng.weighted(kDepartmentWeights)];
    employee.engineer = employee.department == "engineering" || employee.department == "data" || employee.department == "it";
    // Hired up to six years before the end of the activity window.
    employee.hired = options.end_time - rng.uniform(60, 6 * 365) * kSecondsPerDay;
    const double draw = rng.unit();
    if (draw < 0.06) {
      employee.status = "deprovisioned";
    } else if (draw < 0.08) {
      employee.status = "suspended";
    }
    if (employee.status != "active") {
      const std::int64_t employed_days = (options.end_time - employee.hired) / kSecondsPerDay;
      employee.left = employee.hired + rng.uniform(30, std::max<std::int64_t>(31, employed_days - 1)) * kSecondsPerDay;
    }
    company.employees.push_back(std::move(employee));
  }
  return company;
}

}  // namespace keyward::generator
