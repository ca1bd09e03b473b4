// keyward-generate: writes a reproducible AWS account (IAM exports and CloudTrail logs with
// planted attacks) for demos, tests and benchmarks.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>

#include "tools/generator/aws_account.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Generate a realistic AWS account with planted attacks: IAM exports and CloudTrail logs"};
  std::string output_dir;
  keyward::generator::GeneratorOptions options;
  app.add_option("--out", output_dir, "Folder to write into; created when missing")->required()->type_name("DIR");
  app.add_option("--seed", options.seed, "Random seed; the same seed and options give the same bytes")->default_val(1);
  app.add_option("--users", options.users, "Number of IAM users, people and machines")->default_val(220);
  app.add_option("--roles", options.roles, "Number of IAM roles")->default_val(90);
  app.add_option("--days", options.days, "Days of CloudTrail activity before the end time")->default_val(28);
  CLI11_PARSE(app, argc, argv);

  const auto start = std::chrono::steady_clock::now();
  auto generated = keyward::generator::generate_aws_account(output_dir, options);
  if (!generated) {
    fmt::print(stderr, "keyward-generate: {}\n", generated.error().describe());
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t trail_files = 0;
  for (const auto& file : generated->files) trail_files += file.rfind("cloudtrail/", 0) == 0 ? 1 : 0;
  fmt::print("Wrote {} files to {} in {:.1f} s: credential-report.json, authorization-details.json, access-keys.json "
             "and {} CloudTrail files\n",
             generated->files.size(), output_dir, seconds, trail_files);
  fmt::print("{} identities, {} CloudTrail events\n", generated->identities, generated->events);
  fmt::print("Planted ({}):\n", generated->attacks.size());
  for (const auto& attack : generated->attacks) {
    fmt::print("  {:<48} {}\n         {}\n", attack.expected_detector_or_check, attack.identity_arn, attack.name);
  }
  return 0;
}
