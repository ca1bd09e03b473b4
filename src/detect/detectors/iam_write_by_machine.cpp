// aws.iam.write_by_machine: a successful IAM change made with a non-human credential. The changes
// are to users, roles, trust policies, policies and their versions, group membership, login
// profiles, access keys, identity providers and MFA. A non-human credential is a long-lived access
// key outside the console, or an assumed-role session that is not a console or IAM Identity Center
// sign-in. A leaked machine key used to change IAM is the usual path from one stolen key to
// lasting control of the account.

#include <fmt/format.h>

#include <array>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/iam_policy_checks.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.iam.write_by_machine";
constexpr std::string_view kTitle = "IAM changed with a machine credential";
constexpr int kHighScore = 80;
constexpr int kMediumScore = 55;

constexpr std::array<std::string_view, 43> kIamWrites = {
    "CreateUser", "DeleteUser", "UpdateUser", "AddUserToGroup", "RemoveUserFromGroup",
    "CreateRole", "DeleteRole", "UpdateRole", "UpdateAssumeRolePolicy", "AddRoleToInstanceProfile",
    "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "SetDefaultPolicyVersion",
    "AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy", "DetachUserPolicy", "DetachRolePolicy",
    "DetachGroupPolicy", "PutUserPolicy", "PutRolePolicy", "PutGroupPolicy", "DeleteUserPolicy",
    "DeleteRolePolicy", "DeleteGroupPolicy", "PutUserPermissionsBoundary", "PutRolePermissionsBoundary",
    "DeleteUserPermissionsBoundary", "DeleteRolePermissionsBoundary", "CreateLoginProfile", "UpdateLoginProfile",
    "DeleteLoginProfile", "CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey", "CreateServiceSpecificCredential",
    "CreateOpenIDConnectProvider", "CreateSAMLProvider", "UpdateSAMLProvider", "DeactivateMFADevice",
    "DeleteVirtualMFADevice"};

bool is_iam_write(std::string_view name) {
  for (auto write : kIamWrites) {
    if (write == name) return true;
  }
  return false;
}

// The severity of one change, facts about it, and the command that undoes it.
struct Assessment {
  core::Severity severity = core::Severity::medium;
  std::string detail;  // extra facts for the evidence, e.g. "grants *:* on *"
  std::string undo;    // AWS CLI call that reverts or reviews the change
};

// Names the principal kind and name the call acted on, e.g. "role app-deployer".
std::string target_of(const nlohmann::json& params) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kTargets = {
      {{"roleName", "role"}, {"userName", "user"}, {"groupName", "group"}, {"policyArn", "policy"},
       {"instanceProfileName", "instance profile"}}};
  std::string target;
  for (const auto& [key, kind] : kTargets) {
    const std::string value = aws::string_field(params, key);
    if (value.empty()) continue;
    if (!target.empty()) target += ", ";
    target += fmt::format("{} {}", kind, value);
  }
  return target;
}

// The CLI option that names the principal a policy call acted on, e.g. "--role-name app".
std::string principal_option(const nlohmann::json& params) {
  for (std::string_view key : {"roleName", "userName", "groupName"}) {
    const std::string value = aws::string_field(params, key);
    if (value.empty()) continue;
    const std::string_view kind = key.substr(0, key.size() - 4);  // "role", "user", "group"
    return fmt::format("--{}-name {}", kind, aws::shell_word(value));
  }
  return "--role-name NAME";
}

// "role", "user" or "group": the principal kind in a policy call's name, as the CLI spells it.
std::string_view principal_kind(std::string_view name) {
  if (name.find("Role") != std::string_view::npos) return "role";
  if (name.find("User") != std::string_view::npos) return "user";
  return "group";
}

Assessment assess_managed_policy_change(std::string_view name, const nlohmann::json& params) {
  Assessment assessment;
  const std::string policy_arn = aws::shell_word(aws::string_field(params, "policyArn"));
  const bool attach = name.substr(0, 6) == "Attach";
  if (attach && aws::is_admin_managed_policy(aws::string_field(params, "policyArn"))) {
    assessment.severity = core::Severity::high;
    assessment.detail = fmt::format("attached {}, which grants full control", aws::string_field(params, "policyArn"));
  }
  assessment.undo = fmt::format("aws iam {}-{}-policy {} --policy-arn {}", attach ? "detach" : "attach",
                                principal_kind(name), principal_option(params), policy_arn);
  return assessment;
}

Assessment assess_inline_policy_change(std::string_view name, const nlohmann::json& params) {
  Assessment assessment;
  const std::string policy_name = aws::shell_word(aws::string_field(params, "policyName"));
  if (name.substr(0, 3) == "Put") {
    if (aws::grants_admin(aws::parse_policy_document(aws::string_field(params, "policyDocument")))) {
      assessment.severity = core::Severity::high;
      assessment.detail = "the inline policy allows every action on every resource";
    }
    assessment.undo = fmt::format("aws iam delete-{}-policy {} --policy-name {}", principal_kind(name),
                                  principal_option(params), policy_name);
    return assessment;
  }
  assessment.undo = fmt::format("aws iam put-{}-policy {} --policy-name {} --policy-document file://previous-policy.json",
                                principal_kind(name), principal_option(params), policy_name);
  return assessment;
}

Assessment assess_policy_change(const core::Event& event, const nlohmann::json& params) {
  const std::string_view name = event.event_name;
  if (name.substr(0, 6) == "Attach" || name.substr(0, 6) == "Detach") return assess_managed_policy_change(name, params);
  if (name != "CreatePolicy" && name != "DeletePolicy" && name.find("PolicyVersion") == std::string_view::npos) {
    return assess_inline_policy_change(name, params);
  }

  Assessment assessment;
  if ((name == "CreatePolicy" || name == "CreatePolicyVersion") &&
      aws::grants_admin(aws::parse_policy_document(aws::string_field(params, "policyDocument")))) {
    assessment.severity = core::Severity::high;
    assessment.detail = "the policy allows every action on every resource";
  }
  if (name == "CreatePolicy") {
    const nlohmann::json response = aws::parse_json(event.response_elements);
    const std::string arn = response.is_object() && response.contains("policy") ? aws::string_field(response["policy"], "arn") : "";
    if (!arn.empty()) assessment.undo = fmt::format("aws iam delete-policy --policy-arn {}", aws::shell_word(arn));
  } else if (name == "CreatePolicyVersion" || name == "SetDefaultPolicyVersion") {
    const std::string arn = aws::shell_word(aws::string_field(params, "policyArn"));
    assessment.undo = fmt::format("aws iam list-policy-versions --policy-arn {0}, then aws iam "
                                  "set-default-policy-version --policy-arn {0} --version-id PREVIOUS_VERSION",
                                  arn);
  }
  return assessment;
}

Assessment assess_role_or_user_change(const core::Event& event, const nlohmann::json& params) {
  Assessment assessment;
  const std::string_view name = event.event_name;
  const std::string role = aws::shell_word(aws::string_field(params, "roleName"));
  const std::string user = aws::shell_word(aws::string_field(params, "userName"));
  if (name == "UpdateAssumeRolePolicy" || name == "CreateRole") {
    const std::string document_key = name == "CreateRole" ? "assumeRolePolicyDocument" : "policyDocument";
    const std::string outsider = aws::external_trusted_principal(
        aws::parse_policy_document(aws::string_field(params, document_key)), event.account_id);
    // A changed trust policy decides who can become the role, so it is high even for insiders.
    if (name == "UpdateAssumeRolePolicy" || !outsider.empty()) assessment.severity = core::Severity::high;
    if (!outsider.empty()) assessment.detail = fmt::format("the trust policy lets {} assume the role", outsider);
    assessment.undo = name == "CreateRole"
                          ? fmt::format("aws iam list-attached-role-policies --role-name {0}, detach each, then "
                                        "aws iam delete-role --role-name {0}",
                                        role)
                          : fmt::format("aws iam get-role --role-name {0} --query Role.AssumeRolePolicyDocument, then "
                                        "restore the previous trust with aws iam update-assume-role-policy "
                                        "--role-name {0} --policy-document file://trust-policy.json",
                                        role);
    return assessment;
  }
  if (name == "CreateAccessKey" || name == "CreateLoginProfile" || name == "UpdateLoginProfile" ||
      name == "CreateServiceSpecificCredential" || name == "DeactivateMFADevice" || name == "DeleteVirtualMFADevice" ||
      name == "DeleteUserPermissionsBoundary" || name == "DeleteRolePermissionsBoundary" ||
      name == "CreateOpenIDConnectProvider" || name == "CreateSAMLProvider" || name == "UpdateSAMLProvider") {
    assessment.severity = core::Severity::high;
  }
  if (name == "CreateUser") assessment.undo = fmt::format("aws iam delete-user --user-name {}", user);
  if (name == "AddUserToGroup") {
    assessment.undo = fmt::format("aws iam remove-user-from-group --user-name {} --group-name {}", user,
                                  aws::shell_word(aws::string_field(params, "groupName")));
  }
  if (name == "CreateLoginProfile" || name == "UpdateLoginProfile") {
    assessment.undo = fmt::format("aws iam delete-login-profile --user-name {}", user);
  }
  if (name == "CreateAccessKey") {
    const nlohmann::json response = aws::parse_json(event.response_elements);
    const std::string key_id =
        response.is_object() && response.contains("accessKey") ? aws::string_field(response["accessKey"], "accessKeyId") : "";
    if (!key_id.empty()) {
      assessment.undo = fmt::format("aws iam update-access-key{} --access-key-id {} --status Inactive",
                                    user.empty() ? "" : " --user-name " + user, aws::shell_word(key_id));
    }
  }
  return assessment;
}

bool is_policy_call(std::string_view name) {
  return name.find("Policy") != std::string_view::npos && name != "UpdateAssumeRolePolicy";
}

class IamWriteByMachine final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A successful IAM change made with a non-human credential, the usual path from one stolen key to lasting control of the account.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "iam.amazonaws.com" || !event.error_code.empty()) return;
    if (!is_iam_write(event.event_name) || !made_by_machine(event)) return;

    const nlohmann::json params = aws::parse_json(event.request_parameters);
    const Assessment assessment = is_policy_call(event.event_name) ? assess_policy_change(event, params)
                                                                   : assess_role_or_user_change(event, params);
    const std::string target = target_of(params);
    const bool high = assessment.severity == core::Severity::high;

    core::Alert alert = aws::make_alert(kId, kTitle, assessment.severity, high ? kHighScore : kMediumScore, event);
    std::string description = fmt::format("{} called {} on {} with {} from {}", event.identity_id,
                                          aws::short_action(event), target.empty() ? "the account" : target,
                                          credential_kind(event), event.source_ip);
    if (!assessment.detail.empty()) description += "; " + assessment.detail;
    alert.evidence.push_back(aws::make_evidence(event, std::move(description)));
    alert.remediation = assessment.undo.empty()
                            ? fmt::format("If the change was not expected, contain the caller: {}, then revert the change",
                                          aws::containment_command(event))
                            : fmt::format("If the change was not expected, contain the caller: {}, then revert: {}",
                                          aws::containment_command(event), assessment.undo);
    // One alert per caller, call and target per day: a pipeline repeating a change does not multiply alerts.
    alert.dedupe_key = fmt::format("{}|{}|{}|{}", event.identity_id, event.event_name, target,
                                   core::format_date(event.time));
    ctx.raise(std::move(alert));
  }

 private:
  static bool made_by_machine(const core::Event& event) {
    if (aws::is_human_session(event)) return false;
    // Service-linked roles are AWS services managing their own resources.
    if (event.identity_id.find(":role/aws-service-role/") != std::string::npos) return false;
    if (event.identity_type == "IAMUser") return aws::is_long_lived_key(event.access_key_id);
    return event.identity_type == "AssumedRole";
  }

  static std::string credential_kind(const core::Event& event) {
    if (aws::is_long_lived_key(event.access_key_id)) return fmt::format("long-lived access key {}", event.access_key_id);
    return "an assumed-role session";
  }
};

KEYWARD_REGISTER_DETECTOR(IamWriteByMachine);

}  // namespace
}  // namespace keyward::detect
