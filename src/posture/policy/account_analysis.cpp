#include "posture/policy/account_analysis.hpp"

#include <algorithm>
#include <deque>
#include <optional>
#include <set>

namespace keyward::posture::policy {
namespace {

constexpr std::string_view kAssumeRole = "sts:AssumeRole";

bool is_role(const core::Identity& identity) { return identity.kind == "iam_role"; }
bool is_user(const core::Identity& identity) { return identity.kind == "iam_user"; }

// "aws" from "arn:aws:iam::111122223333:user/x", or "aws" when the ARN has no partition.
std::string partition_of(std::string_view arn) {
  if (!arn.starts_with("arn:")) return "aws";
  std::size_t end = arn.find(':', 4);
  return end == std::string_view::npos ? "aws" : std::string(arn.substr(4, end - 4));
}

bool is_customer_managed_policy(std::string_view arn) {
  return arn.starts_with("arn:") && arn.find(":policy/") != std::string_view::npos &&
         arn.find(":iam::aws:policy/") == std::string_view::npos;
}

std::vector<std::string> group_names(const core::Identity& identity) {
  std::vector<std::string> names;
  auto groups = identity.attributes.find("groups");
  if (groups == identity.attributes.end() || !groups->is_array()) return names;
  for (const auto& group : *groups) {
    if (group.is_string()) names.push_back(group.get<std::string>());
  }
  return names;
}

// NOTE: the export lists a user's groups by name only, so the group ARN is built with the
// default path "/"; a group created under another path does not match resource patterns here.
std::string group_arn(const core::Identity& member, const std::string& group) {
  return "arn:" + partition_of(member.id) + ":iam::" + member.account + ":group/" + group;
}

// Statements of each managed policy as attached to some principal, for resolving boundaries.
// Each policy is taken from the first principal and path that carries it, so a policy reached
// twice is not counted twice.
std::map<std::string, std::vector<core::Grant>> index_managed_policies(
    const std::map<std::string, std::vector<core::Grant>>& grants) {
  std::map<std::string, std::vector<core::Grant>> policies;
  std::map<std::string, std::string> taken_from;  // policy ARN to "<identity id>\x1f<via>"
  for (const auto& [identity_id, rows] : grants) {
    for (const auto& row : rows) {
      if (row.platform != "aws" || !row.source_policy.starts_with("arn:") || row.via == kBoundaryVia) continue;
      if (row.actions.empty()) continue;  // placeholder of an unresolved policy
      std::string origin = identity_id + "\x1f" + row.via;
      auto [taken, inserted] = taken_from.emplace(row.source_policy, origin);
      if (!inserted && taken->second != origin) continue;
      core::Grant statement = row;
      statement.via.clear();
      policies[row.source_policy].push_back(std::move(statement));
    }
  }
  return policies;
}

bool broad_is_privileged(const BroadAccess& access) {
  if (access.conditional) return false;
  if (access.scope != BroadScope::service_actions) return true;
  return access.pattern == "iam:*" || access.pattern == "sts:*" || access.pattern == "organizations:*";
}

}  // namespace

bool PrincipalAnalysis::privileged_directly() const {
  if (full_administrator || !paths.empty()) return true;
  return std::any_of(broad.begin(), broad.end(), broad_is_privileged);
}

AccountAnalysis::AccountAnalysis(const std::vector<core::Identity>& identities,
                                 const std::map<std::string, std::vector<core::Grant>>& grants,
                                 core::UnixTime as_of) {
  load_principals(identities, grants, as_of);
  find_assumable_roles();

  // Each round can only add privileged roles, and a round that adds none ends the loop, so it
  // runs at most once per role plus one.
  for (std::size_t round = 0; round <= principals_.size(); ++round) {
    for (std::size_t i = 0; i < principals_.size(); ++i) {
      const AccountPrincipal& principal = *principals_[i];
      TargetResources targets = [this, &principal](Target target, const EscalationPath& path) {
        return target_resources(principal, target, path);
      };
      analyses_[i].paths = find_escalation_paths(principal.grants, principal.context, targets);
    }
    find_chains();

    std::vector<std::string> privileged;
    for (const auto& analysis : analyses_) {
      if (is_role(*analysis.principal->identity) && analysis.privileged()) {
        privileged.push_back(analysis.principal->identity->id);
      }
    }
    if (privileged == privileged_roles_) break;
    privileged_roles_ = std::move(privileged);
  }
}

const PrincipalAnalysis* AccountAnalysis::find(std::string_view identity_id) const {
  auto found = index_.find(identity_id);
  return found == index_.end() ? nullptr : &analyses_[found->second];
}

void AccountAnalysis::load_principals(const std::vector<core::Identity>& identities,
                                      const std::map<std::string, std::vector<core::Grant>>& grants,
                                      core::UnixTime as_of) {
  std::map<std::string, std::vector<core::Grant>> managed = index_managed_policies(grants);
  for (const auto& identity : identities) {
    if (identity.platform != "aws" || (!is_user(identity) && !is_role(identity))) continue;
    auto principal = std::make_unique<AccountPrincipal>();
    principal->identity = &identity;
    std::vector<core::Grant> boundary_rows;
    if (auto rows = grants.find(identity.id); rows != grants.end()) {
      for (const auto& row : rows->second) {
        if (row.platform != "aws") continue;
        if (row.via == kBoundaryVia) {
          core::Grant statement = row;
          statement.via.clear();
          boundary_rows.push_back(std::move(statement));
        } else {
          principal->grants.push_back(row);
        }
      }
    }

    auto boundary = identity.attributes.find("permissions_boundary");
    if (boundary != identity.attributes.end() && boundary->is_string()) {
      principal->boundary_arn = boundary->get<std::string>();
      if (!boundary_rows.empty()) {
        principal->boundary = std::move(boundary_rows);
        principal->boundary_resolved = true;
      } else if (auto document = managed.find(principal->boundary_arn); document != managed.end()) {
        principal->boundary = document->second;
        principal->boundary_resolved = true;
      }
    }

    principal->context.principal = &identity;
    principal->context.as_of = as_of;
    if (principal->boundary_resolved) principal->context.boundary = &principal->boundary;

    index_.emplace(identity.id, principals_.size());
    principals_.push_back(std::move(principal));
  }

  analyses_.resize(principals_.size());
  for (std::size_t i = 0; i < principals_.size(); ++i) {
    PrincipalAnalysis& analysis = analyses_[i];
    const AccountPrincipal& principal = *principals_[i];
    analysis.principal = &principal;
    analysis.broad = find_broad_access(principal.grants, principal.context);
    analysis.full_administrator = is_full_administrator(principal.grants, principal.context);
  }
}

void AccountAnalysis::find_assumable_roles() {
  for (std::size_t i = 0; i < principals_.size(); ++i) {
    const AccountPrincipal& from = *principals_[i];
    for (const auto& candidate : principals_) {
      const core::Identity& role = *candidate->identity;
      if (!is_role(role) || &role == from.identity) continue;
      auto trust_policy = role.attributes.find("trust_policy");
      if (trust_policy == role.attributes.end()) continue;
      TrustGrant trust = trust_grant(*trust_policy, *from.identity, from.context);
      if (trust == TrustGrant::none) continue;

      Evaluation evaluation = evaluate(from.grants, kAssumeRole, role.id, from.context);
      if (evaluation.decision == Decision::explicit_deny) continue;
      AssumeStep step{from.identity, &role, trust, nullptr};
      bool same_account = from.identity->account == role.account;
      if (trust == TrustGrant::named && same_account) {
        // The trust policy alone lets the principal in, but a permissions boundary must still
        // allow sts:AssumeRole.
        if (from.context.boundary != nullptr) {
          RequestContext inner = from.context;
          inner.boundary = nullptr;
          if (!evaluate(*from.context.boundary, kAssumeRole, role.id, inner).allowed()) continue;
        }
      } else if (evaluation.allowed()) {
        step.allowed_by = evaluation.allowed_by;
      } else {
        continue;
      }
      analyses_[i].assumable.push_back(step);
    }
  }
}

std::vector<std::string> AccountAnalysis::target_resources(const AccountPrincipal& principal, Target target,
                                                           const EscalationPath& path) const {
  const core::Identity& self = *principal.identity;
  std::vector<std::string> resources;
  switch (target) {
    case Target::any:
      break;
    case Target::own_policy:
      for (const auto& grant : principal.grants) {
        if (is_customer_managed_policy(grant.source_policy) &&
            std::find(resources.begin(), resources.end(), grant.source_policy) == resources.end()) {
          resources.push_back(grant.source_policy);
        }
      }
      break;
    case Target::other_user:
    case Target::user:
      for (const auto& other : principals_) {
        if (!is_user(*other->identity)) continue;
        if (target == Target::other_user && other->identity == &self) continue;
        resources.push_back(other->identity->id);
      }
      break;
    case Target::own_group:
      for (const auto& group : group_names(self)) resources.push_back(group_arn(self, group));
      break;
    case Target::other_group: {
      std::vector<std::string> own = group_names(self);
      std::set<std::string> seen;
      for (const auto& other : principals_) {
        for (const auto& group : group_names(*other->identity)) {
          if (std::find(own.begin(), own.end(), group) != own.end()) continue;
          std::string arn = group_arn(*other->identity, group);
          if (seen.insert(arn).second) resources.push_back(arn);
        }
      }
      break;
    }
    case Target::controlled_role: {
      if (is_role(self)) resources.push_back(self.id);
      const PrincipalAnalysis* analysis = find(self.id);
      if (analysis != nullptr) {
        for (const auto& step : analysis->assumable) resources.push_back(step.role->id);
      }
      break;
    }
    case Target::privileged_role:
    case Target::passable_role:
      for (const auto& id : privileged_roles_) {
        if (id == self.id) continue;
        if (target == Target::passable_role) {
          const core::Identity& role = *principals_[index_.find(id)->second]->identity;
          auto trust_policy = role.attributes.find("trust_policy");
          if (trust_policy == role.attributes.end() || !trusts_service(*trust_policy, path.service)) continue;
        }
        resources.push_back(id);
      }
      break;
  }
  return resources;
}

void AccountAnalysis::find_chains() {
  for (std::size_t start = 0; start < principals_.size(); ++start) {
    analyses_[start].chain.clear();
    // Breadth-first search over assumable roles, so the first privileged role found is the
    // nearest one. `previous` records the hop that reached each principal.
    std::map<std::size_t, AssumeStep> previous;
    std::set<std::size_t> visited = {start};
    std::deque<std::size_t> queue = {start};
    std::optional<std::size_t> found;
    while (!queue.empty() && !found) {
      std::size_t current = queue.front();
      queue.pop_front();
      for (const auto& step : analyses_[current].assumable) {
        std::size_t next = index_.find(step.role->id)->second;
        if (!visited.insert(next).second) continue;
        previous[next] = step;
        if (analyses_[next].privileged_directly()) {
          found = next;
          break;
        }
        queue.push_back(next);
      }
    }
    if (!found) continue;
    std::vector<AssumeStep> chain;
    for (std::size_t at = *found; at != start;) {
      const AssumeStep& step = previous[at];
      chain.push_back(step);
      at = index_.find(step.from->id)->second;
    }
    std::reverse(chain.begin(), chain.end());
    analyses_[start].chain = std::move(chain);
  }
}

}  // namespace keyward::posture::policy
