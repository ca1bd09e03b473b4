// aws.api.first_sensitive_call: after its learning period, a credential or identity makes a
// successful call to a sensitive API it never called before. Machines repeat the same calls, so
// a key's first IAM change, secret read or remote session looks like an attacker's first steps.
// The list follows MITRE ATT&CK T1098 Account Manipulation, T1136.003 Create Cloud Account,
// T1552 Unsecured Credentials and T1555.006 Cloud Secrets Management Stores.
//
// kms:Decrypt is left out on purpose: AWS services call it on the principal's behalf for every
// read of KMS-encrypted S3 objects, EBS volumes and secrets, so its first occurrence says little.

#include <fmt/format.h>

#include <array>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.api.first_sensitive_call";
constexpr std::string_view kTitle = "First call to a sensitive AWS API";
const std::string kDimension = "sensitive_call";

struct SensitiveApi {
  std::string_view action;  // "iam:CreateAccessKey", as aws::short_action() writes it
  std::string_view effect;  // what a successful call does, for the alert
  core::Severity severity;
  int score;
};

constexpr core::Severity kHigh = core::Severity::high;
constexpr core::Severity kMedium = core::Severity::medium;

constexpr std::array kSensitiveApis = {
    // Persistence and privilege escalation through IAM.
    SensitiveApi{"iam:CreateUser", "creates an IAM user", kHigh, 70},
    SensitiveApi{"iam:CreateAccessKey", "creates a long-lived access key", kHigh, 75},
    SensitiveApi{"iam:CreateLoginProfile", "gives an IAM user a console password", kHigh, 75},
    SensitiveApi{"iam:UpdateLoginProfile", "changes an IAM user's console password", kHigh, 75},
    SensitiveApi{"iam:CreateServiceSpecificCredential", "creates a service-specific credential", kHigh, 70},
    SensitiveApi{"iam:AttachUserPolicy", "attaches a managed policy to a user", kHigh, 70},
    SensitiveApi{"iam:AttachGroupPolicy", "attaches a managed policy to a group", kHigh, 70},
    SensitiveApi{"iam:AttachRolePolicy", "attaches a managed policy to a role", kHigh, 70},
    SensitiveApi{"iam:PutUserPolicy", "writes an inline policy on a user", kHigh, 70},
    SensitiveApi{"iam:PutGroupPolicy", "writes an inline policy on a group", kHigh, 70},
    SensitiveApi{"iam:PutRolePolicy", "writes an inline policy on a role", kHigh, 70},
    SensitiveApi{"iam:CreatePolicyVersion", "rewrites a managed policy", kHigh, 70},
    SensitiveApi{"iam:SetDefaultPolicyVersion", "switches a managed policy to another version", kHigh, 70},
    SensitiveApi{"iam:AddUserToGroup", "adds a user to a group and its permissions", kHigh, 65},
    SensitiveApi{"iam:CreateRole", "creates an IAM role", kMedium, 60},
    SensitiveApi{"iam:UpdateAssumeRolePolicy", "changes who may assume a role", kHigh, 75},
    SensitiveApi{"iam:DeactivateMFADevice", "removes an MFA device from a user", kHigh, 70},
    SensitiveApi{"iam:DeleteUserPermissionsBoundary", "removes a user's permissions boundary", kHigh, 70},
    SensitiveApi{"iam:DeleteRolePermissionsBoundary", "removes a role's permissions boundary", kHigh, 70},
    // Credential access.
    SensitiveApi{"secretsmanager:GetSecretValue", "reads a secret value", kMedium, 55},
    SensitiveApi{"secretsmanager:BatchGetSecretValue", "reads several secret values", kMedium, 60},
    SensitiveApi{"ssm:GetParameter", "reads a decrypted SecureString parameter", kMedium, 55},
    SensitiveApi{"ssm:GetParameters", "reads decrypted SecureString parameters", kMedium, 55},
    SensitiveApi{"ssm:GetParametersByPath", "reads decrypted SecureString parameters", kMedium, 60},
    SensitiveApi{"ec2:GetPasswordData", "reads a Windows instance's administrator password", kHigh, 70},
    SensitiveApi{"sts:GetFederationToken",
                 "mints temporary credentials (valid up to 36 hours) that can also open a console session", kHigh,
                 70},
    // Remote access to instances.
    SensitiveApi{"ec2-instance-connect:SendSSHPublicKey", "pushes an SSH key to an instance", kMedium, 60},
    SensitiveApi{"ec2-instance-connect:SendSerialConsoleSSHPublicKey", "opens an instance's serial console", kMedium,
                 60},
    SensitiveApi{"ssm:StartSession", "opens a shell session on an instance", kMedium, 60},
    SensitiveApi{"ssm:SendCommand", "runs commands on instances", kMedium, 60},
};

const SensitiveApi* find_sensitive(std::string_view action) {
  for (const SensitiveApi& api : kSensitiveApis) {
    if (api.action == action) return &api;
  }
  return nullptr;
}

// SSM parameter reads are sensitive only when they decrypt SecureString values.
bool reads_plain_parameters(const core::Event& event) {
  if (event.event_source != "ssm.amazonaws.com" || !event.event_name.starts_with("GetParameter")) return false;
  return !aws::bool_field(aws::parse_json(event.request_parameters), "withDecryption");
}

class FirstSensitiveCall final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "After its learning period, a credential makes its first successful call to a sensitive API (IAM changes, secret reads, remote sessions).";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    // Refused calls change nothing; the AccessDenied burst detector covers probing.
    if (!event.error_code.empty() || aws::is_aws_service_caller(event) || aws::is_human_session(event)) return;
    const std::string action = aws::short_action(event);
    const SensitiveApi* api = find_sensitive(action);
    if (api == nullptr || reads_plain_parameters(event)) return;
    const std::string entity = baseline::entity_of(event);
    if (entity.empty()) return;

    if (ctx.observe(entity, kDimension, action, event.time)) return;
    if (!baseline::learning_complete(ctx, entity, event.time)) return;

    std::string description =
        fmt::format("{} called {} for the first time since its activity began on {}; the call {} (source IP {})",
                    baseline::describe_entity(event), action, baseline::first_activity_date(ctx, entity), api->effect,
                    event.source_ip);
    core::Alert alert = aws::make_alert(kId, kTitle, api->severity, api->score, event);
    alert.evidence.push_back(aws::make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Confirm with the owner that {} is part of the workload. If not, contain the credential: {}, then review "
        "and undo what the call changed",
        action, aws::containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, action);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(FirstSensitiveCall);

}  // namespace
}  // namespace keyward::detect
