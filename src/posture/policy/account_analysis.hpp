#pragma once

// Privilege analysis of every IAM user and role in one inventory at once: what each principal
// can do directly (broad access, escalation sets on the resources that exist), which roles it
// can assume, and whether a chain of role assumptions leads it to a privileged role.
//
// A role is privileged when it is a full administrator, holds Action "*", every action but a few,
// or every action of iam, sts or organizations, can escalate through a permission set, or can
// reach such a role. Permission sets that pass or take over a role (iam:PassRole,
// iam:UpdateAssumeRolePolicy) count only on privileged roles, so the analysis repeats until the
// set of privileged roles stops growing.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/time.hpp"
#include "posture/policy/broad_access.hpp"
#include "posture/policy/conditions.hpp"
#include "posture/policy/escalation_paths.hpp"
#include "posture/policy/trust.hpp"

namespace keyward::posture::policy {

// One IAM user or role with its statements and permissions boundary.
struct AccountPrincipal {
  const core::Identity* identity = nullptr;
  std::vector<core::Grant> grants;  // identity policy statements, platform "aws"
  std::string boundary_arn;         // empty when the principal has no permissions boundary
  // The boundary's statements, found either as rows with via "boundary" or as the statements of
  // the same managed policy attached to some principal of the inventory.
  // TODO: the aws-authorization-details source does not emit via "boundary" rows yet, so a
  // boundary policy attached to no principal stays unresolved.
  std::vector<core::Grant> boundary;
  bool boundary_resolved = false;   // false: a boundary is set but its document is unknown
  RequestContext context;           // principal, time and boundary for evaluate()
};

// One hop of a chain of role assumptions.
struct AssumeStep {
  const core::Identity* from = nullptr;
  const core::Identity* role = nullptr;
  TrustGrant trust = TrustGrant::none;
  // The identity statement that allows sts:AssumeRole on the role, or nullptr when the role's
  // trust policy names `from` in the same account, which needs no identity permission.
  const core::Grant* allowed_by = nullptr;
};

struct PrincipalAnalysis {
  const AccountPrincipal* principal = nullptr;
  bool full_administrator = false;
  std::vector<BroadAccess> broad;
  std::vector<PathMatch> paths;
  std::vector<AssumeStep> assumable;  // roles it can assume directly
  // The shortest chain of role assumptions that ends at a privileged role, or empty.
  std::vector<AssumeStep> chain;

  // Privileged without counting chains: full administrator, identity-wide wildcard or a set.
  bool privileged_directly() const;
  bool privileged() const { return privileged_directly() || !chain.empty(); }
};

class AccountAnalysis {
 public:
  // Analyses every principal of kind iam_user or iam_role on platform "aws". `grants` maps
  // identity ids to their rows. `as_of` decides time conditions; pass the posture run's time.
  AccountAnalysis(const std::vector<core::Identity>& identities,
                  const std::map<std::string, std::vector<core::Grant>>& grants, core::UnixTime as_of);

  // Returns the analysis of one principal, or nullptr when it was not analysed.
  const PrincipalAnalysis* find(std::string_view identity_id) const;

 private:
  void load_principals(const std::vector<core::Identity>& identities,
                       const std::map<std::string, std::vector<core::Grant>>& grants, core::UnixTime as_of);
  void find_assumable_roles();
  std::vector<std::string> target_resources(const AccountPrincipal& principal, Target target,
                                            const EscalationPath& path) const;
  void find_chains();

  std::vector<std::unique_ptr<AccountPrincipal>> principals_;
  std::vector<PrincipalAnalysis> analyses_;  // same order as principals_
  std::map<std::string, std::size_t, std::less<>> index_;
  std::vector<std::string> privileged_roles_;  // ids
};

}  // namespace keyward::posture::policy
