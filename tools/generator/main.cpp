// keyward-generate: writes a reproducible company (the AWS account plus the exports and logs of
// every other supported platform, with planted problems and attacks) for demos, tests and
// benchmarks.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <filesystem>

#include "tools/generator/company_generator.hpp"
#include "tools/generator/planted.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Generate a realistic company across AWS, GCP, Entra ID, Okta, GitHub, Google Workspace, Salesforce, "
               "Slack and Snowflake, in each platform's own export and log formats, with planted attacks"};
  std::string output_dir;
  keyward::generator::CompanyGeneratorOptions options;
  app.add_option("--out", output_dir, "Folder to write into; created when missing")->required()->type_name("DIR");
  app.add_option("--seed", options.company.seed, "Random seed; the same seed and options give the same bytes")->default_val(1);
  app.add_option("--employees", options.company.employees, "Number of employees; about ten NHIs are generated per employee")
      ->default_val(200);
  app.add_option("--days", options.company.days, "Days of activity before the end time")->default_val(28);
  std::string planted_path;
  app.add_option("--planted", planted_path,
                 "File to write the list of planted attacks to (JSON); default DIR-planted.json beside the folder, "
                 "so `keyward ingest DIR` reads only platform data")
      ->type_name("FILE");
  app.add_option("--platforms", options.platforms, "Platforms to write (comma-separated); default all")
      ->delimiter(',')
      ->type_name("NAME,...");
  CLI11_PARSE(app, argc, argv);

  const auto start = std::chrono::steady_clock::now();
  auto generated = keyward::generator::generate_company(output_dir, options);
  if (!generated) {
    fmt::print(stderr, "keyward-generate: {}\n", generated.error().describe());
    return 1;
  }
  if (planted_path.empty()) {
    std::filesystem::path folder = std::filesystem::absolute(output_dir).lexically_normal();
    if (!folder.has_filename()) folder = folder.parent_path();  // "out/" and "out/." end in a separator
    planted_path = folder.string() + "-planted.json";
  }
  if (auto written = keyward::generator::write_planted(planted_path, generated->planted); !written) {
    fmt::print(stderr, "keyward-generate: {}\n", written.error().describe());
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("Wrote a company of {} employees to {} in {:.1f} s\n", generated->employees, output_dir, seconds);
  fmt::print("{:<12} {:>7} {:>11} {:>9}\n", "PLATFORM", "FILES", "IDENTITIES", "EVENTS");
  for (const auto& [name, output] : generated->platforms) {
    fmt::print("{:<12} {:>7} {:>11} {:>9}\n", name, output.files.size(), output.identities, output.events);
  }
  fmt::print("{:<12} {:>7} {:>11} {:>9}\n", "total", "", generated->identities, generated->events);
  fmt::print("Planted ({}, listed in {}):\n", generated->planted.size(), planted_path);
  for (const auto& planted : generated->planted) {
    const std::string label =
        planted.expected_detector_or_check.empty() ? std::string("(no check reports it)") : planted.expected_detector_or_check;
    fmt::print("  {:<48} {}\n         {}\n", label, planted.identity_arn, planted.name);
  }
  return 0;
}
