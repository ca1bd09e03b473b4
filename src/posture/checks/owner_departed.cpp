// nhi.owner.departed: an active non-human identity on any platform whose owner (or, when no owner
// is recorded, its creator) is deprovisioned or suspended in any ingested directory (see
// inventory/owners.hpp for how accounts across directories are merged). No one is left to
// notice its misuse or to rotate it, and the person who left may still hold a copy of its
// secrets (OWASP NHI1, Improper Offboarding).

#include <fmt/format.h>

#include <set>

#include "inventory/owners.hpp"
#include "posture/check.hpp"

namespace keyward::posture {
namespace {

// Identity statuses that no longer grant access, across the platforms' vocabularies.
const std::set<std::string> kInactiveStatuses = {"deleted", "disabled", "inactive", "suspended", "deprovisioned", "revoked"};

bool is_active_credential(const core::Credential& credential) { return credential.status == "active"; }

class OwnerDepartedCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.owner.departed"; }
  std::string_view title() const override { return "Owner of an active non-human identity has left or is suspended"; }
  core::Severity severity() const override { return core::Severity::high; }
  std::string_view owasp() const override { return "NHI1"; }
  std::string_view description() const override {
    return "When the owner of a non-human identity has left, nobody notices its misuse or rotates it, and the person who left may still hold a copy of its secrets.";
  }
  std::vector<std::string_view> platforms() const override { return {"*"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    const inventory::OwnerDirectory directory(inventory.identities);
    if (directory.people() == 0) return;
    for (const auto& identity : inventory.identities) {
      if (identity.classification == core::Classification::human) continue;
      if (kInactiveStatuses.count(identity.status)) continue;
      const inventory::OwnerResolution owner = directory.resolve_owner_of(identity);
      if (owner.status != inventory::OwnerStatus::deprovisioned && owner.status != inventory::OwnerStatus::suspended) {
        continue;
      }
      findings.push_back(make_finding(identity, owner, inventory));
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const inventory::OwnerResolution& owner,
                             const Inventory& inventory) const {
    const bool deprovisioned = owner.status == inventory::OwnerStatus::deprovisioned;
    core::Finding finding;
    finding.rule = std::string(id());
    finding.owasp = std::string(owasp());
    finding.severity = deprovisioned ? core::Severity::high : core::Severity::medium;
    finding.identity = core::IdentityRef{identity.platform, identity.id, identity.name};
    const std::string person = owner.email.empty() ? owner.reference : owner.email;
    finding.title = fmt::format("{} of this {} is {}", owner.source == "owner" ? "Owner" : "Creator", identity.kind,
                                inventory::to_string(owner.status));

    for (const auto& account : owner.accounts) {
      finding.evidence.push_back(core::Evidence{
          fmt::format("{} {} is {} in the {} directory (account {})", owner.source, person, account.status, account.platform,
                      account.id),
          {},
          std::nullopt});
    }
    int active_credentials = 0;
    if (auto it = inventory.credentials.find(identity.id); it != inventory.credentials.end()) {
      for (const auto& credential : it->second) active_credentials += is_active_credential(credential) ? 1 : 0;
    }
    finding.evidence.push_back(core::Evidence{
        fmt::format("{} {} is {} with {} active credential{}", identity.platform, identity.kind, identity.status,
                    active_credentials, active_credentials == 1 ? "" : "s"),
        {},
        identity.last_used});

    finding.remediation = fmt::format(
        "Assign {} on {} to an active owner or team. Then rotate its credentials, because {} may still hold copies. If no "
        "one claims it, disable it, wait for anything that breaks, and delete it.",
        identity.name.empty() ? identity.id : identity.name, identity.platform, person);
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(OwnerDepartedCheck);

}  // namespace keyward::posture
