// nhi.secret.long_lived: a secret outside AWS that never expires although its platform supports
// an expiry, that is valid for longer than --max-lifetime-days, or that is older than
// --rotation-days (OWASP NHI7, Long-Lived Secrets). A leaked long-lived secret works until
// someone notices. AWS access keys, which cannot expire, are aws.access_key.not_rotated.
//
// Judged kinds:
// - with an expiry the platform lets you set: GCP user-managed keys (validBeforeTime in 9999
//   means none), Entra client secrets and certificates, GitHub personal access tokens;
// - without one, judged by age only: Okta API tokens (their expiresAt only moves forward with
//   use), Okta client JSON Web Keys, GitHub deploy keys.
// Not judged, because the exports carry no creation or expiry time: Okta client secrets,
// Snowflake passwords and RSA keys, Salesforce OAuth tokens. GitHub OAuth and SSH credentials are
// not judged either, because GitHub offers no expiry for them.
// TODO: judge Salesforce OAuth tokens against the connected app's refresh token policy.

#include <fmt/format.h>

#include <algorithm>

#include "posture/checks/access_key_support.hpp"
#include "posture/checks/credential_support.hpp"

namespace keyward::posture {
namespace {

bool expiry_supported(const core::Credential& credential) {
  const std::string& kind = credential.kind;
  if (kind == "gcp_service_account_key") return credential.attributes.value("key_type", "") == "USER_MANAGED";
  return kind == "entra_client_secret" || kind == "entra_certificate" || kind == "github_pat_classic" ||
         kind == "github_pat_fine_grained";
}

bool judged_by_age_only(const core::Credential& credential) {
  return credential.kind == "okta_ssws_token" || credential.kind == "okta_client_jwk" ||
         credential.kind == "github_deploy_key";
}

class SecretLongLivedCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.secret.long_lived"; }
  std::string_view title() const override { return "Secret without expiry or rotation"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI7"; }
  std::string_view description() const override {
    return "A secret that never expires or is never rotated keeps working for whoever copied it, for as long as it "
           "exists. Short lifetimes bound how long a leak stays useful.";
  }
  std::vector<std::string_view> platforms() const override { return {"gcp", "entra", "okta", "github"}; }

  void run(const Inventory& inventory, const PostureOptions& options,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.platform == "aws" || is_inactive_status(identity.status)) continue;
      const Thresholds thresholds = options.for_identity(identity);
      for (const auto& credential : credentials_of(inventory, identity)) {
        if (is_inactive_status(credential.status)) continue;
        if (credential.expires && *credential.expires <= inventory.as_of) continue;
        const bool with_expiry = expiry_supported(credential);
        if (!with_expiry && !judged_by_age_only(credential)) continue;
        judge(identity, credential, with_expiry, thresholds, inventory, findings);
      }
    }
  }

 private:
  void judge(const core::Identity& identity, const core::Credential& credential, bool with_expiry,
             const Thresholds& thresholds, const Inventory& inventory, std::vector<core::Finding>& findings) const {
    core::Finding finding = start_finding(*this, identity, &credential);
    const std::optional<core::UnixTime> issued = credential.last_rotated ? credential.last_rotated : credential.created;
    bool long_lived = false;

    if (with_expiry && !credential.expires) {
      long_lived = true;
      finding.title = fmt::format("{} has no expiry", describe_credential(credential));
      finding.evidence.push_back(make_evidence(fmt::format("{} has no expiry, although {} supports one",
                                                           describe_credential(credential), identity.platform)));
    } else if (with_expiry && credential.created) {
      const long long lifetime_days = whole_days(*credential.created, *credential.expires);
      if (lifetime_days > thresholds.max_lifetime_days) {
        long_lived = true;
        finding.title = fmt::format("{} is valid for {} days", describe_credential(credential), lifetime_days);
        finding.evidence.push_back(make_evidence(
            fmt::format("valid from {} to {}: {} days, over the {}-day limit (--max-lifetime-days)",
                        core::format_time(*credential.created), core::format_time(*credential.expires), lifetime_days,
                        thresholds.max_lifetime_days),
            credential.expires));
      }
    }
    bool stale = false;
    if (issued) {
      const long long age_days = whole_days(*issued, inventory.as_of);
      if (age_days > thresholds.rotation_days) {
        stale = true;
        if (!long_lived) finding.title = fmt::format("{} not rotated in {} days", describe_credential(credential), age_days);
        finding.evidence.push_back(make_evidence(
            fmt::format("issued {}, {} days before {}, over the {}-day rotation limit (--rotation-days)",
                        core::format_time(*issued), age_days, describe_as_of(inventory), thresholds.rotation_days),
            issued));
      }
    }
    if (!long_lived && !stale) return;
    finding.severity = long_lived ? core::Severity::medium : core::Severity::low;
    if (credential.kind == "okta_ssws_token") {
      finding.evidence.push_back(make_evidence(
          "an Okta API token's expiresAt moves forward each time it is used, so a token in use never expires"));
    }

    finding.remediation = fmt::format(
        "Replace it with a credential that expires within {} days (or with a federated or managed identity), move its "
        "consumers, and remove the old one.",
        thresholds.rotation_days);
    finding.remediation_steps = rotate_steps(identity, credential, thresholds.rotation_days, inventory.as_of);
    finding.check_first = usage_check_first(inventory, identity, &credential);
    finding.check_first.push_back("List every consumer of the secret (CI variables, secret stores, config files) so each "
                                  "gets the new one before the old one is removed.");
    const UseRecord use = credential_last_use(credential, inventory);
    if (use.time && whole_days(*use.time, inventory.as_of) > thresholds.unused_days) {
      finding.safe_now = true;
      finding.safe_reason = fmt::format("not used since {}, so removing it breaks nothing that ran in the last {} days",
                                        core::format_date(*use.time), thresholds.unused_days);
    } else if (use.time) {
      finding.safe_now = false;
      finding.safe_reason = fmt::format("used on {}: consumers must move to the new secret first", core::format_date(*use.time));
    }
    findings.push_back(std::move(finding));
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(SecretLongLivedCheck);

}  // namespace keyward::posture
