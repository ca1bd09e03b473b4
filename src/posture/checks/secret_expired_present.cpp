// nhi.secret.expired_present: a credential past its expiry that is still registered (OWASP NHI7,
// Long-Lived Secrets). An expired secret no longer authenticates, but leaving it in place hides
// which credentials are real. Activity after the expiry shows a consumer still presenting it: a
// workload that fails today, or someone trying a secret they should not have. That case is
// medium, the rest low.
//
// Entra keeps expired secrets and certificates on the app, GCP lists expired keys, and GitHub
// lists expired fine-grained tokens (token_expired). Okta API tokens are skipped: Okta lists
// active tokens only, and an expiresAt before the as-of time means only that the export is older.

#include <fmt/format.h>

#include "posture/checks/access_key_support.hpp"
#include "posture/checks/credential_support.hpp"

namespace keyward::posture {
namespace {

class SecretExpiredPresentCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.secret.expired_present"; }
  std::string_view title() const override { return "Expired credential still present"; }
  core::Severity severity() const override { return core::Severity::low; }
  std::string_view owasp() const override { return "NHI7"; }
  std::string_view description() const override {
    return "Expired credentials left in place blur which secrets are live, and attempts to use one after its expiry "
           "point to a broken workload or to someone holding a secret they should not.";
  }
  std::vector<std::string_view> platforms() const override { return {"*"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.status == "deleted") continue;
      for (const auto& credential : credentials_of(inventory, identity)) {
        if (credential.kind == "okta_ssws_token" || credential.status == "deleted") continue;
        // A disabled credential that also expired is doubly dead, except GitHub's expired
        // fine-grained tokens, which the export marks inactive because they expired.
        if (credential.status == "inactive" && credential.kind != "github_pat_fine_grained") continue;
        if (!credential.expires || *credential.expires > inventory.as_of) continue;
        findings.push_back(make_finding(identity, credential, inventory));
      }
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const core::Credential& credential,
                             const Inventory& inventory) const {
    const core::UnixTime expired = *credential.expires;
    core::Finding finding = start_finding(*this, identity, &credential);
    finding.title = fmt::format("{} expired {} days ago and is still present", describe_credential(credential),
                                whole_days(expired, inventory.as_of));
    finding.evidence.push_back(make_evidence(
        fmt::format("{} expired {}, {} days before {}", describe_credential(credential), core::format_time(expired),
                    whole_days(expired, inventory.as_of), describe_as_of(inventory)),
        expired));

    auto activity = inventory.activity_by_credential.find(credential.id);
    const bool presented_after = activity != inventory.activity_by_credential.end() && activity->second.last_seen &&
                                 *activity->second.last_seen > expired;
    if (presented_after) {
      finding.severity = core::Severity::medium;
      finding.title = fmt::format("{} expired but is still presented", describe_credential(credential));
      finding.evidence.push_back(make_evidence(
          fmt::format("activity with this credential continues after its expiry, last at {}",
                      core::format_time(*activity->second.last_seen)),
          activity->second.last_seen));
    }

    finding.remediation = presented_after
                              ? "Find the consumer that still presents it and give it a current credential, then delete "
                                "the expired one."
                              : "Delete the expired credential so only live secrets remain registered.";
    finding.remediation_steps = revoke_steps(identity, credential);
    finding.check_first = usage_check_first(inventory, identity, &credential);
    finding.safe_now = true;
    finding.safe_reason = fmt::format("it expired on {} and no longer authenticates, so deleting it cannot break a consumer",
                                      core::format_date(expired));
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(SecretExpiredPresentCheck);

}  // namespace keyward::posture
