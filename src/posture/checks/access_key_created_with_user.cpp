// aws.access_key.created_with_user: an active access key created within kProvisioningWindow of its
// IAM user. A user and key made together come from a script, a Terraform or CloudFormation
// stack, or the console wizard's "programmatic access" step. That is how a console-less user is
// usually made to give a machine a static key. It is also what a persistence script does
// (CreateUser, then CreateAccessKey for a backdoor user).
//
// OWASP mapping: NHI4, Insecure Authentication. The finding is about how the workload
// authenticates, a long-lived IAM user key where a role would hand out short-lived STS
// credentials, not about the key's age (aws.access_key.not_rotated covers NHI7).
//
// Because the credential report's access_key_N_last_rotated is the creation time of the key now in
// the slot, a rotated key no longer matches: only keys that are still the user's first are found.

#include <fmt/format.h>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

// Ten minutes covers a script or stack (seconds apart) and a person clicking through the console
// wizard with pauses, at the report's whole-second precision. A person who later adds a key for
// their own CLI use does it hours or days after the user exists.
constexpr core::UnixTime kProvisioningWindow = 10 * 60;

std::string seconds_text(core::UnixTime seconds) {
  return fmt::format("{} second{}", seconds, seconds == 1 ? "" : "s");
}

class AccessKeyCreatedWithUserCheck final : public Check {
 public:
  std::string_view id() const override { return "aws.access_key.created_with_user"; }
  std::string_view title() const override { return "Access key created together with its user"; }
  core::Severity severity() const override { return core::Severity::low; }
  std::string_view owasp() const override { return "NHI4"; }
  std::string_view description() const override {
    return "Access keys created in the same minute as their IAM user are usually provisioned by a script and handed to a person or a service out of band, and nobody ties the key to an owner afterwards.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.kind != "iam_user" || !identity.created) continue;
      auto keys = inventory.credentials.find(identity.id);
      if (keys == inventory.credentials.end()) continue;
      for (const auto& key : keys->second) {
        if (!is_active_access_key(key) || !key.created) continue;
        const core::UnixTime gap = *key.created - *identity.created;
        if (gap < 0 || gap > kProvisioningWindow) continue;
        findings.push_back(make_finding(identity, key, gap, inventory));
      }
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const core::Credential& key, core::UnixTime gap,
                             const Inventory& inventory) const {
    core::Finding finding = start_finding(*this, identity, &key);
    finding.title = fmt::format("Access key created {} after its user", seconds_text(gap));
    finding.evidence.push_back(make_evidence(
        fmt::format("user_creation_time {} and {} {} of {} are {} apart (limit {})",
                    core::format_time(*identity.created), created_field(key), core::format_time(*key.created),
                    describe_key(key), seconds_text(gap), seconds_text(kProvisioningWindow)),
        key.created));
    finding.evidence.push_back(make_evidence(
        fmt::format("{} is still active as of {}; classified {} ({})", describe_key(key), describe_as_of(inventory),
                    core::to_string(identity.classification), identity.classification_reason)));
    finding.remediation = fmt::format(
        "# confirm who provisioned the user (CloudTrail CreateUser and CreateAccessKey around {}).\n"
        "# for a workload: give it an IAM role (instance profile, IRSA, OIDC federation) instead of a key, then\n"
        "{}",
        core::format_time(*identity.created), deactivate_then_delete(identity, key));
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(AccessKeyCreatedWithUserCheck);

}  // namespace keyward::posture
