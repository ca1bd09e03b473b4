#pragma once

// Runs a posture check's positive and negative examples through the real sources, a temporary
// SQLite store and run_posture, so that an example proves what the shipped code does.
//
// An example is one JSON file:
//   {
//     "description": "what the case shows",
//     "as_of": "2025-02-18T00:00:00Z",                 // the run's --as-of
//     "options": {"unused_days": 90, "rotation_days": 90, "grace_days": 7,
//                 "expiry_warning_days": 30, "max_lifetime_days": 365},   // optional
//     "credential_report": ["<csv row>", ...],         // optional; the standard header is added
//                                                      // when the first row is not a header
//     "access_keys": {...},                            // optional list-access-keys output(s)
//     "inputs": [{"source": "okta-users", "content": [...]}],  // optional, any other source;
//                                                      // a string content is passed as is (CSV)
//     "activity": [{"platform": "aws", "identity": "<arn>", "credential": "<key id>", "network": "AS16509",
//                   "user_agent_family": "aws-cli", "action": "s3.amazonaws.com:GetObject",
//                   "count": 3, "first_seen": "...", "last_seen": "..."}],   // optional
//     "exposures": [{"fingerprint": "hmac-sha256:<32 hex>", "rule_id": "aws.access_key", "redacted": "AKIA…MPLE",
//                    "platform": "aws", "identifier": "<key id>", "locations": [{"path": "deploy.env",
//                    "line": 3, "column": 1, "commit": "<sha>", "commit_time": "..."}]}],  // optional:
//                                                      // core::Exposure fields by name, stored as one scan at as_of
//     "expect": [{"identity": "<name>", "credential": "<credential id>"}]
//   }
// "expect" lists exactly the findings of the checked rule; a negative example expects none.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace keyward::posture {

struct ExpectedFinding {
  std::string identity_name;
  std::string credential_id;  // "" for a finding about the identity

  bool operator<(const ExpectedFinding& other) const;
  bool operator==(const ExpectedFinding& other) const = default;
};

struct ExampleOutcome {
  std::string description;
  std::vector<ExpectedFinding> expected;  // sorted
  std::vector<ExpectedFinding> actual;    // findings of the rule, sorted
  std::vector<std::string> evidence;      // evidence descriptions of the rule's findings

  bool passed() const { return expected == actual; }
  // Lists expected and actual findings, for a failure message.
  std::string describe() const;
};

// Runs the example at `path` and returns the findings of `rule` next to the expected ones. While it
// runs, $KEYWARD_DATA names this source tree's data/ folder unless it was set.
// Fails when the example cannot be read, a source rejects its input or reports a bad record,
// or the store fails. The temporary store is created under `work_directory` and removed.
core::Result<ExampleOutcome> run_check_example(const std::string& path, std::string_view rule,
                                               const std::string& work_directory);

// Lists the example files of one check: `<directory>/positive/*.json` and `negative/*.json`.
struct ExampleFiles {
  std::vector<std::string> positive;
  std::vector<std::string> negative;
};
ExampleFiles list_check_examples(const std::string& directory);

}  // namespace keyward::posture
