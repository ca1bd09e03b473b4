// aws.access_key.multiple_active: an identity with two active access keys. IAM allows two so that
// a key can be replaced without downtime. When both stay active after the rotation, the old key
// was never retired and a second long-lived secret is in circulation (OWASP NHI7, Long-Lived
// Secrets). While the newer key is within --grace-days (default 7) of its creation the
// rotation is taken to be in progress and nothing is reported.

#include <fmt/format.h>

#include <algorithm>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

class AccessKeyMultipleActiveCheck final : public Check {
 public:
  std::string_view id() const override { return "aws.access_key.multiple_active"; }
  std::string_view title() const override { return "Identity has more than one active access key"; }
  core::Severity severity() const override { return core::Severity::low; }
  std::string_view owasp() const override { return "NHI7"; }
  std::string_view description() const override {
    return "Two active access keys on one user mean a rotation that never finished: the old key still works, often in a forgotten copy, and doubles what must be revoked after a leak.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void run(const Inventory& inventory, const PostureOptions& options,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      auto keys = inventory.credentials.find(identity.id);
      if (keys == inventory.credentials.end()) continue;
      std::vector<const core::Credential*> active;
      for (const auto& key : keys->second) {
        if (is_active_access_key(key)) active.push_back(&key);
      }
      if (active.size() < 2) continue;
      // Oldest first; a key with no known creation time sorts first, as the one to retire.
      std::sort(active.begin(), active.end(), [](const core::Credential* a, const core::Credential* b) {
        return a->created.value_or(0) < b->created.value_or(0);
      });
      const core::Credential* newest = active.back();
      if (newest->created && whole_days(*newest->created, inventory.as_of) <= options.for_identity(identity).grace_days) continue;
      findings.push_back(make_finding(identity, active, inventory));
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const std::vector<const core::Credential*>& active,
                             const Inventory& inventory) const {
    const core::Credential& oldest = *active.front();
    core::Finding finding = start_finding(*this, identity, &oldest);
    finding.title = fmt::format("{} active access keys on one identity", active.size());
    for (const core::Credential* key : active) {
      const std::string created = key->created ? core::format_time(*key->created) : std::string("unknown");
      finding.evidence.push_back(make_evidence(
          fmt::format("{} is active, {} {}, as of {}", describe_key(*key), created_field(*key), created,
                      describe_as_of(inventory)),
          key->created));
    }
    finding.remediation = fmt::format("# retire the older key once its users have moved to the newer one:\n{}",
                                      deactivate_then_delete(identity, oldest));
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(AccessKeyMultipleActiveCheck);

}  // namespace keyward::posture
