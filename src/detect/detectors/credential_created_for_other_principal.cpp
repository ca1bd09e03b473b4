// aws.iam.credential_created_for_other_principal: a principal mints a credential (access key,
// console password, service-specific credential) for a different IAM user. Attackers do this to
// keep access through a user they do not own (Stratus: aws.persistence.iam-backdoor-user,
// aws.persistence.iam-create-user-login-profile, aws.privilege-escalation.iam-update-user-login-profile).

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.iam.credential_created_for_other_principal";
constexpr std::string_view kTitle = "IAM credential created for another principal";

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The created credential, described, and the CLI call that disables it again.
struct CreatedCredential {
  std::string description;
  std::string disable_command;
};

CreatedCredential describe_created(const core::Event& event, const std::string& target) {
  const std::string user = aws::shell_word(target);
  const nlohmann::json response = aws::parse_json(event.response_elements);
  if (event.event_name == "CreateAccessKey") {
    std::string key_id;
    if (response.is_object() && response.contains("accessKey")) key_id = aws::string_field(response["accessKey"], "accessKeyId");
    if (key_id.empty()) {
      return {"an access key", fmt::format("aws iam list-access-keys --user-name {} and deactivate the new key with "
                                           "aws iam update-access-key --user-name {} --access-key-id KEY --status Inactive",
                                           user, user)};
    }
    return {fmt::format("access key {}", key_id),
            fmt::format("aws iam update-access-key --user-name {} --access-key-id {} --status Inactive", user,
                        aws::shell_word(key_id))};
  }
  if (event.event_name == "CreateServiceSpecificCredential") {
    std::string credential_id;
    if (response.is_object() && response.contains("serviceSpecificCredential")) {
      credential_id = aws::string_field(response["serviceSpecificCredential"], "serviceSpecificCredentialId");
    }
    return {"a service-specific credential",
            fmt::format("aws iam update-service-specific-credential --user-name {} --service-specific-credential-id {} "
                        "--status Inactive",
                        user, credential_id.empty() ? "ID" : aws::shell_word(credential_id))};
  }
  const std::string_view verb = event.event_name == "UpdateLoginProfile" ? "a new console password" : "a console password";
  return {std::string(verb), fmt::format("aws iam delete-login-profile --user-name {}", user)};
}

class CredentialCreatedForOtherPrincipal final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A principal creates an access key, console password or service-specific credential for a different IAM user, a common way to keep access through a user the attacker does not own.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "iam.amazonaws.com" || !event.error_code.empty()) return;
    const std::string_view name = event.event_name;
    if (name != "CreateAccessKey" && name != "CreateLoginProfile" && name != "UpdateLoginProfile" &&
        name != "CreateServiceSpecificCredential") {
      return;
    }
    // Without userName the call acts on the caller itself.
    const std::string target = aws::string_field(aws::parse_json(event.request_parameters), "userName");
    if (target.empty()) return;
    // IAM user names are unique regardless of case. A role or other principal has no user name of
    // its own, so any target user is someone else.
    if (event.identity_type == "IAMUser" && equals_ignoring_case(target, event.user_name)) return;
    // A person who signs in through a role and acts on the IAM user of the same name (session
    // "alice" setting user alice's password) is acting on their own account.
    if (event.identity_type == "AssumedRole" && equals_ignoring_case(target, aws::arn_resource_name(event.principal_arn))) {
      return;
    }

    const CreatedCredential created = describe_created(event, target);
    core::Alert alert = aws::make_alert(kId, kTitle, core::Severity::high, 80, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} created {} for IAM user {} ({} from {})", event.identity_id, created.description, target,
                           aws::short_action(event), event.source_ip)));
    alert.remediation = fmt::format("Disable what was created: {}. If the call was not expected, contain the caller: {}",
                                    created.disable_command, aws::containment_command(event));
    alert.dedupe_key = aws::event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(CredentialCreatedForOtherPrincipal);

}  // namespace
}  // namespace keyward::detect
