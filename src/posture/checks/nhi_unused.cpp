// nhi.identity.unused: a non-human identity, app or token outside AWS that nothing has used for
// more than --unused-days, or that was never used and is older than --grace-days. Access nobody
// would miss still works for whoever finds its secret (OWASP NHI1, Improper Offboarding). AWS
// access keys have their own checks (aws.access_key.unused, aws.access_key.never_used).
//
// Only exports and logs that record use are judged:
// - Export fields, where an empty value means never used: GitHub credential authorizations
//   (credential_accessed_at), fine-grained tokens (token_last_used_at), Okta service-account
//   users (lastLogin), Salesforce integration users (LastLoginDate) and OAuth tokens
//   (LastUsedDate), Snowflake users (last_success_login). GitHub deploy keys have last_used only
//   in newer API versions, so an empty value there proves nothing and only a known last use counts.
// - Logs only (Entra sign-ins, Workspace token activity, Okta System Log, GitHub audit log):
//   an identity is reported when the logs recorded it acting and then recorded other non-human
//   identities of the platform for more than --unused-days without it. Logs cannot show that an
//   identity never acted, so identities without any activity are not reported.
// Not judged, because their exports cannot tell: GCP service accounts and keys (the key list has
// no last use, and Data Access audit logs, which record most key use, are off by default), Slack
// apps (no export records app API calls), Okta API tokens (Okta lists no last use, and a token
// idle for its tokenWindow expires by itself), GitHub App installations and OAuth apps (their
// activity is on bot accounts or user tokens).

#include <fmt/format.h>

#include <map>

#include "posture/checks/access_key_support.hpp"
#include "posture/checks/credential_support.hpp"

namespace keyward::posture {
namespace {

// The kind of record that stores an identity's use.
enum class UseRecording {
  export_field_with_never,  // an export field stores the last use, and empty means never used
  export_field,             // an export field stores the last use when known
  logs_only,                // only activity logs record use
  none,                     // nothing records use
};

bool has_attribute(const core::Identity& identity, std::string_view key) {
  return identity.attributes.contains(std::string(key));
}

UseRecording use_recording_of(const core::Identity& identity) {
  const std::string& kind = identity.kind;
  if (identity.platform == "aws" || identity.platform == "gcp" || identity.platform == "slack") return UseRecording::none;
  if (kind == "okta_api_token" || kind == "github_app_installation" || kind == "github_oauth_app") return UseRecording::none;
  // The export sources set these attributes; the same kinds observed only in logs lack them.
  if (has_attribute(identity, "sso_credential_id")) return UseRecording::export_field_with_never;
  if (kind == "github_pat_fine_grained" && has_attribute(identity, "grant_id")) return UseRecording::export_field_with_never;
  if (kind == "github_deploy_key") return UseRecording::export_field;
  if (kind == "okta_user" && has_attribute(identity, "okta_status")) return UseRecording::export_field_with_never;
  if (kind == "salesforce_integration_user") return UseRecording::export_field_with_never;
  if (identity.platform == "snowflake" && has_attribute(identity, "type")) return UseRecording::export_field_with_never;
  return UseRecording::logs_only;
}

std::string key_of(std::string_view platform, std::string_view id) { return fmt::format("{}\x1f{}", platform, id); }

// Latest activity of any non-human identity, per platform: how far each platform's logs reach.
std::map<std::string, core::UnixTime> log_coverage(const Inventory& inventory) {
  std::map<std::string, bool> non_human;
  for (const auto& identity : inventory.identities) {
    non_human[key_of(identity.platform, identity.id)] = identity.classification != core::Classification::human;
  }
  std::map<std::string, core::UnixTime> latest;
  for (const auto& summary : inventory.activity) {
    auto found = non_human.find(key_of(summary.platform, summary.identity_id));
    if (found == non_human.end() || !found->second) continue;
    auto [entry, inserted] = latest.emplace(summary.platform, summary.last_seen);
    if (!inserted && summary.last_seen > entry->second) entry->second = summary.last_seen;
  }
  return latest;
}

class NhiUnusedCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.identity.unused"; }
  std::string_view title() const override { return "Non-human identity or token not used recently"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI1"; }
  std::string_view description() const override {
    return "An app, token or service account that nothing uses still works for whoever holds its secret. Removing "
           "it shrinks the attack surface without breaking anything that runs today.";
  }
  std::vector<std::string_view> platforms() const override {
    return {"entra", "okta", "github", "workspace", "salesforce", "snowflake"};
  }

  void run(const Inventory& inventory, const PostureOptions& options,
           std::vector<core::Finding>& findings) const override {
    const std::map<std::string, core::UnixTime> coverage = log_coverage(inventory);
    for (const auto& identity : inventory.identities) {
      if (identity.classification == core::Classification::human) continue;
      if (is_inactive_status(identity.status)) continue;
      const Thresholds thresholds = options.for_identity(identity);
      if (identity.kind == "salesforce_connected_app") {
        check_salesforce_tokens(identity, inventory, thresholds, findings);
        continue;
      }
      const UseRecording recording = use_recording_of(identity);
      if (recording == UseRecording::none) continue;
      if (recording == UseRecording::logs_only) {
        auto reach = coverage.find(identity.platform);
        if (reach != coverage.end()) check_logged_use(identity, inventory, thresholds, reach->second, findings);
        continue;
      }
      check_recorded_use(identity, inventory, thresholds, recording == UseRecording::export_field_with_never, findings);
    }
  }

 private:
  // The identity's credential when it is a personal token or key keyed like the identity.
  static const core::Credential* own_credential(const Inventory& inventory, const core::Identity& identity) {
    for (const auto& credential : credentials_of(inventory, identity)) {
      if (credential.id == identity.id) return &credential;
    }
    return nullptr;
  }

  void check_recorded_use(const core::Identity& identity, const Inventory& inventory, const Thresholds& thresholds,
                          bool empty_means_never, std::vector<core::Finding>& findings) const {
    const UseRecord use = identity_last_use(identity, inventory);
    const core::Credential* credential = own_credential(inventory, identity);
    if (use.time) {
      const long long idle_days = whole_days(*use.time, inventory.as_of);
      if (idle_days <= thresholds.unused_days) return;
      core::Finding finding = start(identity, credential, inventory);
      finding.title = fmt::format("{} unused for {} days", identity.kind, idle_days);
      finding.evidence.push_back(make_evidence(
          fmt::format("{} {} is {} days before {}, over the {}-day limit (--unused-days)", use.field,
                      core::format_time(*use.time), idle_days, describe_as_of(inventory), thresholds.unused_days),
          use.time));
      finish_safe(finding, fmt::format("nothing has used it for {} days", idle_days));
      findings.push_back(std::move(finding));
      return;
    }
    if (!empty_means_never || !identity.created) return;
    const long long age_days = whole_days(*identity.created, inventory.as_of);
    if (age_days <= thresholds.grace_days) return;
    core::Finding finding = start(identity, credential, inventory);
    finding.title = fmt::format("{} never used in the {} days since it was created", identity.kind, age_days);
    finding.evidence.push_back(make_evidence(
        fmt::format("created {}, {} days before {}, over the {}-day grace period (--grace-days)",
                    core::format_time(*identity.created), age_days, describe_as_of(inventory), thresholds.grace_days),
        identity.created));
    finding.evidence.push_back(make_evidence(
        fmt::format("the {} export records no last use and no ingested log shows any activity", identity.platform)));
    finish_safe(finding, "it has never been used");
    findings.push_back(std::move(finding));
  }

  void check_logged_use(const core::Identity& identity, const Inventory& inventory, const Thresholds& thresholds,
                        core::UnixTime logs_reach, std::vector<core::Finding>& findings) const {
    if (inventory.activity_by_identity.find(identity.id) == inventory.activity_by_identity.end()) return;
    const UseRecord use = identity_last_use(identity, inventory);
    if (!use.time) return;
    const long long silent_days = whole_days(*use.time, logs_reach);
    const long long idle_days = whole_days(*use.time, inventory.as_of);
    if (silent_days <= thresholds.unused_days || idle_days <= thresholds.unused_days) return;
    core::Finding finding = start(identity, own_credential(inventory, identity), inventory);
    finding.title = fmt::format("{} not seen in the logs for {} days", identity.kind, idle_days);
    finding.evidence.push_back(make_evidence(
        fmt::format("{} {} is {} days before {}, over the {}-day limit (--unused-days)", use.field,
                    core::format_time(*use.time), idle_days, describe_as_of(inventory), thresholds.unused_days),
        use.time));
    finding.evidence.push_back(make_evidence(
        fmt::format("the ingested {} logs record other non-human identities until {}, {} days after this one's last "
                    "activity",
                    identity.platform, core::format_time(logs_reach), silent_days),
        logs_reach));
    // Logs can miss a use (a delegated sign-in, an API the platform does not log), so the check
    // does not claim that removing it is safe.
    finding.safe_now = false;
    finding.safe_reason = "the logs show no use, but they may not cover every way the identity authenticates";
    finding.check_first.push_back(fmt::format(
        "Confirm on {} that nothing signs in as it: logs record some flows (for Entra, delegated sign-ins through the "
        "app) under the user rather than the app.",
        identity.platform));
    findings.push_back(std::move(finding));
  }

  void check_salesforce_tokens(const core::Identity& app, const Inventory& inventory, const Thresholds& thresholds,
                               std::vector<core::Finding>& findings) const {
    for (const auto& token : credentials_of(inventory, app)) {
      if (token.kind != "salesforce_oauth_token" || is_inactive_status(token.status)) continue;
      const UseRecord use = credential_last_use(token, inventory);
      core::Finding finding = start_finding(*this, app, &token);
      if (use.time) {
        const long long idle_days = whole_days(*use.time, inventory.as_of);
        if (idle_days <= thresholds.unused_days) continue;
        finding.title = fmt::format("Salesforce OAuth token unused for {} days", idle_days);
        finding.evidence.push_back(make_evidence(
            fmt::format("{} of {} is {}, {} days before {}, over the {}-day limit (--unused-days)", use.field,
                        describe_credential(token), core::format_time(*use.time), idle_days, describe_as_of(inventory),
                        thresholds.unused_days),
            use.time));
        finish_safe(finding, fmt::format("the token has not been used for {} days", idle_days));
      } else {
        if (!token.created) continue;
        const long long age_days = whole_days(*token.created, inventory.as_of);
        if (age_days <= thresholds.grace_days) continue;
        finding.title = fmt::format("Salesforce OAuth token never used in the {} days since it was granted", age_days);
        finding.evidence.push_back(make_evidence(
            fmt::format("{} was granted {} ({} days before {}) and its LastUsedDate is empty", describe_credential(token),
                        core::format_time(*token.created), age_days, describe_as_of(inventory)),
            token.created));
        finish_safe(finding, "the token has never been used");
      }
      finding.remediation = fmt::format("Revoke this user's token for {}; the user can authorize the app again if they "
                                        "still need it.",
                                        app.name);
      finding.remediation_steps = revoke_steps(app, token);
      finding.check_first = usage_check_first(inventory, app, &token);
      findings.push_back(std::move(finding));
    }
  }

  core::Finding start(const core::Identity& identity, const core::Credential* credential, const Inventory& inventory) const {
    core::Finding finding = start_finding(*this, identity, credential);
    finding.remediation = fmt::format(
        "Disable {} on {}, wait for anything that breaks, then delete it. If its owner still needs it, record why.",
        identity.name.empty() ? identity.id : identity.name, identity.platform);
    finding.remediation_steps = disable_identity_steps(identity, credentials_of(inventory, identity));
    finding.check_first = usage_check_first(inventory, identity, credential);
    if (!identity.owner.empty()) finding.check_first.push_back(fmt::format("Ask the owner, {}, whether it is still needed.", identity.owner));
    return finding;
  }

  static void finish_safe(core::Finding& finding, const std::string& reason) {
    finding.safe_now = true;
    finding.safe_reason = fmt::format("{}, as the platform's own record of use shows", reason);
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(NhiUnusedCheck);

}  // namespace keyward::posture
