// nhi.identity.human_use: a machine identity, or one of its credentials, used interactively by a
// person: a console or single sign-on session, or API calls from a web browser. A person acting
// as a service account acts with its permissions and under its name, outside their own MFA,
// reviews and offboarding, and often keeps a copy of its secret (OWASP NHI10, Human Use of NHI).
//
// Evidence comes from the activity summaries of machine-classified identities:
//   - interactive sign-in actions: AWS ConsoleLogin, SwitchRole and GetSigninToken (the
//     federation endpoint that turns keys or a role session into a console URL), Okta
//     user.session.start and user.authentication.sso;
//   - the user-agent family "browser" on any platform (a GCP key, an Okta token, an Entra app).
// Activity with an error code is not counted. A failed AWS console sign-in carries no error code
// in CloudTrail (only responseElements.ConsoleLogin = "Failure"), so it counts as an attempt.
// aws.identity.machine_with_console_password reports the console password itself; this check
// reports its observed use and every other interactive use.
//
// TODO: Snowflake UI sign-ins (REPORTED_CLIENT_TYPE SNOWFLAKE_UI) of service users are not seen,
// because enrich/user_agent.cpp classifies "SNOWFLAKE_UI/..." as "other". Entra service
// principals cannot sign in interactively, and Workspace users are all classified human, so
// neither platform gives a case yet.

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "posture/checks/access_key_support.hpp"
#include "posture/checks/usage_support.hpp"

namespace keyward::posture {
namespace {

// Actions that only an interactive sign-in produces, and how evidence names them.
const std::map<std::string, std::string, std::less<>> kInteractiveActions = {
    {"signin.amazonaws.com:ConsoleLogin", "AWS console sign-in"},
    {"signin.amazonaws.com:SwitchRole", "AWS console role switch"},
    {"signin.amazonaws.com:GetSigninToken", "AWS federation sign-in token (a console URL made from its credentials)"},
    {"okta:user.session.start", "Okta sign-in session"},
    {"okta:user.authentication.sso", "Okta single sign-on into an app"},
};

constexpr std::string_view kBrowserFamily = "browser";

// Activity of one kind (sign-in action or browser calls) from one network.
struct UseKey {
  std::string label;
  std::string network;
  bool operator<(const UseKey& other) const { return std::tie(label, network) < std::tie(other.label, other.network); }
};

struct UseTotal {
  long long count = 0;
  core::UnixTime first_seen = 0;
  core::UnixTime last_seen = 0;
  bool sign_in = false;
};

// Interactive use per credential id ("" for use without a long-lived credential).
using UsesByCredential = std::map<std::string, std::map<UseKey, UseTotal>>;

UsesByCredential collect_interactive_use(const Inventory& inventory, const core::Identity& identity) {
  UsesByCredential uses;
  for (const auto& summary : inventory.activity) {
    if (summary.platform != identity.platform || summary.identity_id != identity.id) continue;
    if (!summary.error_code.empty()) continue;
    auto action = kInteractiveActions.find(summary.action);
    const bool sign_in = action != kInteractiveActions.end();
    const bool browser = summary.user_agent_family == kBrowserFamily;
    if (!sign_in && !browser) continue;
    const std::string label = sign_in ? action->second : fmt::format("{} from a web browser", summary.action);
    UseTotal& total = uses[summary.credential_id][UseKey{label, summary.network}];
    total.first_seen = total.count == 0 ? summary.first_seen : std::min(total.first_seen, summary.first_seen);
    total.last_seen = std::max(total.last_seen, summary.last_seen);
    total.count += summary.count;
    total.sign_in = total.sign_in || sign_in;
  }
  return uses;
}

std::vector<std::string> aws_steps(const core::Identity& identity, const core::Credential* credential) {
  std::vector<std::string> steps;
  if (identity.kind == "iam_user") {
    steps.push_back(fmt::format("aws iam delete-login-profile --user-name {}  # if it has a console password",
                                identity.name));
  }
  if (identity.kind == "iam_role") {
    steps.push_back(fmt::format("aws iam get-role --role-name {} --query Role.AssumeRolePolicyDocument  # remove the "
                                "people's principals, then aws iam update-assume-role-policy",
                                identity.name));
    steps.push_back(fmt::format("IAM console > Roles > {} > Revoke sessions (denies every session issued before now)",
                                identity.name));
  }
  if (credential) {
    steps.push_back("# replace the key the person saw: create a new one and deploy it to the workload first");
    steps.push_back(fmt::format("aws iam create-access-key --user-name {}", identity.name));
    for (auto& step : revoke_credential_steps(identity, *credential)) steps.push_back(std::move(step));
  }
  steps.push_back("# give the person their own access: an IAM Identity Center permission set or a role they assume "
                  "under their own name");
  return steps;
}

std::vector<std::string> platform_steps(const core::Identity& identity, const core::Credential* credential) {
  if (identity.platform == "aws") return aws_steps(identity, credential);
  std::vector<std::string> steps;
  if (identity.platform == "okta" && identity.kind == "okta_user") {
    steps.push_back(fmt::format("curl -X DELETE -H \"Authorization: SSWS $OKTA_API_TOKEN\" "
                                "\"https://$OKTA_DOMAIN/api/v1/users/{}/sessions\"",
                                identity.id));
    steps.push_back("Okta Admin Console > Security > Authentication Policies: add a rule that denies sign-in to "
                    "this service account's group, and let the automation use an OAuth 2.0 service app");
  }
  if (identity.platform == "gcp") {
    steps.push_back(fmt::format("gcloud iam service-accounts add-iam-policy-binding {} "
                                "--member=user:<PERSON_EMAIL> --role=roles/iam.serviceAccountTokenCreator  # the "
                                "person impersonates the account under their own name instead of holding its key",
                                identity.id));
  }
  if (identity.platform == "snowflake") {
    steps.push_back(fmt::format("ALTER USER {} SET TYPE = SERVICE;  -- a SERVICE user cannot sign in with a password "
                                "or through Snowsight",
                                identity.id));
  }
  if (credential) {
    steps.push_back("# replace the credential the person saw: deploy a new one to the workload first");
    for (auto& step : revoke_credential_steps(identity, *credential)) steps.push_back(std::move(step));
  }
  return steps;
}

class HumanUseOfNhiCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.identity.human_use"; }
  std::string_view title() const override { return "A person used a machine identity interactively"; }
  core::Severity severity() const override { return core::Severity::high; }
  std::string_view owasp() const override { return "NHI10"; }
  std::string_view description() const override {
    return "A person who signs in as a service account or uses its credential from a browser acts with its permissions under its name, outside their own MFA, reviews and offboarding, and usually keeps a copy of its secret.";
  }
  std::vector<std::string_view> platforms() const override { return {"*"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.classification != core::Classification::machine) continue;
      const UsesByCredential uses = collect_interactive_use(inventory, identity);
      for (const auto& [credential_id, totals] : uses) {
        const core::Credential* credential =
            credential_id.empty() ? nullptr : find_credential(inventory, identity.id, credential_id);
        findings.push_back(make_finding(identity, credential_id, credential, totals, inventory));
      }
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const std::string& credential_id,
                             const core::Credential* credential, const std::map<UseKey, UseTotal>& totals,
                             const Inventory& inventory) const {
    core::Finding finding = start_finding(*this, identity, credential);
    finding.credential_id = credential_id;
    bool sign_in = false;
    finding.evidence.push_back(make_evidence(fmt::format("classified machine: {}", identity.classification_reason)));
    for (const auto& [key, total] : totals) {
      sign_in = sign_in || total.sign_in;
      finding.evidence.push_back(make_evidence(
          fmt::format("{}{}: {} event{} from {} between {} and {}", key.label,
                      credential_id.empty() ? "" : fmt::format(" with {}", credential_id), total.count,
                      total.count == 1 ? "" : "s", key.network.empty() ? "an unknown network" : key.network,
                      core::format_time(total.first_seen), core::format_time(total.last_seen)),
          total.last_seen));
    }
    // Browser calls alone may also be a web application that embeds the credential, which is
    // a different problem with the same fix.
    if (!sign_in) {
      finding.severity = core::Severity::medium;
      finding.title = "Machine credential used from a web browser";
    }
    finding.evidence.push_back(make_evidence(fmt::format("as of {}", describe_as_of(inventory))));
    finding.remediation = fmt::format(
        "Find the person behind these sessions and give them access of their own; then stop {} from signing in "
        "interactively and replace any credential they saw.",
        display_name(identity));
    finding.remediation_steps = platform_steps(identity, credential);
    finding.check_first = {
        "Identify the person from the networks and times above (VPN and SSO logs of the same hours) and ask what they "
        "needed, so their work does not stop.",
        fmt::format("Confirm the workload's own use of {} (its usual networks and clients) so the replacement "
                    "credential reaches it before the old one is revoked.",
                    display_name(identity)),
    };
    finding.safe_now = false;
    finding.safe_reason = "the workload and the person may both depend on the credential today";
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(HumanUseOfNhiCheck);

}  // namespace keyward::posture
