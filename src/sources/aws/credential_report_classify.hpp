#pragma once

// Decides whether a credential report row belongs to a machine or a person, from the row's own
// evidence first and the user name second.

#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace keyward::sources::aws {

// The facts of one report row that bear on who operates the user.
struct UsageFacts {
  std::string_view user_name;
  bool is_root = false;
  bool password_enabled = false;
  std::optional<core::UnixTime> password_last_used;
  bool mfa_active = false;
  std::optional<core::UnixTime> key_last_used;  // latest use of either access key
};

struct ClassificationResult {
  core::Classification classification = core::Classification::unknown;
  std::string reason;
};

// A console sign-in older than this, before the report time, no longer shows a person at work.
inline constexpr int kRecentConsoleUseDays = 90;

// Classifies a user as of `reference` (the report's generation time, else the ingest's as-of):
//   1. console password used within kRecentConsoleUseDays, with MFA: human;
//   2. an access key used, and no console password or one never used: machine;
//   3. a name with an automation hint (svc-, -bot, ci-, deploy, terraform, automation, ...):
//      machine;
//   4. otherwise unknown.
// The root user is always unknown: it is the account owner's sign-in, not a workload or a
// person's own identity, and checks treat it on its own.
ClassificationResult classify_report_user(const UsageFacts& facts, core::UnixTime reference);

// Returns the automation hint found in `user_name` (e.g. "terraform"), or nullopt.
std::optional<std::string_view> find_machine_name_hint(std::string_view user_name);

}  // namespace keyward::sources::aws
