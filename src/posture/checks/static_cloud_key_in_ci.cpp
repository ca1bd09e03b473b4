// nhi.ci.static_cloud_key: a long-lived cloud credential (an AWS access key, a user-managed GCP
// service account key, an Entra client secret or certificate) that a CI system uses. GitHub
// Actions, GitLab CI, CircleCI, Bitbucket Pipelines, Buildkite and Azure Pipelines can all
// exchange a short-lived OIDC token of the job for cloud credentials, so a static key stored as a
// CI secret is avoidable. It is copied into every job, readable by anyone who can change a
// workflow, and stays valid after it leaks (OWASP NHI6, Insecure Cloud Deployment
// Configurations).
//
// A credential is reported when one of these signals names a CI system:
//   - a user-agent family of its activity names a CI client (none is produced yet: see
//     ci_system_of_family);
//   - the holder's name, email, path or description, a tag key or value, or the credential's
//     own display name contains a CI word as a whole word ("github-deployer", "svc_jenkins",
//     "ci-release", tag used-by=gitlab);
//   - the Entra application with the secret also has a federated credential for a CI
//     issuer, so the pipeline can already sign in without the secret.
// Names are a convention, not proof: the evidence says which word matched, and check_first asks
// to confirm the consumer. Keys of people (human classification) are left to the access-key
// checks.

#include <fmt/format.h>

#include "posture/checks/access_key_support.hpp"
#include "posture/checks/usage_support.hpp"

namespace keyward::posture {
namespace {

bool is_static_cloud_key(const core::Credential& credential, const Inventory& inventory) {
  if (is_inactive_credential(credential)) return false;
  if (credential.expires && *credential.expires <= inventory.as_of) return false;
  if (credential.kind == "aws_access_key") return true;
  if (credential.kind == "gcp_service_account_key") {
    // Google rotates system-managed keys itself and never hands them out.
    return credential.attributes.value("key_type", "") != "SYSTEM_MANAGED";
  }
  return credential.kind == "entra_client_secret" || credential.kind == "entra_certificate";
}

// One reason to believe a CI system uses the credential.
struct CiSignal {
  std::string system;
  std::string evidence;
};

void add_text_signal(std::string_view field, std::string_view text, std::vector<CiSignal>& signals) {
  if (text.empty()) return;
  const std::string system = ci_system_named_in(text);
  if (!system.empty()) signals.push_back({system, fmt::format("{} \"{}\" names {}", field, text, system)});
}

std::string string_attribute(const nlohmann::json& attributes, const char* key) {
  auto found = attributes.find(key);
  return found != attributes.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::vector<CiSignal> find_ci_signals(const core::Identity& identity, const core::Credential& credential,
                                      const Inventory& inventory) {
  std::vector<CiSignal> signals;
  if (auto activity = inventory.activity_by_credential.find(credential.id);
      activity != inventory.activity_by_credential.end()) {
    for (const auto& family : activity->second.user_agent_families) {
      const std::string system = ci_system_of_family(family);
      if (!system.empty()) signals.push_back({system, fmt::format("activity with user-agent family {}", family)});
    }
  }

  add_text_signal("name", identity.name, signals);
  if (identity.platform == "gcp") add_text_signal("email", identity.id.substr(0, identity.id.find('@')), signals);
  add_text_signal("path", string_attribute(identity.attributes, "path"), signals);
  add_text_signal("description", string_attribute(identity.attributes, "description"), signals);
  add_text_signal("credential display name", string_attribute(credential.attributes, "display_name"), signals);
  if (auto tags = identity.attributes.find("tags"); tags != identity.attributes.end() && tags->is_object()) {
    for (const auto& [key, value] : tags->items()) {
      const std::string text = value.is_string() ? value.get<std::string>() : std::string();
      add_text_signal("tag", fmt::format("{}={}", key, text), signals);
    }
  }

  if (identity.platform == "entra") {
    auto credentials = inventory.credentials.find(identity.id);
    if (credentials != inventory.credentials.end()) {
      for (const auto& federated : credentials->second) {
        if (federated.kind != "entra_federated_credential" || federated.attributes.value("ci_cd", "") == "") continue;
        signals.push_back({"GitHub Actions",
                           fmt::format("the app also has federated credential \"{}\" for issuer {} (subject {})",
                                       string_attribute(federated.attributes, "name"),
                                       string_attribute(federated.attributes, "issuer"),
                                       string_attribute(federated.attributes, "subject"))});
      }
    }
  }
  return signals;
}

std::vector<std::string> aws_steps(const core::Identity& identity, const core::Credential& credential) {
  std::vector<std::string> steps = {
      "# GitHub Actions; for GitLab use --url https://gitlab.com, for CircleCI https://oidc.circleci.com/org/<ORG_ID>",
      "aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list "
      "sts.amazonaws.com",
      "# trust-policy.json: Federated = the provider ARN, Action sts:AssumeRoleWithWebIdentity, StringEquals "
      "token.actions.githubusercontent.com:aud = sts.amazonaws.com and StringLike "
      "token.actions.githubusercontent.com:sub = repo:<OWNER>/<REPO>:ref:refs/heads/<BRANCH>",
      "aws iam create-role --role-name <CI_ROLE> --assume-role-policy-document file://trust-policy.json",
      fmt::format("aws iam list-attached-user-policies --user-name {}", identity.name),
      fmt::format("aws iam list-user-policies --user-name {}", identity.name),
      "aws iam attach-role-policy --role-name <CI_ROLE> --policy-arn <POLICY_ARN>  # for each policy listed",
      "# workflow: permissions: id-token: write, and aws-actions/configure-aws-credentials with role-to-assume: "
      "arn:aws:iam::<ACCOUNT_ID>:role/<CI_ROLE> in place of the key secrets",
  };
  for (auto& step : revoke_credential_steps(identity, credential)) steps.push_back(std::move(step));
  return steps;
}

std::vector<std::string> gcp_steps(const core::Identity& identity, const core::Credential& credential) {
  const std::string project = credential.attributes.value("project", identity.account);
  std::vector<std::string> steps = {
      fmt::format("gcloud iam workload-identity-pools create ci-pool --location=global --project={}", project),
      fmt::format("gcloud iam workload-identity-pools providers create-oidc github --location=global "
                  "--workload-identity-pool=ci-pool --project={} --issuer-uri=https://token.actions.githubusercontent.com "
                  "--attribute-mapping=google.subject=assertion.sub,attribute.repository=assertion.repository "
                  "--attribute-condition=\"assertion.repository_owner=='<OWNER>'\"",
                  project),
      fmt::format("gcloud iam service-accounts add-iam-policy-binding {} --project={} --role=roles/iam.workloadIdentityUser "
                  "--member=\"principalSet://iam.googleapis.com/projects/<PROJECT_NUMBER>/locations/global/"
                  "workloadIdentityPools/ci-pool/attribute.repository/<OWNER>/<REPO>\"",
                  identity.id, project),
      "# workflow: permissions: id-token: write, and google-github-actions/auth with workload_identity_provider and "
      "service_account in place of credentials_json",
  };
  for (auto& step : revoke_credential_steps(identity, credential)) steps.push_back(std::move(step));
  return steps;
}

std::vector<std::string> entra_steps(const core::Identity& identity, const core::Credential& credential) {
  std::vector<std::string> steps = {
      fmt::format("az ad app federated-credential create --id {} --parameters '{{\"name\": \"<NAME>\", \"issuer\": "
                  "\"https://token.actions.githubusercontent.com\", \"subject\": "
                  "\"repo:<OWNER>/<REPO>:environment:<ENVIRONMENT>\", \"audiences\": [\"api://AzureADTokenExchange\"]}}'",
                  identity.id),
      "# workflow: permissions: id-token: write, and azure/login with client-id, tenant-id and subscription-id but no "
      "client secret",
  };
  for (auto& step : revoke_credential_steps(identity, credential)) steps.push_back(std::move(step));
  return steps;
}

class StaticCloudKeyInCiCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.ci.static_cloud_key"; }
  std::string_view title() const override { return "CI system uses a long-lived cloud key instead of OIDC federation"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI6"; }
  std::string_view description() const override {
    return "A static cloud key stored as a CI secret is exposed to every job and to anyone who can edit a workflow, and stays valid after it leaks; the CI system's OIDC tokens give short-lived credentials without a stored secret.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws", "gcp", "entra"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.classification == core::Classification::human) continue;
      auto credentials = inventory.credentials.find(identity.id);
      if (credentials == inventory.credentials.end()) continue;
      for (const auto& credential : credentials->second) {
        if (!is_static_cloud_key(credential, inventory)) continue;
        const std::vector<CiSignal> signals = find_ci_signals(identity, credential, inventory);
        if (signals.empty()) continue;
        findings.push_back(make_finding(identity, credential, signals, inventory));
      }
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const core::Credential& credential,
                             const std::vector<CiSignal>& signals, const Inventory& inventory) const {
    core::Finding finding = start_finding(*this, identity, &credential);
    for (const auto& signal : signals) finding.evidence.push_back(make_evidence(signal.evidence));
    const LastUse use = find_last_use(credential, inventory);
    const std::string created = credential.created ? core::format_time(*credential.created) : "unknown";
    finding.evidence.push_back(make_evidence(
        fmt::format("{} {} is active, created {}, last used {}, as of {}", credential.kind, credential.id, created,
                    use.time ? core::format_time(*use.time) : "never or unknown", describe_as_of(inventory)),
        use.time));

    const std::string& system = signals.front().system;
    finding.remediation = fmt::format(
        "Let {} sign in with its OIDC token through federation, then deactivate and delete {} so no static secret is "
        "stored in CI.",
        system, credential.id);
    if (identity.platform == "aws") finding.remediation_steps = aws_steps(identity, credential);
    if (identity.platform == "gcp") finding.remediation_steps = gcp_steps(identity, credential);
    if (identity.platform == "entra") finding.remediation_steps = entra_steps(identity, credential);
    finding.check_first = {
        "Find every pipeline that holds the key: gh secret list --repo <OWNER>/<REPO> and gh secret list --org <ORG> "
        "for GitHub, Settings > CI/CD > Variables for GitLab, Project Settings > Environment Variables for CircleCI.",
        "Confirm nothing outside CI uses the key (its activity networks and clients), because federation only "
        "replaces it for the pipelines.",
    };
    finding.safe_now = false;
    finding.safe_reason = "pipelines that hold the key fail once it is deactivated; move them to federation first";
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(StaticCloudKeyInCiCheck);

}  // namespace keyward::posture
