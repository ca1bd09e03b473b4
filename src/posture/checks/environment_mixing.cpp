// nhi.environment.mixed: one non-human identity, or one secret, that serves both production and
// non-production. Development and test environments are changed by more people, run less
// reviewed code and are watched less, so an identity that also reaches production turns any
// compromise of a test system into a production incident (OWASP NHI8, Environment Isolation).
//
// Environments are read from names and tags, because no ingested export states them
// (environment_of_text and environment_of_tags in usage_support.hpp list the words):
//   - the identity's own environment: its env/environment/stage tag, else its GCP project id,
//     else its name;
//   - the environments it reaches: the resources of its Allow grants (S3 bucket and other ARNs,
//     GCP projects and buckets, GitHub repositories), and for Snowflake users the databases
//     their access history reads or writes.
// An identity is reported when these give both production and non-production. A secret is
// reported when a production identity and a non-production one have credentials with the same
// fingerprint (see secret_fingerprint). The finding is on the production holder's credential,
// because production is what the copy exposes.
//
// NOTE: AWS account ids carry no name in any ingested export, so an AWS identity is placed by
// its tags, its name and the ARNs it is granted, not by which account it runs in. CloudTrail
// activity summaries do not keep the account or resource of each call, so AWS and GCP activity
// is not used.

#include <fmt/format.h>

#include <map>
#include <set>

#include "posture/checks/access_key_support.hpp"
#include "posture/checks/usage_support.hpp"

namespace keyward::posture {
namespace {

constexpr size_t kMaxListedPerEnvironment = 5;

struct Observation {
  Environment environment = Environment::unknown;
  std::string origin;
  const core::Grant* grant = nullptr;  // the grant it came from, for the remediation
};

EnvironmentLabel home_environment(const core::Identity& identity) {
  EnvironmentLabel label = environment_of_tags(identity.attributes.value("tags", nlohmann::json::object()));
  if (label.environment != Environment::unknown) return label;
  if (identity.platform == "gcp" && !identity.account.empty()) {
    if (Environment environment = environment_of_text(identity.account); environment != Environment::unknown) {
      return {environment, fmt::format("project {}", identity.account)};
    }
  }
  if (Environment environment = environment_of_text(identity.name); environment != Environment::unknown) {
    return {environment, fmt::format("name {}", identity.name)};
  }
  return {};
}

void add_grant_observations(const Inventory& inventory, const core::Identity& identity,
                            std::vector<Observation>& observations) {
  auto grants = inventory.grants.find(identity.id);
  if (grants == inventory.grants.end()) return;
  for (const auto& grant : grants->second) {
    if (grant.effect != "Allow" || grant.not_resource) continue;
    for (const auto& resource : grant.resources) {
      const Environment environment = environment_of_text(resource);
      if (environment == Environment::unknown) continue;
      observations.push_back({environment,
                              fmt::format("granted {} on {}", fmt::join(grant.actions, ", "), resource), &grant});
    }
  }
}

// Snowflake access history summarizes each query as "<DATABASE>:read" or "<DATABASE>:write".
void add_snowflake_observations(const Inventory& inventory, const core::Identity& identity,
                                std::vector<Observation>& observations) {
  if (identity.platform != "snowflake") return;
  std::map<std::string, long long> counts;
  for (const auto& summary : inventory.activity) {
    if (summary.platform != identity.platform || summary.identity_id != identity.id) continue;
    if (!summary.error_code.empty()) continue;
    const size_t colon = summary.action.rfind(':');
    if (colon == std::string::npos) continue;
    const std::string_view operation = std::string_view(summary.action).substr(colon + 1);
    if (operation != "read" && operation != "write") continue;
    counts[summary.action] += summary.count;
  }
  for (const auto& [action, count] : counts) {
    const std::string database = action.substr(0, action.rfind(':'));
    const Environment environment = environment_of_text(database);
    if (environment == Environment::unknown) continue;
    observations.push_back({environment,
                            fmt::format("{}s database {} ({} objects in access history)",
                                        action.substr(action.rfind(':') + 1), database, count),
                            nullptr});
  }
}

// Describes up to kMaxListedPerEnvironment observations of one environment.
std::string describe_observations(const std::vector<Observation>& observations, Environment environment) {
  std::vector<std::string> listed;
  size_t total = 0;
  for (const auto& observation : observations) {
    if (observation.environment != environment) continue;
    if (++total <= kMaxListedPerEnvironment) listed.push_back(observation.origin);
  }
  std::string text = fmt::format("{}: {}", to_string(environment), fmt::join(listed, "; "));
  if (total > listed.size()) text += fmt::format(" and {} more", total - listed.size());
  return text;
}

std::string gcp_project_of(std::string_view resource) {
  constexpr std::string_view kPrefix = "//cloudresourcemanager.googleapis.com/projects/";
  if (resource.substr(0, kPrefix.size()) != kPrefix) return {};
  return std::string(resource.substr(kPrefix.size()));
}

// Commands that remove one grant that crosses into the minority environment.
std::vector<std::string> remove_grant_steps(const core::Identity& identity, const core::Grant& grant) {
  std::vector<std::string> steps;
  if (identity.platform == "aws") {
    const std::string& policy = grant.source_policy;
    const bool is_role = identity.kind == "iam_role";
    const std::string entity = is_role ? "role" : "user";
    if (policy.starts_with("inline:")) {
      steps.push_back(fmt::format("aws iam put-{}-policy --{}-name {} --policy-name {} --policy-document "
                                  "file://policy-without-other-environment.json",
                                  entity, entity, identity.name, policy.substr(7)));
    } else if (policy.starts_with("arn:")) {
      steps.push_back(fmt::format("aws iam detach-{}-policy --{}-name {} --policy-arn {}  # or narrow the policy: aws "
                                  "iam create-policy-version --policy-arn {} --policy-document file://narrowed.json "
                                  "--set-as-default",
                                  entity, entity, identity.name, policy, policy));
    }
    return steps;
  }
  if (identity.platform == "gcp") {
    const std::string project = grant.resources.empty() ? std::string() : gcp_project_of(grant.resources.front());
    const std::string role = grant.actions.empty() ? "<ROLE>" : grant.actions.front();
    const std::string member = identity.kind.starts_with("gcp_workload_identity") ? identity.id
                                                                                 : "serviceAccount:" + identity.id;
    if (!project.empty()) {
      steps.push_back(fmt::format("gcloud projects remove-iam-policy-binding {} --member={} --role={}", project, member,
                                  role));
    } else if (!grant.resources.empty()) {
      steps.push_back(fmt::format("# remove the binding of {} to {} on {} from that resource's IAM policy", member, role,
                                  grant.resources.front()));
    }
    return steps;
  }
  if (!grant.resources.empty()) {
    steps.push_back(fmt::format("# remove {} on {} from {}", fmt::join(grant.actions, ", "), grant.resources.front(),
                                display_name(identity)));
  }
  return steps;
}

std::vector<std::string> create_identity_steps(const core::Identity& identity) {
  const std::string name = display_name(identity);
  if (identity.platform == "aws" && identity.kind == "iam_role") {
    return {fmt::format("aws iam create-role --role-name {}-<ENVIRONMENT> --assume-role-policy-document "
                        "file://trust-policy.json --tags Key=environment,Value=<ENVIRONMENT>",
                        identity.name)};
  }
  if (identity.platform == "aws") {
    return {fmt::format("aws iam create-user --user-name {}-<ENVIRONMENT> --tags Key=environment,Value=<ENVIRONMENT>",
                        identity.name)};
  }
  if (identity.platform == "gcp") {
    const std::string account_id = identity.id.substr(0, identity.id.find('@'));
    return {fmt::format("gcloud iam service-accounts create {} --project=<PROJECT_OF_THE_OTHER_ENVIRONMENT>", account_id)};
  }
  if (identity.platform == "snowflake") {
    return {fmt::format("SHOW GRANTS TO USER {};", identity.id),
            fmt::format("CREATE USER {}_<ENVIRONMENT> TYPE = SERVICE DEFAULT_ROLE = <ROLE_OF_THE_OTHER_ENVIRONMENT>;",
                        identity.id),
            fmt::format("REVOKE ROLE <ROLE_OF_THE_OTHER_ENVIRONMENT> FROM USER {};", identity.id)};
  }
  return {fmt::format("create a separate {} for the other environment and move its consumers to it", name)};
}

class EnvironmentMixedCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.environment.mixed"; }
  std::string_view title() const override { return "Non-human identity serves both production and non-production"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI8"; }
  std::string_view description() const override {
    return "An identity or secret used in both production and development lets anyone who compromises the weaker, less watched environment act in production.";
  }
  std::vector<std::string_view> platforms() const override { return {"*"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.classification == core::Classification::human) continue;
      if (identity.status == "deleted" || identity.status == "disabled") continue;
      std::vector<Observation> observations;
      const EnvironmentLabel home = home_environment(identity);
      if (home.environment != Environment::unknown) observations.push_back({home.environment, home.origin, nullptr});
      add_grant_observations(inventory, identity, observations);
      add_snowflake_observations(inventory, identity, observations);
      if (!has(observations, Environment::production) || !has(observations, Environment::non_production)) continue;
      findings.push_back(make_identity_finding(identity, home, observations));
    }
    report_shared_secrets(inventory, findings);
  }

 private:
  static bool has(const std::vector<Observation>& observations, Environment environment) {
    for (const auto& observation : observations) {
      if (observation.environment == environment) return true;
    }
    return false;
  }

  core::Finding make_identity_finding(const core::Identity& identity, const EnvironmentLabel& home,
                                      const std::vector<Observation>& observations) const {
    core::Finding finding = start_finding(*this, identity, nullptr);
    finding.evidence.push_back(make_evidence(describe_observations(observations, Environment::production)));
    finding.evidence.push_back(make_evidence(describe_observations(observations, Environment::non_production)));

    // The identity stays in its own environment; what reaches the other one moves out.
    const Environment keep = home.environment != Environment::unknown ? home.environment : Environment::production;
    const Environment move = keep == Environment::production ? Environment::non_production : Environment::production;
    finding.remediation = fmt::format(
        "Give the {} workloads their own identity and remove {}'s access to {} resources, so each environment has its own "
        "credentials.",
        to_string(move), display_name(identity), to_string(move));
    finding.remediation_steps = create_identity_steps(identity);
    std::set<const core::Grant*> seen;
    for (const auto& observation : observations) {
      if (observation.environment != move || !observation.grant || !seen.insert(observation.grant).second) continue;
      for (auto& step : remove_grant_steps(identity, *observation.grant)) finding.remediation_steps.push_back(std::move(step));
    }
    finding.check_first = {
        fmt::format("Find which workloads of each environment use {} (its activity networks and clients, the CI and "
                    "deployment configuration that holds its credentials) and move the {} ones to the new identity first.",
                    display_name(identity), to_string(move)),
        "Check that the names and tags above mean what they say: the environment is read from words such as prod, dev "
        "and staging, not from the platform.",
    };
    finding.safe_now = false;
    finding.safe_reason = fmt::format("removing access breaks the {} workloads until they use their own identity",
                                      to_string(move));
    return finding;
  }

  // Reports, on each production holder, a secret whose fingerprint a non-production identity also holds.
  void report_shared_secrets(const Inventory& inventory, std::vector<core::Finding>& findings) const {
    struct Holder {
      const core::Identity* identity;
      const core::Credential* credential;
      EnvironmentLabel label;
    };
    std::map<std::string, std::vector<Holder>> by_fingerprint;
    std::map<std::string, std::string> fingerprint_kind;
    for (const auto& identity : inventory.identities) {
      auto credentials = inventory.credentials.find(identity.id);
      if (credentials == inventory.credentials.end()) continue;
      const EnvironmentLabel label = home_environment(identity);
      if (label.environment == Environment::unknown) continue;
      for (const auto& credential : credentials->second) {
        if (is_inactive_credential(credential)) continue;
        const SecretFingerprint fingerprint = secret_fingerprint(credential);
        if (fingerprint.value.empty()) continue;
        by_fingerprint[fingerprint.value].push_back({&identity, &credential, label});
        fingerprint_kind[fingerprint.value] = fingerprint.kind;
      }
    }
    for (const auto& [fingerprint, holders] : by_fingerprint) {
      std::vector<std::string> others;
      for (const auto& holder : holders) {
        if (holder.label.environment == Environment::non_production) {
          others.push_back(fmt::format("{} {} ({})", holder.identity->platform, display_name(*holder.identity),
                                       holder.label.origin));
        }
      }
      if (others.empty()) continue;
      for (const auto& holder : holders) {
        if (holder.label.environment != Environment::production) continue;
        core::Finding finding = start_finding(*this, *holder.identity, holder.credential);
        finding.severity = core::Severity::high;
        finding.title = "Production credential is also held by a non-production identity";
        finding.evidence.push_back(make_evidence(fmt::format("{} {} of {} {} ({}) is also held by {}",
                                                             holder.credential->kind, holder.credential->id,
                                                             holder.identity->platform, display_name(*holder.identity),
                                                             holder.label.origin, fmt::join(others, ", "))));
        finding.evidence.push_back(make_evidence(fmt::format("same {} {}", fingerprint_kind[fingerprint], fingerprint)));
        finding.remediation = fmt::format(
            "Issue a new credential for {} that only production holds, move its production consumers to it, then "
            "remove the shared one from {}.",
            display_name(*holder.identity), display_name(*holder.identity));
        finding.remediation_steps = revoke_credential_steps(*holder.identity, *holder.credential);
        finding.remediation_steps.insert(finding.remediation_steps.begin(),
                                         "# first add a new credential that only production holds, and deploy it");
        finding.check_first = {"List the production consumers of the shared credential and give them the new one "
                               "before the old one is removed."};
        finding.safe_now = false;
        finding.safe_reason = "production consumers still authenticate with the shared credential";
        findings.push_back(std::move(finding));
      }
    }
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(EnvironmentMixedCheck);

}  // namespace keyward::posture
