// aws.access_key.not_rotated: an active access key created more than --rotation-days (default 90)
// before the as-of time. An access key never expires, so every day it exists is another day a
// copy in a laptop, CI log or image stays valid (OWASP NHI7, Long-Lived Secrets).

#include <fmt/format.h>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

class AccessKeyNotRotatedCheck final : public Check {
 public:
  std::string_view id() const override { return "aws.access_key.not_rotated"; }
  std::string_view title() const override { return "Active access key not rotated"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI7"; }
  std::string_view description() const override {
    return "A long-lived access key has had more time to be copied into scripts, images and laptops. Rotating on a schedule bounds how long a leaked copy stays useful.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void run(const Inventory& inventory, const PostureOptions& options,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      auto keys = inventory.credentials.find(identity.id);
      if (keys == inventory.credentials.end()) continue;
      for (const auto& key : keys->second) {
        if (!is_active_access_key(key) || !key.created) continue;
        const long long age_days = whole_days(*key.created, inventory.as_of);
        if (age_days <= options.for_identity(identity).rotation_days) continue;
        findings.push_back(make_finding(identity, key, age_days, inventory, options));
      }
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const core::Credential& key, long long age_days,
                             const Inventory& inventory, const PostureOptions& options) const {
    core::Finding finding = start_finding(*this, identity, &key);
    finding.title = fmt::format("Active access key is {} days old", age_days);
    finding.evidence.push_back(make_evidence(
        fmt::format("{} {} of {} is {} days before {}, over the {}-day limit (--rotation-days)", created_field(key),
                    core::format_time(*key.created), describe_key(key), age_days, describe_as_of(inventory),
                    options.for_identity(identity).rotation_days),
        key.created));
    if (identity.kind == "root") {
      // A new root key would only renew the risk, so the advice is to retire the key.
      finding.remediation = fmt::format(
          "# do not rotate a root key: move its user to an IAM role or user, then retire it:\n{}",
          deactivate_then_delete(identity, key));
      return finding;
    }
    finding.remediation = fmt::format(
        "aws iam create-access-key --user-name {}\n# deploy the new key everywhere the old one is used, then:\n{}",
        identity.name, deactivate_then_delete(identity, key));
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(AccessKeyNotRotatedCheck);

}  // namespace keyward::posture
