// aws.access_key.exposed: an IAM user with an AWS compromised-key quarantine policy attached
// (AWSCompromisedKeyQuarantine, ...V2 or ...V3). AWS attaches one of these managed policies
// when it finds the user's access key exposed in public, for example in a public GitHub
// repository, and opens a support case or sends an email. The policies deny a list of risky
// actions but leave the key otherwise working, so the user and each of its active keys are
// reported (OWASP NHI2, Secret Leakage).
//
// TODO: exposures that keyward's own secret scanner finds will be reported under this rule
// too, once the scanner exists.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

// ARNs of the quarantine policies as the AWS Managed Policy Reference lists them. V2 (2021) and
// V3 (2024) deny more actions than the first version; AWS attaches one of them.
constexpr std::array<std::string_view, 3> kQuarantinePolicies = {
    "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine",
    "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2",
    "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3",
};

bool is_quarantine_policy(std::string_view arn) {
  for (const auto policy : kQuarantinePolicies) {
    if (arn == policy) return true;
  }
  return false;
}

std::string policy_name(std::string_view arn) { return std::string(arn.substr(arn.rfind('/') + 1)); }

std::string user_name_of(const core::Identity& identity) {
  return identity.name.empty() ? identity.id.substr(identity.id.rfind('/') + 1) : identity.name;
}

class CompromisedKeyQuarantineCheck final : public Check {
 public:
  std::string_view id() const override { return "aws.access_key.exposed"; }
  std::string_view title() const override { return "AWS quarantined an exposed access key"; }
  core::Severity severity() const override { return core::Severity::critical; }
  std::string_view owasp() const override { return "NHI2"; }
  std::string_view description() const override {
    return "AWS attaches a compromised-key quarantine policy when it finds a user's access key in public. Anyone who "
           "found it can still call every action the policy does not deny, such as reading S3 data, until the key is "
           "deactivated.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      auto grants = inventory.grants.find(identity.id);
      if (grants == inventory.grants.end()) continue;
      const core::Grant* quarantine = nullptr;
      for (const auto& grant : grants->second) {
        if (is_quarantine_policy(grant.source_policy)) {
          quarantine = &grant;
          break;
        }
      }
      if (quarantine == nullptr) continue;

      std::vector<const core::Credential*> active_keys;
      if (auto keys = inventory.credentials.find(identity.id); keys != inventory.credentials.end()) {
        for (const auto& key : keys->second) {
          if (is_active_access_key(key)) active_keys.push_back(&key);
        }
      }
      findings.push_back(make_user_finding(identity, *quarantine, active_keys));
      for (const core::Credential* key : active_keys) {
        findings.push_back(make_key_finding(identity, *quarantine, *key, inventory));
      }
    }
  }

 private:
  core::Evidence policy_evidence(const core::Identity& identity, const core::Grant& quarantine) const {
    const std::string via = quarantine.via.starts_with("group:")
                                ? fmt::format("through group {}", quarantine.via.substr(6))
                                : std::string("directly");
    return make_evidence(fmt::format("{} is attached to IAM user {} {}; AWS attaches it when it finds the user's "
                                     "access key exposed in public",
                                     policy_name(quarantine.source_policy), user_name_of(identity), via));
  }

  core::Finding make_user_finding(const core::Identity& identity, const core::Grant& quarantine,
                                  const std::vector<const core::Credential*>& active_keys) const {
    core::Finding finding = start_finding(*this, identity, nullptr);
    const std::string user = user_name_of(identity);
    finding.title = fmt::format("AWS quarantined IAM user {} after finding its access key exposed", user);
    finding.evidence.push_back(policy_evidence(identity, quarantine));
    std::vector<std::string> key_names;
    for (const auto* key : active_keys) key_names.push_back(describe_key(*key));
    finding.evidence.push_back(make_evidence(
        active_keys.empty() ? std::string("the user has no active access key left")
                            : fmt::format("{} active access key{}: {}", active_keys.size(),
                                          active_keys.size() == 1 ? "" : "s", fmt::join(key_names, "; "))));

    finding.remediation =
        "Follow the AWS support case or email: replace every access key of the user, review CloudTrail for calls "
        "made with the exposed key, and remove the key from where it was published. Detach the quarantine policy "
        "only after that.";
    finding.remediation_steps = {
        fmt::format("aws iam list-access-keys --user-name {}", user),
        fmt::format("aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue={} "
                    "--max-results 50",
                    user),
        fmt::format("aws iam list-attached-user-policies --user-name {}   # look for policies the attacker added", user),
        fmt::format("aws iam detach-user-policy --user-name {} --policy-arn {}   # last, once every exposed key is "
                    "deleted and the activity reviewed",
                    user, quarantine.source_policy),
    };
    finding.check_first = {
        "The AWS support case or email about the exposure, which names the key and where it was found",
        "CloudTrail activity of the user since the key was exposed: new users, keys, roles or instances the attacker "
        "may have created"};
    finding.safe_now = false;
    finding.safe_reason = "Detaching the policy lifts AWS's protection; do it only after the keys are replaced.";
    return finding;
  }

  core::Finding make_key_finding(const core::Identity& identity, const core::Grant& quarantine,
                                 const core::Credential& key, const Inventory& inventory) const {
    core::Finding finding = start_finding(*this, identity, &key);
    finding.title = fmt::format("Access key of quarantined IAM user {} is still active", user_name_of(identity));
    finding.evidence.push_back(policy_evidence(identity, quarantine));
    const LastUse use = find_last_use(key, inventory);
    finding.evidence.push_back(make_evidence(
        use.time ? fmt::format("{} is active; {} {}", describe_key(key), use.field, core::format_time(*use.time))
                 : fmt::format("{} is active; no use recorded", describe_key(key)),
        use.time));

    finding.remediation = std::string(
        "Create a replacement key, deploy it to the workloads that use this one, then deactivate and delete this "
        "key today: anyone who found it can use it.");
    finding.remediation_steps = {
        fmt::format("aws iam create-access-key --user-name {}", user_name_of(identity)),
        access_key_command(identity, key, "update-access-key", "--status Inactive"),
        access_key_command(identity, key, "delete-access-key"),
    };
    finding.check_first = {"Which workloads use the key: its last use above and CloudTrail events with its key id",
                           "That the replacement key works in each of them before this one is deactivated"};
    finding.safe_now = false;
    finding.safe_reason =
        "Deactivating the key stops every workload that still uses it, but the key is public, so replace it today.";
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(CompromisedKeyQuarantineCheck);

}  // namespace keyward::posture
