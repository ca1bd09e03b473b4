// aws.iam.admin_or_wildcard: an IAM user or role may perform every action ("*"), every action of
// a service ("iam:*", "s3:*"), or every action but a few (Allow with NotAction) on all resources.
//
// Conditions, Deny statements and permissions boundaries are applied first (see
// posture/policy/broad_access.hpp), so a wildcard that a Deny or a boundary removes, or whose
// Condition cannot hold for the principal, is not reported.
//
// Severity: critical for "*", high for services that control identities and accounts (iam, sts,
// organizations) and for NotAction grants, medium for other services. A grant that holds only
// under a Condition that could not be decided, or that a Deny narrows, is rated one level lower. Service-linked roles are
// skipped because their policies belong to AWS and cannot be changed, and principals classified
// as people (roles reached only through SAML sign-in) because they are not non-human identities.

#include <fmt/format.h>

#include <algorithm>

#include "posture/check.hpp"
#include "posture/policy/account_analysis.hpp"
#include "posture/policy/remediation.hpp"

namespace keyward::posture {
namespace {

constexpr std::string_view kRuleId = "aws.iam.admin_or_wildcard";

core::Severity lower(core::Severity severity) {
  return severity == core::Severity::info ? severity : static_cast<core::Severity>(static_cast<int>(severity) - 1);
}

core::Severity access_severity(const policy::BroadAccess& access) {
  core::Severity severity = core::Severity::medium;
  switch (access.scope) {
    case policy::BroadScope::all_actions:
      severity = core::Severity::critical;
      break;
    case policy::BroadScope::all_but_listed:
      severity = core::Severity::high;
      break;
    case policy::BroadScope::service_actions:
      if (access.pattern == "iam:*" || access.pattern == "sts:*" || access.pattern == "organizations:*") {
        severity = core::Severity::high;
      }
      break;
  }
  if (access.conditional || access.partly_denied_by != nullptr) severity = lower(severity);
  return severity;
}

std::string access_label(const policy::BroadAccess& access) {
  switch (access.scope) {
    case policy::BroadScope::all_actions:
      return "Action \"*\"";
    case policy::BroadScope::all_but_listed:
      return fmt::format("every action except {}", access.pattern);
    case policy::BroadScope::service_actions:
      break;
  }
  return access.pattern;
}

std::string describe_access(const policy::BroadAccess& access) {
  std::string text = fmt::format("{} on Resource \"*\" allowed by {}", access_label(access),
                                 policy::describe_sources(access.granting));
  if (access.conditional) text += " only under a Condition that could not be decided";
  if (access.partly_denied_by != nullptr) {
    text += fmt::format("; a Deny in {} removes part of it", policy::describe_source(*access.partly_denied_by));
  }
  return text;
}

std::string format_title(const std::vector<policy::BroadAccess>& access) {
  if (access.size() == 1 && access.front().scope == policy::BroadScope::all_actions &&
      access.front().partly_denied_by == nullptr && !access.front().conditional) {
    return "Full administrator: Action \"*\" on Resource \"*\"";
  }
  std::string labels;
  for (const auto& item : access) {
    if (!labels.empty()) labels += ", ";
    labels += access_label(item);
  }
  return fmt::format("Wildcard permissions on all resources: {}", labels);
}

std::vector<const core::Grant*> granting_statements(const std::vector<policy::BroadAccess>& access) {
  std::vector<const core::Grant*> grants;
  for (const auto& item : access) grants.insert(grants.end(), item.granting.begin(), item.granting.end());
  return grants;
}

core::UnixTime analysis_time(const Inventory& inventory) {
  return inventory.as_of != 0 ? inventory.as_of : core::now();
}

class AdminOrWildcardCheck final : public Check {
 public:
  std::string_view id() const override { return kRuleId; }
  std::string_view title() const override { return "IAM principal has administrator or service-wide wildcard access"; }
  core::Severity severity() const override { return core::Severity::critical; }
  std::string_view owasp() const override { return "NHI5"; }
  std::string_view description() const override {
    return "Administrator, owner or wildcard grants let one stolen credential do anything in the account, including creating new credentials for persistence.";
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
      if (analysis == nullptr || analysis->broad.empty()) continue;
      findings.push_back(make_finding(identity, *analysis, inventory));
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const policy::PrincipalAnalysis& analysis,
                             const Inventory& inventory) const {
    const std::vector<policy::BroadAccess>& access = analysis.broad;
    core::Finding finding;
    finding.rule = std::string(kRuleId);
    finding.title = format_title(access);
    finding.severity = core::Severity::info;
    for (const auto& item : access) finding.severity = std::max(finding.severity, access_severity(item));
    finding.owasp = std::string(owasp());
    finding.identity = {identity.platform, identity.id, identity.name};
    for (const auto& item : access) finding.evidence.push_back({describe_access(item), {}, std::nullopt});
    const policy::AccountPrincipal& principal = *analysis.principal;
    if (!principal.boundary_arn.empty()) {
      std::string note = principal.boundary_resolved
                             ? fmt::format("The permissions boundary {} was applied and allows this access.",
                                           principal.boundary_arn)
                             : policy::describe_unresolved_boundary(principal.boundary_arn);
      finding.evidence.push_back({std::move(note), {}, std::nullopt});
    }

    std::vector<const core::Grant*> grants = granting_statements(access);
    finding.remediation =
        "Replace the wildcard with the actions and resources this workload uses; IAM Access Analyzer can draft that "
        "policy from CloudTrail activity. Until then, a permissions boundary caps what the principal can do.";
    finding.remediation_steps = policy::policy_command_steps(identity, grants);
    finding.remediation_steps.push_back(fmt::format(
        "aws accessanalyzer start-policy-generation --policy-generation-details principalArn={} "
        "--cloud-trail-details '{{\"trails\":[{{\"cloudTrailArn\":\"TRAIL_ARN\",\"allRegions\":true}}],"
        "\"accessRole\":\"ACCESS_ROLE_ARN\",\"startTime\":\"START_TIME\"}}'",
        identity.id));
    finding.remediation_steps.push_back(policy::boundary_command(identity));
    finding.check_first = policy::check_first_items(identity, grants, inventory);
    return finding;
  }
};

}  // namespace

std::unique_ptr<Check> make_admin_or_wildcard_check() {
  return std::make_unique<AdminOrWildcardCheck>();
}

KEYWARD_REGISTER_CHECK(AdminOrWildcardCheck);

}  // namespace keyward::posture
