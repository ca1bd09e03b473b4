// nhi.secret.expiring: an active secret or certificate that expires within --expiry-warning-days
// of the as-of time (OWASP NHI7, Long-Lived Secrets). A secret that lapses unnoticed breaks the
// workload that uses it, and a hurried rotation tends to produce a longer-lived secret. Severity
// grows as the expiry nears: high within 7 days, medium within 14, else low.
//
// Not reported: a secret whose identity already has a newer credential of the same kind that
// outlives the warning window (the rotation has happened), and Okta API tokens, whose expiresAt
// only marks when an idle token lapses and moves forward with every use.

#include <fmt/format.h>

#include "posture/checks/access_key_support.hpp"
#include "posture/checks/credential_support.hpp"

namespace keyward::posture {
namespace {

class SecretExpiringCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.secret.expiring"; }
  std::string_view title() const override { return "Secret or certificate expires soon"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI7"; }
  std::string_view description() const override {
    return "A secret that expires unnoticed breaks the workload that uses it, and rushed rotations tend to produce "
           "secrets that live longer. Rotating ahead of expiry keeps lifetimes short without an outage.";
  }
  std::vector<std::string_view> platforms() const override { return {"*"}; }

  void run(const Inventory& inventory, const PostureOptions& options,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (is_inactive_status(identity.status)) continue;
      const Thresholds thresholds = options.for_identity(identity);
      const core::UnixTime window_end =
          inventory.as_of + static_cast<core::UnixTime>(thresholds.expiry_warning_days) * core::kSecondsPerDay;
      const auto& held = credentials_of(inventory, identity);
      for (const auto& credential : held) {
        if (is_inactive_status(credential.status) || credential.kind == "okta_ssws_token") continue;
        if (!credential.expires || *credential.expires <= inventory.as_of || *credential.expires > window_end) continue;
        if (has_successor(held, credential, window_end)) continue;
        findings.push_back(make_finding(identity, credential, thresholds, inventory));
      }
    }
  }

 private:
  // True when another active credential of the same kind expires after the window, or never.
  static bool has_successor(const std::vector<core::Credential>& held,
                                                const core::Credential& credential, core::UnixTime window_end) {
    for (const auto& other : held) {
      if (other.id == credential.id || other.kind != credential.kind || is_inactive_status(other.status)) continue;
      if (!other.expires || *other.expires > window_end) return true;
    }
    return false;
  }

  core::Finding make_finding(const core::Identity& identity, const core::Credential& credential,
                             const Thresholds& thresholds, const Inventory& inventory) const {
    const long long days_left = whole_days(inventory.as_of, *credential.expires);
    core::Finding finding = start_finding(*this, identity, &credential);
    finding.severity = core::Severity::low;
    if (days_left <= 14) finding.severity = core::Severity::medium;
    if (days_left <= 7) finding.severity = core::Severity::high;
    finding.title = days_left == 0 ? fmt::format("{} expires within a day", describe_credential(credential))
                                   : fmt::format("{} expires in {} days", describe_credential(credential), days_left);
    finding.evidence.push_back(make_evidence(
        fmt::format("{} expires {}, {} days after {}, within the {}-day warning (--expiry-warning-days)",
                    describe_credential(credential), core::format_time(*credential.expires), days_left,
                    describe_as_of(inventory), thresholds.expiry_warning_days),
        credential.expires));
    finding.evidence.push_back(make_evidence(
        fmt::format("{} holds no other active {} that outlives the warning window", identity.name, credential.kind)));

    finding.remediation = fmt::format(
        "Issue a replacement that expires within {} days, move every consumer to it before {}, then remove the old one.",
        thresholds.rotation_days, core::format_date(*credential.expires));
    finding.remediation_steps = rotate_steps(identity, credential, thresholds.rotation_days, inventory.as_of);
    finding.check_first = usage_check_first(inventory, identity, &credential);
    finding.check_first.push_back("Add the new secret next to the old one (do not replace it in place), so consumers can "
                                  "switch one at a time.");
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(SecretExpiringCheck);

}  // namespace keyward::posture
