// aws.access_key.never_used: an active access key with no recorded use, created more than
// --grace-days (default 7) before the as-of time. A key made and never used was not needed, or
// was made for something that never happened. Either way it is standing access, and no owner
// would notice its misuse (OWASP NHI1, Improper Offboarding). The grace period leaves room for a
// key that was just handed to a new workload.

#include <fmt/format.h>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

class AccessKeyNeverUsedCheck final : public Check {
 public:
  std::string_view id() const override { return "aws.access_key.never_used"; }
  std::string_view title() const override { return "Active access key never used"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI1"; }
  std::string_view description() const override {
    return "A key that was created but never used is an idle secret that grants access if it leaks. Nothing depends on it, so it can go.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void run(const Inventory& inventory, const PostureOptions& options,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      auto keys = inventory.credentials.find(identity.id);
      if (keys == inventory.credentials.end()) continue;
      for (const auto& key : keys->second) {
        if (!is_active_access_key(key) || !key.created) continue;
        if (find_last_use(key, inventory).time) continue;
        const long long age_days = whole_days(*key.created, inventory.as_of);
        if (age_days <= options.for_identity(identity).grace_days) continue;
        findings.push_back(make_finding(identity, key, age_days, inventory, options));
      }
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const core::Credential& key, long long age_days,
                             const Inventory& inventory, const PostureOptions& options) const {
    core::Finding finding = start_finding(*this, identity, &key);
    finding.title = fmt::format("Active access key never used in {} days", age_days);
    const std::optional<int> slot = report_slot(key);
    const std::string unused_fact =
        slot ? fmt::format("access_key_{}_last_used_date is N/A", *slot) : std::string("no use is recorded");
    finding.evidence.push_back(make_evidence(
        fmt::format("{} for {}, and no CloudTrail activity was ingested for it", unused_fact, describe_key(key))));
    finding.evidence.push_back(make_evidence(
        fmt::format("{} {} is {} days before {}, past the {}-day grace period (--grace-days)", created_field(key),
                    core::format_time(*key.created), age_days, describe_as_of(inventory), options.for_identity(identity).grace_days),
        key.created));
    finding.remediation = access_key_command(identity, key, "delete-access-key");
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(AccessKeyNeverUsedCheck);

}  // namespace keyward::posture
