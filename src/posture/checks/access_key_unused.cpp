// aws.access_key.unused: an active access key whose last use is more than --unused-days (default
// 90) before the as-of time. An unused key is access that no one would miss, and it often belongs
// to a workload or person that is gone (OWASP NHI1, Improper Offboarding). A key never used at all
// is aws.access_key.never_used instead.

#include <fmt/format.h>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

class AccessKeyUnusedCheck final : public Check {
 public:
  std::string_view id() const override { return "aws.access_key.unused"; }
  std::string_view title() const override { return "Active access key not used recently"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI1"; }
  std::string_view description() const override {
    return "An access key unused for months still works if it leaks. Removing stale keys shrinks the attack surface without breaking anything that runs today.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void run(const Inventory& inventory, const PostureOptions& options,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      auto keys = inventory.credentials.find(identity.id);
      if (keys == inventory.credentials.end()) continue;
      for (const auto& key : keys->second) {
        if (!is_active_access_key(key)) continue;
        const LastUse use = find_last_use(key, inventory);
        if (!use.time) continue;
        const long long idle_days = whole_days(*use.time, inventory.as_of);
        if (idle_days <= options.for_identity(identity).unused_days) continue;
        findings.push_back(make_finding(identity, key, use, idle_days, inventory, options));
      }
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const core::Credential& key, const LastUse& use,
                             long long idle_days, const Inventory& inventory, const PostureOptions& options) const {
    core::Finding finding = start_finding(*this, identity, &key);
    finding.title = fmt::format("Active access key unused for {} days", idle_days);
    finding.evidence.push_back(make_evidence(
        fmt::format("{} {} is {} days before {}, over the {}-day limit (--unused-days)", use.field,
                    core::format_time(*use.time), idle_days, describe_as_of(inventory), options.for_identity(identity).unused_days),
        use.time));
    finding.evidence.push_back(make_evidence(fmt::format("{} is active", describe_key(key))));
    finding.remediation = deactivate_then_delete(identity, key);
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(AccessKeyUnusedCheck);

}  // namespace keyward::posture
