// nhi.privilege.unused_permissions: a non-human identity was observed acting for at least
// unused_days, yet some write or admin permissions it holds were never exercised in that window
// (OWASP NHI5, Overprivileged NHI). Unused permissions are pure risk: the workload does not need
// them, but anyone who steals its credentials gets them.
//
// Evaluated where activity names what was done:
// - AWS: each write or admin action pattern of an Allow statement against the successful
//   CloudTrail actions of the principal. CloudTrail records management events by default but
//   data events (S3 object, Lambda invoke, DynamoDB item calls ...) only when a trail selects
//   them, so a pattern that can match a data event is judged only when the ingested logs contain
//   data events of that service.
// - GCP: each predefined write or admin role against the services the account called in Cloud
//   Audit Logs. Data Access logs are off by default for most services, so a role is judged only
//   when the ingested logs contain calls to its service by some account, and the evidence says
//   that data reads and writes may be missing.
// The window is the identity's own first to last observed event, never the whole log, so an
// identity no activity source covered is never reported.
// TODO: Workspace (token activity api_name against delegated scopes), GitHub (audit log actions
// against token scopes) and Okta (System Log events against okta.* scopes) carry the action too,
// but need scope-to-action tables; Entra sign-ins name only the resource, Salesforce and Slack
// ingest no app activity, and Snowflake ingests no grants.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "inventory/attribute_values.hpp"
#include "posture/check.hpp"
#include "posture/checks/privilege_support.hpp"
#include "posture/policy/wildcard.hpp"

namespace keyward::posture {
namespace {

using inventory::lower_ascii;

constexpr core::UnixTime kSecondsPerDay = 86400;

void add_unique(std::vector<std::string>& list, std::string text) {
  if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(std::move(text));
}

// Returns "YYYY-MM-DD" of a time.
std::string day_of(core::UnixTime time) { return core::format_time(time).substr(0, 10); }

// Splits "s3.amazonaws.com:PutObject" or "storage.googleapis.com:storage.buckets.create" at the
// first colon into the event source and the event name.
std::pair<std::string, std::string> split_action(std::string_view action) {
  const size_t colon = action.find(':');
  if (colon == std::string_view::npos) return {std::string(action), {}};
  return {std::string(action.substr(0, colon)), std::string(action.substr(colon + 1))};
}

// The observation window of one identity: its own first to last event.
struct Window {
  core::UnixTime from = 0;
  core::UnixTime to = 0;
  long long events = 0;
  long long days() const { return (to - from) / kSecondsPerDay; }
};

// ---- AWS ----

// CloudTrail event sources whose host is not the IAM service prefix.
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kAwsEventSourceExceptions = {{
    {"monitoring", "cloudwatch"},
    {"email", "ses"},
}};

// Returns the IAM service prefix of a CloudTrail event source ("s3.amazonaws.com" -> "s3").
std::string aws_service_of(std::string_view event_source) {
  std::string host(event_source.substr(0, event_source.find(".amazonaws.com")));
  for (const auto& [source, prefix] : kAwsEventSourceExceptions) {
    if (host == source) return std::string(prefix);
  }
  return lower_ascii(host);
}

// Representative data-event actions of the services CloudTrail logs as data events. A pattern
// that matches one of them may have been used without leaving a management event.
struct DataEvents {
  std::string_view service;
  std::array<std::string_view, 4> examples;
};
constexpr std::array<DataEvents, 6> kAwsDataEvents = {{
    {"s3", {"PutObject", "GetObject", "DeleteObject", "CreateMultipartUpload"}},
    {"lambda", {"InvokeFunction", "Invoke", "InvokeAsync", "InvokeWithResponseStream"}},
    {"dynamodb", {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"}},
    {"sqs", {"SendMessage", "DeleteMessage", "ReceiveMessage", "SendMessageBatch"}},
    {"sns", {"Publish", "PublishBatch", "Publish", "Publish"}},
    {"kinesis", {"PutRecord", "PutRecords", "GetRecords", "GetShardIterator"}},
}};

const DataEvents* data_events_of(std::string_view service) {
  for (const auto& entry : kAwsDataEvents) {
    if (entry.service == service) return &entry;
  }
  return nullptr;
}

bool is_data_event(const DataEvents& events, std::string_view name) {
  return std::any_of(events.examples.begin(), events.examples.end(),
                     [&](std::string_view example) { return lower_ascii(example) == lower_ascii(name); });
}

bool may_match_data_event(std::string_view pattern, const DataEvents& events) {
  return std::any_of(events.examples.begin(), events.examples.end(), [&](std::string_view example) {
    return policy::action_matches(pattern, fmt::format("{}:{}", events.service, example));
  });
}

// Returns true for a pattern that only reads: Get, List or Describe actions.
bool is_read_pattern(std::string_view name) {
  const std::string lowered = lower_ascii(name);
  return lowered.starts_with("get") || lowered.starts_with("list") || lowered.starts_with("describe");
}

// Services that manage identities and access: an unused grant of them is admin-level.
bool is_access_service(std::string_view service) {
  return service == "iam" || service == "sts" || service == "organizations" || service == "sso" || service == "identitystore";
}

std::string aws_policy_name(const core::Grant& grant) {
  if (grant.via.starts_with("group:")) return fmt::format("{} (via group {})", grant.source_policy, grant.via.substr(6));
  return grant.source_policy;
}

// Returns the command that rewrites or detaches the policy behind `grant`.
std::string aws_policy_step(const core::Identity& identity, const core::Grant& grant) {
  const bool user = identity.kind == "iam_user";
  std::string entity = user ? "user" : "role";
  std::string name = identity.name;
  if (grant.via.starts_with("group:")) {
    entity = "group";
    name = grant.via.substr(6);
  }
  if (grant.source_policy.starts_with("inline:")) {
    return fmt::format("aws iam put-{0}-policy --{0}-name '{1}' --policy-name '{2}' --policy-document "
                       "file://policy-without-unused-actions.json",
                       entity, name, grant.source_policy.substr(7));
  }
  if (grant.source_policy.starts_with("arn:aws:iam::aws:policy/")) {
    return fmt::format("AWS managed policies cannot be edited: attach a customer managed policy with the used actions, then "
                       "aws iam detach-{0}-policy --{0}-name '{1}' --policy-arn {2}",
                       entity, name, grant.source_policy);
  }
  return fmt::format("aws iam create-policy-version --policy-arn {} --policy-document file://policy-without-unused-actions.json "
                     "--set-as-default",
                     grant.source_policy);
}

class AwsActivity {
 public:
  explicit AwsActivity(const Inventory& inventory) {
    for (const auto& summary : inventory.activity) {
      if (summary.platform != "aws" || !summary.error_code.empty()) continue;
      const auto [source, name] = split_action(summary.action);
      const std::string service = aws_service_of(source);
      if (const DataEvents* events = data_events_of(service); events && is_data_event(*events, name)) {
        services_with_data_events_.insert(service);
      }
    }
  }

  bool logs_data_events_of(const std::string& service) const { return services_with_data_events_.count(service) > 0; }

 private:
  std::set<std::string> services_with_data_events_;
};

struct UnusedPattern {
  std::string pattern;
  const core::Grant* grant = nullptr;
  bool admin = false;
};

std::vector<UnusedPattern> unused_aws_patterns(const std::vector<core::Grant>& grants, const ActivityProfile& profile,
                                               const AwsActivity& activity) {
  std::vector<std::string> observed;  // "s3:PutObject", from the identity's successful actions
  for (const auto& action : profile.actions) {
    const auto [source, name] = split_action(action);
    if (!name.empty()) observed.push_back(fmt::format("{}:{}", aws_service_of(source), name));
  }
  std::vector<UnusedPattern> unused;
  std::set<std::string> seen;
  for (const auto& grant : grants) {
    if (grant.platform != "aws" || grant.effect != "Allow" || grant.not_action) continue;
    for (const auto& pattern : grant.actions) {
      const size_t colon = pattern.find(':');
      // "*" alone is aws.iam.admin_or_wildcard's finding; it cannot be narrowed per service here.
      if (colon == std::string::npos) continue;
      const std::string service = lower_ascii(pattern.substr(0, colon));
      const std::string name = pattern.substr(colon + 1);
      if (name.empty() || is_read_pattern(name)) continue;
      const bool used = std::any_of(observed.begin(), observed.end(),
                                    [&](const std::string& action) { return policy::action_matches(pattern, action); });
      if (used) continue;
      if (const DataEvents* events = data_events_of(service);
          events && may_match_data_event(pattern, *events) && !activity.logs_data_events_of(service)) {
        continue;  // its use may be in data events that the ingested trail did not record
      }
      if (!seen.insert(lower_ascii(pattern) + '\n' + grant.source_policy).second) continue;
      unused.push_back(UnusedPattern{pattern, &grant, is_access_service(service)});
    }
  }
  return unused;
}

// ---- GCP ----

// Role service prefixes whose API host differs from "<prefix>.googleapis.com".
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kGcpServiceExceptions = {{
    {"resourcemanager", "cloudresourcemanager.googleapis.com"},
    {"cloudbuild", "cloudbuild.googleapis.com"},
}};

// Roles whose use does not appear as a call by the holder: serviceAccountUser is checked when
// the holder deploys a resource that runs as the account, workloadIdentityUser when a federated
// workload exchanges a token.
constexpr std::array<std::string_view, 2> kGcpUnloggedRoles = {"roles/iam.serviceAccountUser", "roles/iam.workloadIdentityUser"};

// Returns the API service a predefined role acts on ("roles/storage.admin" ->
// "storage.googleapis.com"), or "" for basic, custom and unlogged roles.
// NOTE: the host is derived from the role's prefix, and only the exceptions above are known to
// differ. A wrong host never appears in the logs, so its role is skipped rather than reported.
std::string gcp_service_of(std::string_view role) {
  if (!role.starts_with("roles/")) return {};
  if (role == "roles/owner" || role == "roles/editor" || role == "roles/viewer" || role == "roles/browser") return {};
  for (std::string_view unlogged : kGcpUnloggedRoles) {
    if (role == unlogged) return {};
  }
  if (role == "roles/iam.serviceAccountTokenCreator") return "iamcredentials.googleapis.com";
  const std::string_view rest = role.substr(6);
  const size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return {};
  const std::string_view prefix = rest.substr(0, dot);
  for (const auto& [name, host] : kGcpServiceExceptions) {
    if (prefix == name) return std::string(host);
  }
  return fmt::format("{}.googleapis.com", prefix);
}

std::set<std::string> gcp_services_in_logs(const Inventory& inventory) {
  std::set<std::string> services;
  for (const auto& summary : inventory.activity) {
    if (summary.platform == "gcp" && summary.error_code.empty()) services.insert(split_action(summary.action).first);
  }
  return services;
}

class UnusedPermissionsCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.privilege.unused_permissions"; }
  std::string_view title() const override { return "Non-human identity holds write or admin permissions it never used"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI5"; }
  std::string_view description() const override {
    return "Permissions a workload never exercises serve no one but an attacker who steals its credentials. Trimming grants "
           "to what activity logs show in use shrinks what a leaked key can do.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws", "gcp"}; }

  void run(const Inventory& inventory, const PostureOptions& options, std::vector<core::Finding>& findings) const override {
    const AwsActivity aws_activity(inventory);
    const std::set<std::string> gcp_services = gcp_services_in_logs(inventory);
    for (const auto& identity : inventory.identities) {
      if (identity.platform != "aws" && identity.platform != "gcp") continue;
      if (!privilege::is_evaluated_nhi(identity)) continue;
      // Service-linked roles carry AWS-owned policies that cannot be trimmed.
      if (identity.id.find(":role/aws-service-role/") != std::string::npos) continue;
      auto profile = inventory.activity_by_identity.find(identity.id);
      if (profile == inventory.activity_by_identity.end() || !profile->second.first_seen || !profile->second.last_seen) continue;
      const Window window{*profile->second.first_seen, *profile->second.last_seen, profile->second.events};
      if (window.days() < options.for_identity(identity).unused_days) continue;
      const auto& grants = privilege::grants_of(inventory, identity);
      if (identity.platform == "aws") run_aws(identity, grants, profile->second, window, aws_activity, findings);
      if (identity.platform == "gcp") run_gcp(identity, grants, profile->second, window, gcp_services, findings);
    }
  }

 private:
  void run_aws(const core::Identity& identity, const std::vector<core::Grant>& grants, const ActivityProfile& profile,
               const Window& window, const AwsActivity& activity, std::vector<core::Finding>& findings) const {
    const std::vector<UnusedPattern> unused = unused_aws_patterns(grants, profile, activity);
    if (unused.empty()) return;
    core::Finding finding = privilege::start_finding(
        *this, identity, fmt::format("{} {} holds {} write or admin action pattern{} it never used", identity.kind,
                                     privilege::label_of(identity), unused.size(), unused.size() == 1 ? "" : "s"));
    finding.severity = core::Severity::low;
    add_window_evidence(finding, window, profile, "CloudTrail");
    std::map<std::string, std::vector<std::string>> by_policy;
    for (const auto& entry : unused) {
      if (entry.admin) finding.severity = core::Severity::medium;
      by_policy[aws_policy_name(*entry.grant)].push_back(entry.pattern);
      add_unique(finding.remediation_steps, aws_policy_step(identity, *entry.grant));
    }
    for (const auto& [policy_name, patterns] : by_policy) {
      finding.evidence.push_back(core::Evidence{
          fmt::format("{} allows {}, which matched none of the identity's successful calls in that window", policy_name,
                      fmt::join(patterns, ", ")),
          {},
          std::nullopt});
    }
    finding.check_first.push_back(fmt::format(
        "Confirm with IAM last-accessed data, which covers up to 400 days: aws iam generate-service-last-accessed-details "
        "--arn {} --granularity ACTION_LEVEL, then aws iam get-service-last-accessed-details --job-id JOB_ID",
        identity.id));
    finding.check_first.push_back("Ask the owner about rare jobs (yearly rotation, disaster recovery) that may need an action "
                                  "outside the observed window.");
    finding.remediation = "Remove the unused actions from the policies, or replace the policies with one that IAM Access "
                          "Analyzer generates from the identity's CloudTrail activity.";
    finding.safe_now = false;
    finding.safe_reason = fmt::format("{} days of activity cannot show rare jobs, and calls outside the ingested trail are unseen",
                                      window.days());
    findings.push_back(std::move(finding));
  }

  void run_gcp(const core::Identity& identity, const std::vector<core::Grant>& grants, const ActivityProfile& profile,
               const Window& window, const std::set<std::string>& services_in_logs, std::vector<core::Finding>& findings) const {
    std::set<std::string> called;
    for (const auto& action : profile.actions) called.insert(split_action(action).first);
    core::Finding finding = privilege::start_finding(*this, identity, "");
    finding.severity = core::Severity::low;
    int unused = 0;
    for (const auto& grant : grants) {
      if (grant.platform != "gcp" || grant.via == "deleted_member" || grant.actions.empty()) continue;
      if (grant.level != "admin" && grant.level != "write") continue;
      const std::string& role = grant.actions.front();
      const std::string service = gcp_service_of(role);
      // A service absent from every account's logs may simply not be in the ingested logs.
      if (service.empty() || called.count(service) || !services_in_logs.count(service)) continue;
      if (unused++ == 0) add_window_evidence(finding, window, profile, "Cloud Audit Logs");
      if (grant.level == "admin") finding.severity = core::Severity::medium;
      finding.evidence.push_back(core::Evidence{
          fmt::format("role {} ({}) on {}: no successful call to {} by this account in that window, while other accounts' "
                      "calls to it are in the ingested logs",
                      role, grant.level, grant.resources.empty() ? std::string("?") : grant.resources.front(), service),
          {},
          std::nullopt});
      add_unique(finding.remediation_steps, privilege::gcp_remove_binding_command(grant));
      add_unique(finding.check_first,
                 fmt::format("Search a longer period for its calls to the service: gcloud logging read "
                             "'protoPayload.authenticationInfo.principalEmail=\"{}\" AND protoPayload.serviceName=\"{}\"' "
                             "--freshness=400d --limit=5",
                             identity.id, service));
    }
    if (unused == 0) return;
    finding.evidence.push_back(core::Evidence{
        "Data Access audit logs are off by default for most services, so data reads and writes made with these roles may be "
        "missing from the logs",
        {},
        std::nullopt});
    finding.title = fmt::format("{} {} holds {} write or admin role{} it never used", identity.kind, privilege::label_of(identity),
                                unused, unused == 1 ? "" : "s");
    add_unique(finding.check_first,
               fmt::format("Compare with IAM role recommendations, which use 90 days of permission use: gcloud recommender "
                           "recommendations list --project={} --location=global --recommender=google.iam.policy.Recommender",
                           identity.account.empty() ? std::string("PROJECT_ID") : identity.account));
    finding.remediation = "Remove the roles the account never used, or replace them with the narrower roles that IAM "
                          "recommendations propose.";
    finding.safe_now = false;
    finding.safe_reason = "Data Access logs may be off, so use of these roles for data reads and writes may be unrecorded";
    findings.push_back(std::move(finding));
  }

  static void add_window_evidence(core::Finding& finding, const Window& window, const ActivityProfile& profile,
                                  std::string_view log_name) {
    finding.evidence.push_back(core::Evidence{
        fmt::format("{} activity of this identity observed from {} to {} ({} days, {} events, {} distinct successful actions)",
                    log_name, day_of(window.from), day_of(window.to), window.days(), window.events, profile.actions.size()),
        {},
        window.to});
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(UnusedPermissionsCheck);

}  // namespace keyward::posture
