// aws.role.oidc_trust_unrestricted: an IAM role whose trust policy lets an OIDC identity provider
// (GitHub Actions, GitLab, Terraform Cloud, CircleCI, Bitbucket Pipelines, Buildkite, an EKS
// cluster, Google) call sts:AssumeRoleWithWebIdentity without pinning the token's subject. The
// audience is not a restriction: any workflow on GitHub.com can request a token with audience
// sts.amazonaws.com. Without a subject condition every workload that the provider issues tokens
// to can assume the role: for a shared issuer such as token.actions.githubusercontent.com or
// gitlab.com that is every repository of every customer (OWASP NHI6, Insecure Cloud Deployment
// Configurations).
//
// A statement is restricted when at least one positive condition on "<provider>:sub" has only
// restricting values. Positive operators are StringEquals, StringEqualsIgnoreCase and StringLike,
// also with ForAnyValue:, ForAllValues: or IfExists. One restricting operator is enough because
// conditions under different operators must all hold, while the values of one operator are
// alternatives. A StringEquals value is exact and
// always restricts. A StringLike value restricts when it has no wildcard, or when the text before
// its first "*" or "?" holds enough complete fields (separated by ":" or "/") to name the
// customer of a shared issuer: "repo:org/*" (fields repo, org) restricts to one GitHub
// organization, while "repo:*", "repo:org*" (which also matches org-evil) and "*" do not. EKS
// subjects need the namespace too ("system:serviceaccount:NS:"), and CircleCI subjects the
// project ("org/ORG_ID/project/PROJECT_ID/"), because their issuer is already one cluster or one
// organization. StringNotEquals and StringNotLike only exclude subjects and do not restrict.
//
// NOTE: Deny statements in the trust policy and service control policies are not evaluated, so
// a subject restriction expressed only there is not seen. Entra federated credentials are not
// checked: Entra matches their subject exactly and does not accept wildcards. GCP workload
// identity pools are not checked, because no source reads a pool provider's attribute condition.

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "posture/checks/access_key_support.hpp"
#include "posture/checks/usage_support.hpp"

namespace keyward::posture {
namespace {

using nlohmann::json;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> strings_of(const json& value) {
  std::vector<std::string> out;
  if (value.is_string()) out.push_back(value.get<std::string>());
  if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

// IAM action matching: case-insensitive, "*" matches any run and "?" one character.
bool glob_match(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  auto lower_char = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || lower_char(pattern[p]) == lower_char(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool allows_web_identity(const json& statement) {
  constexpr std::string_view kAction = "sts:AssumeRoleWithWebIdentity";
  if (auto actions = statement.find("Action"); actions != statement.end()) {
    const auto list = strings_of(*actions);
    return std::any_of(list.begin(), list.end(), [&](const std::string& action) { return glob_match(action, kAction); });
  }
  if (auto excluded = statement.find("NotAction"); excluded != statement.end()) {
    const auto list = strings_of(*excluded);
    return std::none_of(list.begin(), list.end(), [&](const std::string& action) { return glob_match(action, kAction); });
  }
  return false;
}

// An identity provider a statement trusts, named by its issuer host and path as IAM condition
// keys spell it ("token.actions.githubusercontent.com", "oidc.eks.eu-west-1.amazonaws.com/id/ABC").
struct Provider {
  std::string principal;  // as written in the policy
  std::string issuer;
  bool shared = false;            // one issuer for every customer of the service
  size_t required_fields = 2;     // complete subject fields a StringLike prefix must hold
  std::string example_subject;    // for the remediation
};

std::optional<Provider> provider_of(const std::string& principal) {
  constexpr std::string_view kMarker = ":oidc-provider/";
  Provider provider;
  provider.principal = principal;
  if (auto at = principal.find(kMarker); at != std::string::npos) {
    provider.issuer = lower(principal.substr(at + kMarker.size()));
  } else if (lower(principal) == "accounts.google.com") {
    provider.issuer = "accounts.google.com";
  } else {
    return std::nullopt;
  }
  const std::string& issuer = provider.issuer;
  provider.example_subject = "<SUBJECT>";
  if (issuer == "token.actions.githubusercontent.com") {
    provider.shared = true;
    provider.example_subject = "repo:<OWNER>/<REPO>:ref:refs/heads/<BRANCH>";
  } else if (issuer.starts_with("token.actions.githubusercontent.com/")) {
    provider.example_subject = "repo:<OWNER>/<REPO>:environment:<ENVIRONMENT>";  // GitHub Enterprise issuer
  } else if (issuer == "gitlab.com") {
    provider.shared = true;
    provider.example_subject = "project_path:<GROUP>/<PROJECT>:ref_type:branch:ref:<BRANCH>";
  } else if (issuer == "app.terraform.io") {
    provider.shared = true;
    provider.example_subject = "organization:<ORG>:project:<PROJECT>:workspace:<WORKSPACE>:run_phase:*";
  } else if (issuer == "agent.buildkite.com") {
    provider.shared = true;
    provider.example_subject = "organization:<ORG>:pipeline:<PIPELINE>:ref:refs/heads/<BRANCH>:commit:*:step:*";
  } else if (issuer == "accounts.google.com") {
    provider.shared = true;
    provider.required_fields = 1;
    provider.example_subject = "<NUMERIC_GOOGLE_SUBJECT_ID>";
  } else if (issuer.starts_with("oidc.eks.")) {
    provider.required_fields = 3;
    provider.example_subject = "system:serviceaccount:<NAMESPACE>:<SERVICE_ACCOUNT>";
  } else if (issuer.starts_with("oidc.circleci.com/")) {
    provider.required_fields = 4;
    provider.example_subject = "org/<ORG_ID>/project/<PROJECT_ID>/user/*";
  }
  return provider;
}

// Counts the complete, non-empty fields before the first wildcard of a StringLike value.
size_t fields_before_wildcard(std::string_view pattern) {
  const size_t wildcard = pattern.find_first_of("*?");
  const std::string_view prefix = pattern.substr(0, wildcard);
  size_t fields = 0;
  size_t start = 0;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (prefix[i] != ':' && prefix[i] != '/') continue;
    if (i > start) ++fields;
    start = i + 1;
  }
  return fields;
}

bool has_wildcard(std::string_view pattern) { return pattern.find_first_of("*?") != std::string_view::npos; }

// The operator without set and IfExists qualifiers, lower-case: "stringlike".
std::string base_operator(std::string_view name) {
  std::string op = lower(name);
  for (std::string_view prefix : {"foranyvalue:", "forallvalues:"}) {
    if (op.starts_with(prefix)) op.erase(0, prefix.size());
  }
  if (op.ends_with("ifexists")) op.erase(op.size() - 8);
  return op;
}

// How one trust statement limits the subjects of the tokens it accepts.
struct SubjectReview {
  bool restricted = false;
  bool has_audience = false;
  std::vector<std::string> broad_values;  // StringLike values that do not restrict
  std::vector<std::string> excluding_operators;
};

SubjectReview review_subject(const json& statement, const Provider& provider) {
  SubjectReview review;
  const std::string subject_key = provider.issuer + ":sub";
  const std::string audience_key = provider.issuer + ":aud";
  auto condition = statement.find("Condition");
  if (condition == statement.end() || !condition->is_object()) return review;
  for (const auto& [operator_name, keys] : condition->items()) {
    if (!keys.is_object()) continue;
    const std::string op = base_operator(operator_name);
    for (const auto& [key, value] : keys.items()) {
      const std::string key_lower = lower(key);
      if (key_lower == audience_key || key_lower == provider.issuer + ":oaud") review.has_audience = true;
      if (key_lower != subject_key) continue;
      const std::vector<std::string> values = strings_of(value);
      if (op == "stringequals" || op == "stringequalsignorecase") {
        if (!values.empty()) review.restricted = true;
        continue;
      }
      if (op != "stringlike") {
        review.excluding_operators.push_back(operator_name);
        continue;
      }
      std::vector<std::string> broad;
      for (const auto& pattern : values) {
        if (has_wildcard(pattern) && fields_before_wildcard(pattern) < provider.required_fields) broad.push_back(pattern);
      }
      if (!values.empty() && broad.empty()) review.restricted = true;
      review.broad_values.insert(review.broad_values.end(), broad.begin(), broad.end());
    }
  }
  return review;
}

struct Exposure {
  Provider provider;
  SubjectReview review;
  size_t statement_index = 0;
};

std::vector<json> statements_of(const json& policy) {
  std::vector<json> out;
  if (!policy.is_object()) return out;
  auto statement = policy.find("Statement");
  if (statement == policy.end()) return out;
  if (statement->is_object()) out.push_back(*statement);
  if (statement->is_array()) {
    for (const auto& item : *statement) {
      if (item.is_object()) out.push_back(item);
    }
  }
  return out;
}

std::vector<Exposure> find_exposures(const json& trust_policy) {
  std::vector<Exposure> exposures;
  const std::vector<json> statements = statements_of(trust_policy);
  for (size_t index = 0; index < statements.size(); ++index) {
    const json& statement = statements[index];
    if (statement.value("Effect", "") != "Allow" || !allows_web_identity(statement)) continue;
    auto principal = statement.find("Principal");
    if (principal == statement.end() || !principal->is_object()) continue;
    auto federated = principal->find("Federated");
    if (federated == principal->end()) continue;
    for (const auto& name : strings_of(*federated)) {
      std::optional<Provider> provider = provider_of(name);
      if (!provider) continue;
      SubjectReview review = review_subject(statement, *provider);
      if (review.restricted) continue;
      exposures.push_back({std::move(*provider), std::move(review), index});
    }
  }
  return exposures;
}

std::string describe_exposure(const Exposure& exposure) {
  const SubjectReview& review = exposure.review;
  const std::string subject_key = exposure.provider.issuer + ":sub";
  std::string reason;
  if (!review.broad_values.empty()) {
    reason = fmt::format("its only subject condition is StringLike {} = {}, which does not name one {}", subject_key,
                       fmt::join(review.broad_values, ", "),
                       exposure.provider.shared ? "customer of the issuer" : "workload of the issuer");
  } else if (!review.excluding_operators.empty()) {
    reason = fmt::format("{} only appears under {}, which excludes subjects but admits every other one", subject_key,
                       fmt::join(review.excluding_operators, ", "));
  } else if (review.has_audience) {
    reason = fmt::format("it checks only the audience and has no condition on {}", subject_key);
  } else {
    reason = fmt::format("it has no condition on {}", subject_key);
  }
  return fmt::format("trust policy statement {} allows sts:AssumeRoleWithWebIdentity for {}, and {}",
                     exposure.statement_index + 1, exposure.provider.principal, reason);
}

class OidcTrustUnrestrictedCheck final : public Check {
 public:
  std::string_view id() const override { return "aws.role.oidc_trust_unrestricted"; }
  std::string_view title() const override { return "Role trusts an OIDC provider without restricting the subject"; }
  core::Severity severity() const override { return core::Severity::critical; }
  std::string_view owasp() const override { return "NHI6"; }
  std::string_view description() const override {
    return "A role that trusts GitHub Actions, GitLab, Terraform Cloud or another OIDC issuer without a subject condition can be assumed by any workload that issuer serves, including other customers' pipelines, which then act with the role's permissions.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void run(const Inventory& inventory, const PostureOptions& options,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.platform != "aws" || identity.kind != "iam_role") continue;
      auto trust = identity.attributes.find("trust_policy");
      if (trust == identity.attributes.end()) continue;
      const std::vector<Exposure> exposures = find_exposures(*trust);
      if (exposures.empty()) continue;
      findings.push_back(make_finding(identity, exposures, inventory, options));
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const std::vector<Exposure>& exposures,
                             const Inventory& inventory, const PostureOptions& options) const {
    core::Finding finding = start_finding(*this, identity, nullptr);
    const bool shared = std::any_of(exposures.begin(), exposures.end(), [](const Exposure& e) { return e.provider.shared; });
    // A per-customer issuer (one EKS cluster, one CircleCI organization) limits the exposure to
    // that customer's workloads.
    finding.severity = shared ? core::Severity::critical : core::Severity::high;
    if (!shared) finding.title = "Role trusts a workload identity issuer without restricting the subject";

    for (const auto& exposure : exposures) finding.evidence.push_back(make_evidence(describe_exposure(exposure)));
    if (shared) {
      finding.evidence.push_back(make_evidence(
          "the issuer signs tokens for every customer of the service, so anyone can obtain a matching token"));
    }
    const std::optional<core::UnixTime> last_used = identity.last_used;
    finding.evidence.push_back(make_evidence(
        last_used ? fmt::format("RoleLastUsed {}, as of {}", core::format_time(*last_used), describe_as_of(inventory))
                  : fmt::format("RoleLastUsed is empty, as of {}", describe_as_of(inventory)),
        last_used));

    const Provider& provider = exposures.front().provider;
    finding.remediation = fmt::format(
        "Add a condition on {}:sub that names the repositories, branches or service accounts that should assume {}, and "
        "keep the audience condition.",
        provider.issuer, identity.name);
    finding.remediation_steps = {
        fmt::format("aws iam get-role --role-name {} --query Role.AssumeRolePolicyDocument > trust-policy.json",
                    identity.name),
        fmt::format("# in each statement above, add: \"StringLike\": {{\"{}:sub\": \"{}\"}}", provider.issuer,
                    provider.example_subject),
        fmt::format("aws iam update-assume-role-policy --role-name {} --policy-document file://trust-policy.json",
                    identity.name),
        fmt::format("# or IAM console > Roles > {} > Trust relationships > Edit trust policy", identity.name),
    };
    finding.check_first = {
        fmt::format("List who assumes the role today: CloudTrail AssumeRoleWithWebIdentity events whose "
                    "requestParameters.roleArn is {} name the token's subject in userIdentity.userName; every "
                    "subject missing from the new condition will be denied.",
                    identity.id),
        "Check those subjects are your own: a subject of another organization means the role may already have been "
        "used by someone else; review the role's CloudTrail activity before changing it.",
    };

    const int unused_days = options.for_identity(identity).unused_days;
    const bool idle = !last_used || whole_days(*last_used, inventory.as_of) > unused_days;
    finding.safe_now = idle;
    finding.safe_reason =
        idle ? fmt::format("the role has not been used for more than {} days, so no current workflow depends on it",
                           unused_days)
             : "the role is in use: a workflow whose subject the new condition does not list will fail to assume it";
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(OidcTrustUnrestrictedCheck);

}  // namespace keyward::posture
