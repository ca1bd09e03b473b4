// aws.iam.privilege_escalation: an IAM user or role has one of the 21 permission sets that let it
// grant itself more access (see posture/policy/escalation_paths.hpp for the list). Severity is
// critical when a set that rewrites IAM directly is allowed without a Condition, else high.
//
// Full administrators are skipped: they already hold every permission, so the
// aws.iam.admin_or_wildcard finding covers them and a second finding would repeat it.
// Service-linked roles are skipped because their policies belong to AWS and cannot be changed,
// and principals classified as people (roles reached only through SAML sign-in) because they are
// not non-human identities.

#include <fmt/format.h>

#include <set>

#include "posture/check.hpp"
#include "posture/policy/broad_access.hpp"
#include "posture/policy/escalation_paths.hpp"
#include "posture/policy/remediation.hpp"

namespace keyward::posture {
namespace {

constexpr std::string_view kRuleId = "aws.iam.privilege_escalation";

std::string path_label(const policy::EscalationPath& path) {
  return fmt::format("privesc{} {}", path.number, path.name);
}

std::string describe_match(const policy::PathMatch& match) {
  std::string text = path_label(*match.path) + ":";
  for (std::size_t i = 0; i < match.evaluations.size(); ++i) {
    const policy::Evaluation& evaluation = match.evaluations[i];
    text += fmt::format("{} {} allowed by {}", i == 0 ? "" : ";", match.path->actions[i],
                        policy::describe_sources(evaluation.allowing));
    if (evaluation.conditional) text += " only under a Condition, which keyward does not evaluate";
    if (evaluation.conditional_deny != nullptr) {
      text += fmt::format(" (a Deny with a Condition in {} may block it)",
                          policy::describe_source(*evaluation.conditional_deny));
    }
  }
  text += fmt::format(". With this principal's credentials an attacker can {}.", match.path->attack);
  return text;
}

std::string format_title(const std::vector<policy::PathMatch>& matches) {
  if (matches.size() == 1) {
    return fmt::format("Can escalate its privileges: {}", path_label(*matches.front().path));
  }
  std::string numbers;
  for (const auto& match : matches) {
    if (!numbers.empty()) numbers += ", ";
    numbers += fmt::format("privesc{}", match.path->number);
  }
  return fmt::format("Can escalate its privileges through {} permission sets: {}", matches.size(), numbers);
}

std::string format_remediation(const core::Identity& identity, const std::vector<policy::PathMatch>& matches) {
  std::set<std::string> actions;
  std::vector<const core::Grant*> grants;
  for (const auto& match : matches) {
    for (std::size_t i = 0; i < match.evaluations.size(); ++i) {
      actions.insert(std::string(match.path->actions[i]));
      const auto& allowing = match.evaluations[i].allowing;
      grants.insert(grants.end(), allowing.begin(), allowing.end());
    }
  }
  std::string action_list;
  for (const auto& action : actions) {
    if (!action_list.empty()) action_list += ", ";
    action_list += action;
  }
  return fmt::format(
      "Remove {} from the policies below, or limit them to the named resources this workload "
      "needs (iam:PassRole to specific role ARNs with an iam:PassedToService condition). Where the "
      "policy cannot change yet, set a permissions boundary that denies these actions.\n{}",
      action_list, policy::format_policy_commands(identity, grants));
}

core::Severity finding_severity(const std::vector<policy::PathMatch>& matches) {
  for (const auto& match : matches) {
    if (match.path->direct && !match.conditional) return core::Severity::critical;
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
    return "Permission sets such as iam:PassRole with a compute service, or iam:CreatePolicyVersion, let the holder grant itself administrator access.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.platform != "aws") continue;
      if (identity.kind != "iam_user" && identity.kind != "iam_role") continue;
      if (identity.classification == core::Classification::human) continue;
      auto grants = inventory.grants.find(identity.id);
      if (grants == inventory.grants.end()) continue;
      if (policy::is_full_administrator(grants->second)) continue;

      std::vector<policy::PathMatch> matches = policy::find_escalation_paths(grants->second);
      if (matches.empty()) continue;
      findings.push_back(make_finding(identity, matches));
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const std::vector<policy::PathMatch>& matches) const {
    core::Finding finding;
    finding.rule = std::string(kRuleId);
    finding.title = format_title(matches);
    finding.severity = finding_severity(matches);
    finding.owasp = std::string(owasp());
    finding.identity = {identity.platform, identity.id, identity.name};
    for (const auto& match : matches) {
      finding.evidence.push_back({describe_match(match), {}, std::nullopt});
    }
    if (std::string note = policy::describe_unevaluated_boundary(identity); !note.empty()) {
      finding.evidence.push_back({std::move(note), {}, std::nullopt});
    }
    finding.remediation = format_remediation(identity, matches);
    return finding;
  }
};

}  // namespace

std::unique_ptr<Check> make_privilege_escalation_check() {
  return std::make_unique<PrivilegeEscalationCheck>();
}

KEYWARD_REGISTER_CHECK(PrivilegeEscalationCheck);

}  // namespace keyward::posture
