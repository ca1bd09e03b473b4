#include "sources/aws/credential_report_classify.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <vector>

namespace keyward::sources::aws {
namespace {

// Whole name tokens that mark an automation user. Short words such as "ci" or "bot" count only
// as whole tokens, so "Abbott" or "Lucia" are not machines.
constexpr std::array<std::string_view, 17> kMachineTokens = {
    "svc", "service", "bot", "robot", "ci", "cicd", "deploy", "deployer", "deployment",
    "tf", "terraform", "automation", "jenkins", "pipeline", "etl", "cron", "integration"};

// Words distinctive enough to count anywhere in the name, e.g. "prodterraformrunner".
constexpr std::array<std::string_view, 5> kMachineSubstrings = {
    "terraform", "automation", "deploy", "jenkins", "pipeline"};

// Splits "svc-DataSync_prod" into "svc", "data", "sync", "prod": separators are any
// non-alphanumeric character and a lower-to-upper case change.
std::vector<std::string> split_name_tokens(std::string_view name) {
  std::vector<std::string> tokens;
  std::string current;
  char previous = '\0';
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    const bool alnum = std::isalnum(byte) != 0;
    const bool case_break = std::isupper(byte) && std::islower(static_cast<unsigned char>(previous));
    if (!alnum || case_break) {
      if (!current.empty()) tokens.push_back(std::move(current));
      current.clear();
    }
    if (alnum) current.push_back(static_cast<char>(std::tolower(byte)));
    previous = c;
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

bool used_within(const std::optional<core::UnixTime>& time, core::UnixTime reference, int days) {
  return time && reference - *time <= static_cast<core::UnixTime>(days) * core::kSecondsPerDay;
}

}  // namespace

std::optional<std::string_view> find_machine_name_hint(std::string_view user_name) {
  for (const std::string& token : split_name_tokens(user_name)) {
    for (std::string_view hint : kMachineTokens) {
      if (token == hint) return hint;
    }
  }
  std::string lowered;
  for (char c : user_name) lowered.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (std::string_view hint : kMachineSubstrings) {
    if (lowered.find(hint) != std::string::npos) return hint;
  }
  return std::nullopt;
}

ClassificationResult classify_report_user(const UsageFacts& facts, core::UnixTime reference) {
  using core::Classification;
  if (facts.is_root) {
    return {Classification::unknown, "root user: the account owner's sign-in, judged by its own checks"};
  }

  const bool recent_console_use = facts.password_enabled &&
                                  used_within(facts.password_last_used, reference, kRecentConsoleUseDays);
  if (recent_console_use && facts.mfa_active) {
    return {Classification::human,
            fmt::format("console password used {} with MFA active", core::format_time(*facts.password_last_used))};
  }

  const bool console_unused = !facts.password_enabled || !facts.password_last_used;
  if (facts.key_last_used && console_unused) {
    const std::string console = facts.password_enabled ? "console password with no recorded use" : "no console password";
    return {Classification::machine,
            fmt::format("{}; access key last used {}", console, core::format_time(*facts.key_last_used))};
  }

  if (auto hint = find_machine_name_hint(facts.user_name)) {
    return {Classification::machine, fmt::format("user name contains the automation hint '{}'", *hint)};
  }

  if (recent_console_use) {
    return {Classification::unknown, "console password used recently but MFA is not active"};
  }
  return {Classification::unknown, "no recent console sign-in, no access key use and no naming hint"};
}

}  // namespace keyward::sources::aws
