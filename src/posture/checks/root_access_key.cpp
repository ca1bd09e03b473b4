// aws.root.access_key: the root user (the <root_account> row of the credential report) has an
// active access key. Root's permissions cannot be limited by any IAM policy, so its key is the
// most powerful long-lived secret an account can have, and AWS advises having none (OWASP NHI5,
// Overprivileged NHI; the key is also a long-lived secret, NHI7).

#include <fmt/format.h>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

class RootAccessKeyCheck final : public Check {
 public:
  std::string_view id() const override { return "aws.root.access_key"; }
  std::string_view title() const override { return "Root user has an active access key"; }
  core::Severity severity() const override { return core::Severity::critical; }
  std::string_view owasp() const override { return "NHI5"; }
  std::string_view description() const override {
    return "Access keys on the AWS root user carry unrestricted access that IAM policies cannot limit, and AWS recommends that the root user has none.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.kind != "root") continue;
      auto keys = inventory.credentials.find(identity.id);
      if (keys == inventory.credentials.end()) continue;
      for (const auto& key : keys->second) {
        if (is_active_access_key(key)) findings.push_back(make_finding(identity, key, inventory));
      }
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const core::Credential& key,
                             const Inventory& inventory) const {
    core::Finding finding = start_finding(*this, identity, &key);
    const std::optional<int> slot = report_slot(key);
    const std::string active_field = slot ? fmt::format("access_key_{}_active is true", *slot) : std::string("status is Active");
    finding.evidence.push_back(make_evidence(fmt::format("{} for the root user {} ({}), as of {}", active_field,
                                                         identity.id, describe_key(key), describe_as_of(inventory))));
    const LastUse use = find_last_use(key, inventory);
    if (use.time) {
      finding.evidence.push_back(
          make_evidence(fmt::format("{} {}", use.field, core::format_time(*use.time)), use.time));
    }
    finding.remediation = fmt::format(
        "# sign in as root: IAM console > Security credentials > Access keys > Deactivate, then Delete;\n"
        "# or, signed with the root key itself:\n{}",
        deactivate_then_delete(identity, key));
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(RootAccessKeyCheck);

}  // namespace keyward::posture
