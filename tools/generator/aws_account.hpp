#pragma once

// Generator of a realistic, reproducible AWS account for `keyward demo`, tests and benchmarks.
// It writes the exports and logs a real account produces, in AWS's own formats:
//   credential-report.json        `aws iam get-credential-report`
//   authorization-details.json    `aws iam get-account-authorization-details`
//   access-keys.json              one `aws iam list-access-keys --user-name U` output per line
//   cloudtrail/AWSLogs/...        CloudTrail S3 delivery files (.json.gz with {"Records":[...]})
// and plants known attacks and posture problems, listed in GeneratedAccount::attacks.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace keyward::generator {

// 2026-11-30T00:00:00Z: a fixed end so that the same options always give the same bytes.
inline constexpr core::UnixTime kDefaultEndTime = 1795996800;

struct GeneratorOptions {
  std::uint64_t seed = 1;
  int users = 220;  // IAM users, people and machines
  int roles = 90;   // IAM roles: service, CI, cross-account and service-linked roles
  int days = 28;    // days of CloudTrail activity ending at end_time
  core::UnixTime end_time = kDefaultEndTime;  // credential report time; activity stops before it
  // Adds the attacks of attacks_aws.cpp (key validation from a VPS, a workload session used from a
  // VPN, LLM-jacking through Bedrock) to the three the demo account always has. Off for `keyward
  // demo`, whose test expects every planted item reported without geo and ASN data.
  bool more_attacks = false;
};

// One planted attack or posture problem and what should report it.
struct InjectedAttack {
  InjectedAttack() = default;
  // A posture problem: what it is, the posture check id and the identity.
  InjectedAttack(std::string what, std::string check, std::string identity)
      : name(std::move(what)), expected_detector_or_check(std::move(check)), identity_arn(std::move(identity)) {}

  std::string name;                       // what was planted, in a few words
  std::string expected_detector_or_check; // detector or posture check id (the first of `detectors` for attacks)
  // Reason no keyward check reports this posture problem (what the exports lack or which check is
  // missing); set only when expected_detector_or_check is empty.
  std::string not_reported;
  // The identity it is about, as keyward names it: an IAM user, role or root ARN on AWS, a service
  // account email on GCP, an API token, app or OAuth client id elsewhere (see tools/generator/README.md).
  std::string identity_arn;
  // Set for attacks, empty for posture problems. The attack's injected events lie in [start, end].
  std::vector<std::string> detectors;     // every detector that should alert on the injected events
  std::string platform;                   // "aws", "gcp", ...; filled in by generate_company when empty
  core::UnixTime start = 0;
  core::UnixTime end = 0;

  bool is_attack() const { return !detectors.empty(); }
};

// An attack whose events lie in [start, end], to be reported by each of `detectors` on `identity`.
InjectedAttack planted_attack(std::string platform, std::string name, std::vector<std::string> detectors,
                              std::string identity, core::UnixTime start, core::UnixTime end);

struct GeneratedAccount {
  std::vector<std::string> files;  // paths written, relative to the output directory
  std::vector<InjectedAttack> attacks;
  int identities = 0;  // IAM users and roles, plus the root account
  long long events = 0;  // CloudTrail records written
};

// Writes the account into `output_dir` (created when missing; existing files of the same names
// are overwritten). The same options give byte-identical files.
// Errors: invalid_argument for out-of-range options, io_error when a file cannot be written.
core::Result<GeneratedAccount> generate_aws_account(const std::string& output_dir, const GeneratorOptions& options);

}  // namespace keyward::generator
