// aws.iam.privilege_escalation: an IAM user or role can gain access it was not given, through one
// of the permission sets in posture/policy/escalation_paths.hpp or by assuming a chain of roles
// that ends at a privileged role. Conditions, permissions boundaries, Deny statements and the
// resources each action reaches are evaluated (posture/policy/account_analysis.hpp), so a set
// limited to resources or conditions that rule out the attack is not reported.
//
// Severity is critical when a set that rewrites IAM directly is allowed without an undecided
// Condition, or when a role chain reaches a full administrator, else high.
//
// Full administrators are skipped: they already hold every permission, so the
// aws.iam.admin_or_wildcard finding covers them and a second finding would repeat it.
// Service-linked roles are skipped because their policies belong to AWS and cannot be changed,
// and principals classified as people (roles reached only through SAML sign-in) because they are
// not non-human identities.

#include <fmt/format.h>

#include <set>

#include "posture/check.hpp"
#include "posture/policy/account_analysis.hpp"
#include "posture/policy/remediation.hpp"

namespace keyward::posture {
namespace {

constexpr std::string_view kRuleId = "aws.iam.privilege_escalation";

core::UnixTime analysis_time(const Inventory& inventory) {
  return inventory.as_of != 0 ? inventory.as_of : core::now();
}

std::string describe_evaluation(std::string_view action, const policy::Evaluation& evaluation,
                                const std::string& resource) {
  std::string text = fmt::format("{} allowed by {}", action, policy::describe_sources(evaluation.allowing));
  if (resource != policy::kAnyResource) text += fmt::format(" on {}", resource);
  if (evaluation.conditional) {
    text += fmt::format(" only under a Condition that could not be decided ({})", evaluation.condition_reason);
  } else if (!evaluation.condition_reason.empty()) {
    text += fmt::format(" (Condition: {})", evaluation.condition_reason);
  }
  if (evaluation.conditional_deny != nullptr) {
    text += fmt::format(" (a Deny with an undecided Condition in {} may block it)",
                        policy::describe_source(*evaluation.conditional_deny));
  }
  return text;
}

std::string describe_match(const policy::PathMatch& match) {
  std::string text = policy::path_label(*match.path) + ":";
  for (std::size_t i = 0; i < match.evaluations.size(); ++i) {
    text += (i == 0 ? " " : "; ") + describe_evaluation(match.path->actions[i], match.evaluations[i], match.resources[i]);
  }
  text += fmt::format(". With this principal's credentials an attacker can {}.", match.path->attack);
  return text;
}

std::string describe_hop(const policy::AssumeStep& step) {
  if (step.allowed_by == nullptr) {
    return fmt::format("{} can assume {}: the role's trust policy names it", step.from->name, step.role->name);
  }
  return fmt::format("{} can assume {}: sts:AssumeRole allowed by {} and the role's trust policy {}", step.from->name,
                     step.role->name, policy::describe_source(*step.allowed_by),
                     step.trust == policy::TrustGrant::named ? "names it" : "trusts its account");
}

std::string join_labels(const std::vector<policy::PathMatch>& paths) {
  std::string labels;
  for (const auto& match : paths) {
    if (!labels.empty()) labels += ", ";
    labels += policy::path_label(*match.path);
  }
  return labels;
}

// Says what the role at the end of a chain can do.
std::string describe_privileged_role(const policy::PrincipalAnalysis& role) {
  const std::string& name = role.principal->identity->name;
  if (role.full_administrator) {
    return fmt::format("{} holds Action \"*\" on every resource through {}", name,
                       policy::describe_sources(role.broad.front().granting));
  }
  if (!role.paths.empty()) return fmt::format("{} can escalate through {}", name, join_labels(role.paths));
  std::string text;
  for (const auto& access : role.broad) {
    if (access.conditional) continue;
    if (!text.empty()) text += "; ";
    std::string label = access.scope == policy::BroadScope::all_but_listed
                            ? "every action except " + access.pattern
                            : access.pattern;
    text += fmt::format("{} through {}", label, policy::describe_sources(access.granting));
  }
  return fmt::format("{} holds {}", name, text);
}

std::string format_title(const policy::PrincipalAnalysis& analysis) {
  std::string title;
  if (analysis.paths.size() == 1) {
    title = fmt::format("Can escalate its privileges: {}", policy::path_label(*analysis.paths.front().path));
  } else if (!analysis.paths.empty()) {
    std::string labels;
    for (const auto& match : analysis.paths) {
      if (!labels.empty()) labels += ", ";
      labels += match.path->number == 0 ? std::string(match.path->name) : fmt::format("privesc{}", match.path->number);
    }
    title = fmt::format("Can escalate its privileges through {} permission sets: {}", analysis.paths.size(), labels);
  }
  if (analysis.chain.empty()) return title;

  std::string chain = analysis.principal->identity->name;
  for (const auto& step : analysis.chain) chain += " -> " + step.role->name;
  if (title.empty()) return fmt::format("Can reach a privileged role by assuming roles: {}", chain);
  return fmt::format("{}; also reaches a privileged role: {}", title, chain);
}

core::Severity finding_severity(const policy::PrincipalAnalysis& analysis, const policy::AccountAnalysis& account) {
  for (const auto& match : analysis.paths) {
    if (match.path->direct && !match.conditional) return core::Severity::critical;
  }
  if (!analysis.chain.empty()) {
    const policy::PrincipalAnalysis* end = account.find(analysis.chain.back().role->id);
    if (end != nullptr && end->full_administrator) return core::Severity::critical;
  }
  return core::Severity::high;
}

class PrivilegeEscalationCheck final : public Check {
 public:
  std::string_view id() const override { return kRuleId; }
  std::string_view title() const override { return "IAM principal can escalate its own privileges"; }
  core::Severity severity() const override { return core::Severity::high; }
  std::string_view owasp() const override { return "NHI5"; }
  std::string_view description() const override {
    return "Permission sets such as iam:PassRole with a compute service, or iam:CreatePolicyVersion, and roles it can "
           "assume let the holder grant itself administrator access.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    policy::AccountAnalysis account(inventory.identities, inventory.grants, analysis_time(inventory));
    for (const auto& identity : inventory.identities) {
      if (identity.platform != "aws") continue;
      if (identity.kind != "iam_user" && identity.kind != "iam_role") continue;
      if (identity.classification == core::Classification::human) continue;
      const policy::PrincipalAnalysis* analysis = account.find(identity.id);
      if (analysis == nullptr || analysis->full_administrator) continue;
      if (analysis->paths.empty() && analysis->chain.empty()) continue;
      findings.push_back(make_finding(identity, *analysis, account, inventory));
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const policy::PrincipalAnalysis& analysis,
                             const policy::AccountAnalysis& account, const Inventory& inventory) const {
    core::Finding finding;
    finding.rule = std::string(kRuleId);
    finding.title = format_title(analysis);
    finding.severity = finding_severity(analysis, account);
    finding.owasp = std::string(owasp());
    finding.identity = {identity.platform, identity.id, identity.name};

    std::vector<const core::Grant*> grants;
    std::set<std::string> actions;
    for (const auto& match : analysis.paths) {
      finding.evidence.push_back({describe_match(match), {}, std::nullopt});
      for (std::size_t i = 0; i < match.evaluations.size(); ++i) {
        actions.insert(std::string(match.path->actions[i]));
        const auto& allowing = match.evaluations[i].allowing;
        grants.insert(grants.end(), allowing.begin(), allowing.end());
      }
    }
    add_chain_evidence(analysis, account, finding);
    add_boundary_evidence(*analysis.principal, finding);

    finding.remediation = format_remediation(analysis, actions);
    finding.remediation_steps = format_steps(identity, analysis, grants);
    finding.check_first = policy::check_first_items(identity, grants, inventory);
    if (!analysis.chain.empty()) {
      const core::Identity& next = *analysis.chain.front().role;
      finding.check_first.push_back(fmt::format(
          "Check whether a workload of {} assumes {} on purpose{}: look for AssumeRole calls in CloudTrail before "
          "removing the trust.",
          identity.name, next.name, next.last_used ? " (the role was last used " + core::format_time(*next.last_used) + ")" : ""));
    }
    return finding;
  }

  static void add_chain_evidence(const policy::PrincipalAnalysis& analysis, const policy::AccountAnalysis& account,
                                 core::Finding& finding) {
    if (analysis.chain.empty()) return;
    std::string text = "Role chain: ";
    for (std::size_t i = 0; i < analysis.chain.size(); ++i) {
      if (i > 0) text += "; ";
      text += describe_hop(analysis.chain[i]);
    }
    const policy::PrincipalAnalysis* end = account.find(analysis.chain.back().role->id);
    if (end != nullptr) text += ". " + describe_privileged_role(*end);
    finding.evidence.push_back({text + ".", {}, std::nullopt});
  }

  static void add_boundary_evidence(const policy::AccountPrincipal& principal, core::Finding& finding) {
    if (principal.boundary_arn.empty()) return;
    if (!principal.boundary_resolved) {
      finding.evidence.push_back({policy::describe_unresolved_boundary(principal.boundary_arn), {}, std::nullopt});
      return;
    }
    finding.evidence.push_back(
        {fmt::format("The permissions boundary {} was applied and allows these actions.", principal.boundary_arn), {},
         std::nullopt});
  }

  static std::string format_remediation(const policy::PrincipalAnalysis& analysis, const std::set<std::string>& actions) {
    std::string text;
    if (!actions.empty()) {
      std::string action_list;
      for (const auto& action : actions) {
        if (!action_list.empty()) action_list += ", ";
        action_list += action;
      }
      text = fmt::format(
          "Remove {} from the policies named in the evidence, or limit them to the resources this workload needs "
          "(iam:PassRole to specific role ARNs with an iam:PassedToService condition); until the policy can change, a "
          "permissions boundary that denies them stops the escalation.",
          action_list);
    }
    if (!analysis.chain.empty()) {
      if (!text.empty()) text += " ";
      text += fmt::format("Stop {} from assuming {}, by editing that role's trust policy or the statement that allows "
                          "sts:AssumeRole, so it no longer reaches {}.",
                          analysis.principal->identity->name, analysis.chain.front().role->name,
                          analysis.chain.back().role->name);
    }
    return text;
  }

  static std::vector<std::string> format_steps(const core::Identity& identity, const policy::PrincipalAnalysis& analysis,
                                               const std::vector<const core::Grant*>& grants) {
    std::vector<const core::Grant*> all = grants;
    if (!analysis.chain.empty() && analysis.chain.front().allowed_by != nullptr) {
      all.push_back(analysis.chain.front().allowed_by);
    }
    std::vector<std::string> steps = policy::policy_command_steps(identity, all);

    // A customer managed policy the principal may rewrite keeps its older versions; deleting
    // them leaves iam:SetDefaultPolicyVersion nothing to restore.
    std::set<std::string> versioned;
    for (const auto& match : analysis.paths) {
      for (std::size_t i = 0; i < match.evaluations.size(); ++i) {
        if (match.path->targets[i] != policy::Target::own_policy) continue;
        if (match.resources[i] != policy::kAnyResource) versioned.insert(match.resources[i]);
        for (const core::Grant* grant : match.evaluations[i].allowing) {
          if (grant->source_policy.starts_with("arn:") && grant->source_policy.find(":iam::aws:") == std::string::npos) {
            versioned.insert(grant->source_policy);
          }
        }
      }
    }
    for (const auto& arn : versioned) {
      for (auto& step : policy::policy_version_steps(arn)) steps.push_back(std::move(step));
    }

    if (!analysis.chain.empty() && analysis.chain.front().allowed_by == nullptr) {
      for (auto& step : policy::trust_policy_steps(*analysis.chain.front().role, identity)) steps.push_back(std::move(step));
    }
    steps.push_back(policy::boundary_command(identity));
    return steps;
  }
};

}  // namespace

std::unique_ptr<Check> make_privilege_escalation_check() {
  return std::make_unique<PrivilegeEscalationCheck>();
}

KEYWARD_REGISTER_CHECK(PrivilegeEscalationCheck);

}  // namespace keyward::posture
