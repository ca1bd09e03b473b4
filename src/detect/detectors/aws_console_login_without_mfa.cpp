// aws.signin.console_login_without_mfa: the root user or an IAM user signs in to the AWS console
// with its password alone. CloudTrail's ConsoleLogin record states whether MFA was used
// (additionalEventData.MFAUsed "Yes" or "No"), and responseElements.ConsoleLogin is "Success" or
// "Failure". An IAM user's password is a long-lived credential that works from anywhere; without
// MFA, one phished or reused password is a console session with the user's permissions.
//
// keyward watches non-human identities, so the credential report decides whose sign-in this is:
//   - the root user: high, since root should never sign in on a password alone;
//   - an IAM user the report classifies as a machine: high, since no workload uses the console;
//   - a user the report classifies as a person, or one it shows using its console password
//     without being a machine (a person's daily sign-in whose missing MFA the report already
//     shows), is skipped;
//   - any other user (not in the report, created after it, or a password the report never saw
//     used): medium, because nothing says a person holds the password.
// Sign-ins through IAM Identity Center or a SAML provider are federated sessions whose MFA the
// identity provider enforces; they are not IAMUser or Root records and are skipped. Alerts are
// deduplicated per user, so a user's later sign-ins without MFA raise nothing new.
//
// TODO: no posture check reports the skipped case, a non-machine IAM user whose console password
// is in use while mfa_active is false, so nothing in keyward names those users yet.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/detectors/entity_baseline.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "aws.signin.console_login_without_mfa";
constexpr std::string_view kTitle = "Console sign-in with a password and no MFA";

// True when the credential report records a time in password_last_used, not "no_information" or
// N/A.
bool report_shows_password_use(const core::Identity& user) {
  auto used = user.attributes.find("password_last_used");
  if (used == user.attributes.end() || !used->is_string()) return false;
  const std::string& value = used->get_ref<const std::string&>();
  return !value.empty() && value != "no_information" && value != "N/A";
}

class ConsoleLoginWithoutMfa final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "The root user or an IAM user that is not a known person signs in to the console with only a password; "
           "high for root and machine users.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "signin.amazonaws.com" || event.event_name != "ConsoleLogin") return;
    const bool root = event.identity_type == "Root";
    if ((!root && event.identity_type != "IAMUser") || event.identity_id.empty()) return;
    const nlohmann::json response = aws::parse_json(event.response_elements);
    if (aws::string_field(response, "ConsoleLogin") != "Success") return;
    const nlohmann::json additional = aws::parse_json(event.additional_event_data);
    if (aws::string_field(additional, "MFAUsed") != "No") return;

    const core::Identity* user = ctx.find_identity("aws", event.identity_id);
    const bool machine = user != nullptr && user->classification == core::Classification::machine;
    if (!root && user != nullptr && !machine &&
        (user->classification == core::Classification::human || report_shows_password_use(*user))) {
      return;
    }

    std::string holder;
    if (root) {
      holder = "the root user, which should always sign in with MFA";
    } else if (machine) {
      holder = fmt::format("an IAM user the inventory classifies as a machine ({})",
                        baseline::printable(user->classification_reason, 160));
    } else if (user != nullptr) {
      holder = "an IAM user whose console password the credential report never saw used";
    } else {
      holder = "an IAM user the inventory does not list, so nothing says a person holds the password";
    }
    const bool high = root || machine;
    core::Alert alert = aws::make_alert(kId, kTitle, high ? core::Severity::high : core::Severity::medium,
                                        high ? 75 : 55, event);
    alert.evidence.push_back(aws::make_evidence(
        event, fmt::format("{} signed in to the console without MFA from {} using {}; it is {}",
                           baseline::printable(event.identity_id, 160), baseline::printable(event.source_ip, 64),
                           baseline::printable(event.user_agent, 100), holder)));
    const std::string user_name =
        aws::shell_word(event.user_name.empty() ? aws::arn_resource_name(event.identity_id) : event.user_name);
    if (root) {
      alert.remediation = fmt::format(
          "If the sign-in was not expected, change the root password now. Then assign the root user an MFA device "
          "(IAM > Security credentials), or, for a member account with centralized root access, remove the root "
          "password from the management account: run `aws iam delete-login-profile` with the credentials of "
          "`aws sts assume-root --target-principal {} --task-policy-arn "
          "arn=arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials`.",
          aws::shell_word(event.account_id.empty() ? std::string_view("ACCOUNT_ID") : event.account_id));
    } else {
      alert.remediation = fmt::format(
          "If no person should sign in as this user, remove its password: aws iam delete-login-profile --user-name {}. "
          "If a person uses it, enforce MFA (aws iam create-virtual-mfa-device, then aws iam enable-mfa-device "
          "--user-name {}). If the sign-in was not expected, also end its console sessions: {}",
          user_name, user_name, aws::containment_command(event));
    }
    alert.dedupe_key = event.identity_id;
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(ConsoleLoginWithoutMfa);

}  // namespace
}  // namespace keyward::detect
