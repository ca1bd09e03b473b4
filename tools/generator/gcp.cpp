#include "tools/generator/gcp.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "tools/generator/output_files.hpp"
#include "tools/generator/planted.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {
namespace {

using core::kSecondsPerDay;
using core::UnixTime;

constexpr int kAuditDays = 3;
constexpr double kServiceAccountsPerEngineer = 0.8;
constexpr UnixTime kNoExpirySeconds = 253402300799;  // 9999-12-31T23:59:59Z, as the IAM API reports it

struct Project {
  std::string id;      // "example-corp-prod"
  std::string number;  // 12 digits
};

struct Key {
  std::string id;  // 40 hex digits, as the IAM API names keys
  bool user_managed = true;
  bool disabled = false;
  UnixTime created = 0;
  UnixTime expires = kNoExpirySeconds;
  bool used = false;  // appears in the audit log
  std::string ip;     // where its caller runs
  std::string user_agent;
};

struct ServiceAccount {
  std::string email;
  std::string display_name;
  std::string description;
  std::string unique_id;
  const Project* project = nullptr;
  const Employee* owner = nullptr;  // null for default accounts
  bool disabled = false;
  std::vector<Key> keys;
  std::vector<std::string> roles;
  bool impersonated = false;  // used through its owner's impersonation instead of a key
};

struct Purpose {
  std::string_view account_id;
  std::string_view text;
  std::vector<std::string_view> roles;
  std::string_view service;
  std::string_view method;
};

const std::vector<Purpose>& purposes() {
  static const std::vector<Purpose> list = {
      {"ci-deployer", "Deploys services from CI", {"roles/run.admin", "roles/storage.objectAdmin"}, "run.googleapis.com", "google.cloud.run.v2.Services.UpdateService"},
      {"etl-loader", "Loads warehouse tables", {"roles/bigquery.dataEditor", "roles/bigquery.jobUser"}, "bigquery.googleapis.com", "google.cloud.bigquery.v2.JobService.InsertJob"},
      {"backup", "Nightly database backups", {"roles/storage.objectCreator", "roles/cloudsql.viewer"}, "storage.googleapis.com", "storage.objects.create"},
      {"monitoring", "Exports metrics to the monitoring vendor", {"roles/monitoring.viewer"}, "monitoring.googleapis.com", "google.monitoring.v3.MetricService.ListTimeSeries"},
      {"terraform", "Applies infrastructure changes", {"roles/editor"}, "cloudresourcemanager.googleapis.com", "GetIamPolicy"},
      {"web-api", "Backend of the public API", {"roles/cloudsql.client", "roles/secretmanager.secretAccessor"}, "secretmanager.googleapis.com", "google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion"},
      {"worker", "Queue workers", {"roles/pubsub.subscriber", "roles/storage.objectViewer"}, "pubsub.googleapis.com", "google.pubsub.v1.Subscriber.Pull"},
      {"reporting", "Builds weekly reports", {"roles/bigquery.dataViewer", "roles/bigquery.jobUser"}, "bigquery.googleapis.com", "google.cloud.bigquery.v2.JobService.InsertJob"},
      {"ml-training", "Trains ranking models", {"roles/aiplatform.user", "roles/storage.objectViewer"}, "storage.googleapis.com", "storage.objects.get"},
      {"notifier", "Sends customer notifications", {"roles/pubsub.publisher"}, "pubsub.googleapis.com", "google.pubsub.v1.Publisher.Publish"},
      {"log-shipper", "Ships application logs", {"roles/logging.logWriter"}, "logging.googleapis.com", "google.logging.v2.LoggingServiceV2.WriteLogEntries"},
      {"data-sync", "Syncs files with partners", {"roles/storage.objectAdmin"}, "storage.googleapis.com", "storage.objects.get"},
  };
  return list;
}

const std::vector<std::string> kUserAgents = {
    "google-cloud-sdk gcloud/462.0.1 command/gcloud.storage.cp",
    "gcloud-python/3.11.4 google-cloud-bigquery/3.14.1",
    "google-api-go-client/0.5 Terraform/1.6.6 (+https://www.terraform.io) terraform-provider-google/5.12.0",
    "grpc-java-netty/1.60.0 google-cloud-java/2.31.0",
    "gl-node/18.19.0 gccl/7.7.0",
};

std::string digits(Rng& rng, size_t count) {
  std::string text = rng.text(count, "0123456789");
  if (text[0] == '0') text[0] = '1';
  return text;
}

std::string rfc3339(UnixTime time) { return core::format_time(time); }

// The projects and service accounts, built in memory before any file is written.
class GcpOrganization {
 public:
  GcpOrganization(const Company& company, Rng& rng) : company_(company), rng_(rng) {}

  void build() {
    for (std::string_view suffix : {"prod", "staging", "data"}) {
      projects_.push_back(Project{fmt::format("{}-{}", company_.slug, suffix), digits(rng_, 12)});
    }
    const auto engineers = company_.engineers();
    std::vector<const Employee*> departed;
    for (const Employee* engineer : engineers) {
      if (engineer->status == "deprovisioned") departed.push_back(engineer);
    }
    add_default_accounts();
    const int count = std::max(3, static_cast<int>(kServiceAccountsPerEngineer * static_cast<double>(engineers.size()) + 0.5));
    std::map<std::string, int> used_names;
    for (int index = 0; index < count; ++index) {
      const Purpose& purpose = purposes()[static_cast<size_t>(index) % purposes().size()];
      ServiceAccount account;
      account.project = &projects_[static_cast<size_t>(rng_.uniform(0, static_cast<std::int64_t>(projects_.size()) - 1))];
      const int seen = used_names[std::string(purpose.account_id) + account.project->id]++;
      const std::string account_id = seen == 0 ? std::string(purpose.account_id) : fmt::format("{}-{}", purpose.account_id, seen + 1);
      account.email = fmt::format("{}@{}.iam.gserviceaccount.com", account_id, account.project->id);
      account.display_name = account_id;
      // The first few accounts belong to people who have left, so their keys outlive the owner.
      const bool planted_departed = index < 3 && static_cast<size_t>(index) < departed.size();
      account.owner = planted_departed ? departed[static_cast<size_t>(index)] : (engineers.empty() ? nullptr : rng_.pick(engineers));
      account.description = account.owner == nullptr ? std::string(purpose.text)
                                                     : fmt::format("{}. Owner: {}", purpose.text, account.owner->email);
      account.unique_id = "1" + rng_.text(20, "0123456789");
      // A disabled account's keys cannot sign in and the checks skip it, so the planted ones stay enabled.
      const bool disabled = rng_.chance(0.05);
      account.disabled = disabled && !planted_departed;
      for (std::string_view role : purpose.roles) account.roles.emplace_back(role);
      add_keys(account, planted_departed);
      account.impersonated = account.keys.size() == 1 && rng_.chance(0.25);
      accounts_.push_back(std::move(account));
    }
    plant_broad_roles();
  }

  const std::vector<Project>& projects() const { return projects_; }
  std::vector<ServiceAccount>& accounts() { return accounts_; }
  std::vector<InjectedAttack>& planted() { return planted_; }

 private:
  void add_default_accounts() {
    for (const Project& project : projects_) {
      ServiceAccount compute;
      compute.email = fmt::format("{}-compute@developer.gserviceaccount.com", project.number);
      compute.display_name = "Compute Engine default service account";
      compute.unique_id = "1" + rng_.text(20, "0123456789");
      compute.project = &project;
      compute.roles = {"roles/editor"};  // Google grants Editor to it unless the org policy stops it
      compute.keys.push_back(system_key());
      accounts_.push_back(std::move(compute));
    }
    ServiceAccount appspot;
    appspot.email = fmt::format("{}@appspot.gserviceaccount.com", projects_[0].id);
    appspot.display_name = "App Engine default service account";
    appspot.unique_id = "1" + rng_.text(20, "0123456789");
    appspot.project = &projects_[0];
    appspot.roles = {"roles/editor"};
    appspot.keys.push_back(system_key());
    accounts_.push_back(std::move(appspot));
  }

  Key system_key() {
    Key key;
    key.id = rng_.hex(40);
    key.user_managed = false;
    key.created = company_.end_time - rng_.uniform(1, 14) * kSecondsPerDay - rng_.uniform(0, 86399);
    key.expires = key.created + 16 * kSecondsPerDay;
    return key;
  }

  void add_keys(ServiceAccount& account, bool planted_departed) {
    account.keys.push_back(system_key());
    int user_keys = rng_.chance(0.55) ? 1 : 0;
    if (user_keys == 1 && rng_.chance(0.25)) user_keys = 2;
    if (planted_departed) user_keys = std::max(user_keys, 1);
    for (int index = 0; index < user_keys; ++index) {
      Key key;
      key.id = rng_.hex(40);
      // Most keys are old: teams create one when the service starts and never rotate it.
      const std::int64_t age_days = rng_.chance(0.6) ? rng_.uniform(91, 900) : rng_.uniform(1, 90);
      key.created = company_.end_time - age_days * kSecondsPerDay - rng_.uniform(0, 86399);
      key.disabled = rng_.chance(0.05);
      key.used = !key.disabled && !account.disabled && rng_.chance(0.65);
      key.ip = fmt::format("34.{}.{}.{}", rng_.uniform(64, 127), rng_.uniform(0, 255), rng_.uniform(1, 254));
      key.user_agent = rng_.pick(kUserAgents);
      if (planted_departed) {
        planted_.push_back({fmt::format("user-managed key {} of a service account whose owner {} has left", key.id,
                                        account.owner->email),
                            "nhi.owner.departed", account.email});
      }
      if (age_days > 90 && !key.disabled && !account.disabled) {
        planted_.push_back({fmt::format("user-managed key {} is {} days old", key.id, age_days),
                            "nhi.secret.long_lived", account.email});
      }
      if (!key.used && !key.disabled && !account.disabled) {
        // TODO: no check reports an unused GCP key. The key list has no last use and three days of
        // audit logs cannot prove disuse; Policy Analyzer's serviceAccountKeyLastAuthentication
        // activity (`gcloud policy-intelligence query-activity`) can, but is neither written here
        // nor read by keyward.
        planted_.push_back(unreported_posture(
            fmt::format("user-managed key {} is never used in the audit log", key.id), account.email,
            "nhi.identity.unused does not judge GCP: the keys export has no last use and three days of audit logs "
            "cannot show that a key is unused"));
      }
      account.keys.push_back(std::move(key));
    }
  }

  void plant_broad_roles() {
    size_t owners = 0;
    size_t editors = 0;
    for (ServiceAccount& account : accounts_) {
      if (account.owner == nullptr) continue;
      // Only enabled accounts: the privilege checks skip disabled ones, whose keys cannot sign in.
      if (owners < 2 && rng_.chance(0.15)) {
        if (account.disabled) continue;
        account.roles.emplace_back("roles/owner");
        planted_.push_back({"service account holds roles/owner on its project", "nhi.privilege.admin", account.email});
        ++owners;
      } else if (editors < 3 && rng_.chance(0.15)) {
        if (account.disabled) continue;
        account.roles.emplace_back("roles/editor");
        planted_.push_back({"service account holds roles/editor on its project", "nhi.privilege.admin", account.email});
        ++editors;
      }
    }
  }

  const Company& company_;
  Rng& rng_;
  std::vector<Project> projects_;
  std::vector<ServiceAccount> accounts_;
  std::vector<InjectedAttack> planted_;
};

nlohmann::json service_account_json(const ServiceAccount& account) {
  nlohmann::json out = {
      {"displayName", account.display_name},
      {"email", account.email},
      {"etag", "MDEwMjE5MjA="},
      {"name", fmt::format("projects/{}/serviceAccounts/{}", account.project->id, account.email)},
      {"oauth2ClientId", account.unique_id},
      {"projectId", account.project->id},
      {"uniqueId", account.unique_id},
  };
  if (!account.description.empty()) out["description"] = account.description;
  if (account.disabled) out["disabled"] = true;
  return out;
}

nlohmann::json key_json(const ServiceAccount& account, const Key& key) {
  nlohmann::json out = {
      {"keyAlgorithm", "KEY_ALG_RSA_2048"},
      {"keyOrigin", "GOOGLE_PROVIDED"},
      {"keyType", key.user_managed ? "USER_MANAGED" : "SYSTEM_MANAGED"},
      {"name", fmt::format("projects/{}/serviceAccounts/{}/keys/{}", account.project->id, account.email, key.id)},
      {"validAfterTime", rfc3339(key.created)},
      {"validBeforeTime", rfc3339(key.expires)},
  };
  if (key.disabled) out["disabled"] = true;
  return out;
}

nlohmann::json policy_json(const Project& project, const std::vector<ServiceAccount>& accounts, const Company& company,
                           bool with_deleted_member) {
  std::map<std::string, std::set<std::string>> bindings;
  for (const ServiceAccount& account : accounts) {
    if (account.project != &project) continue;
    for (const std::string& role : account.roles) bindings[role].insert("serviceAccount:" + account.email);
    if (account.impersonated && account.owner != nullptr) {
      bindings["roles/iam.serviceAccountTokenCreator"].insert("user:" + account.owner->email);
    }
  }
  bindings["roles/editor"].insert(fmt::format("serviceAccount:{}@cloudservices.gserviceaccount.com", project.number));
  bindings["roles/pubsub.serviceAgent"].insert(
      fmt::format("serviceAccount:service-{}@gcp-sa-pubsub.iam.gserviceaccount.com", project.number));
  bindings["roles/compute.serviceAgent"].insert(
      fmt::format("serviceAccount:service-{}@compute-system.iam.gserviceaccount.com", project.number));
  bindings["roles/viewer"].insert(fmt::format("group:engineering@{}", company.domain));
  for (const Employee& employee : company.employees) {
    if (employee.department == "it") {
      bindings["roles/owner"].insert("user:" + employee.email);
      break;
    }
  }
  if (with_deleted_member) {
    bindings["roles/storage.objectViewer"].insert(fmt::format(
        "deleted:serviceAccount:old-exporter@{}.iam.gserviceaccount.com?uid=109876543210987654321", project.id));
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [role, members] : bindings) {
    list.push_back({{"members", std::vector<std::string>(members.begin(), members.end())}, {"role", role}});
  }
  return {{"bindings", std::move(list)}, {"etag", "BwYabcdEfgh="}, {"version", 1}};
}

// One audit log entry, as a log sink writes it: protoPayload fields in camelCase, times in RFC 3339.
struct AuditEntry {
  UnixTime time = 0;
  bool activity = false;  // true: admin activity log, false: data access log
  nlohmann::json json;
};

nlohmann::json log_entry(const Project& project, UnixTime time, bool activity, std::string insert_id, nlohmann::json payload,
                         nlohmann::json resource) {
  payload["@type"] = "type.googleapis.com/google.cloud.audit.AuditLog";
  if (!payload.contains("status")) payload["status"] = nlohmann::json::object();
  return {
      {"insertId", std::move(insert_id)},
      {"logName", fmt::format("projects/{}/logs/cloudaudit.googleapis.com%2F{}", project.id, activity ? "activity" : "data_access")},
      {"protoPayload", std::move(payload)},
      {"receiveTimestamp", rfc3339(time + 1)},
      {"resource", std::move(resource)},
      {"severity", activity ? "NOTICE" : "INFO"},
      {"timestamp", rfc3339(time)},
  };
}

const Purpose& purpose_of(const ServiceAccount& account) {
  for (const Purpose& purpose : purposes()) {
    if (account.email.rfind(std::string(purpose.account_id), 0) == 0) return purpose;
  }
  return purposes()[0];
}

std::vector<AuditEntry> audit_entries(GcpOrganization& organization, const Company& company, Rng& rng) {
  std::vector<AuditEntry> entries;
  const int days = std::min(kAuditDays, company.days);
  const UnixTime start = core::day_start(company.end_time) - days * kSecondsPerDay;
  for (const ServiceAccount& account : organization.accounts()) {
    const Purpose& purpose = purpose_of(account);
    const nlohmann::json resource = {{"labels", {{"project_id", account.project->id}}}, {"type", "audited_resource"}};
    for (const Key& key : account.keys) {
      if (key.user_managed && key.created >= start && account.owner != nullptr) {
        nlohmann::json payload = {
            {"authenticationInfo", {{"principalEmail", account.owner->email}, {"principalSubject", "user:" + account.owner->email}}},
            {"methodName", "google.iam.admin.v1.CreateServiceAccountKey"},
            {"request", {{"@type", "type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest"},
                         {"name", fmt::format("projects/-/serviceAccounts/{}", account.unique_id)}, {"private_key_type", 2}}},
            {"requestMetadata", {{"callerIp", fmt::format("198.51.100.{}", rng.uniform(1, 254))},
                                 {"callerSuppliedUserAgent", "google-cloud-sdk gcloud/462.0.1 command/gcloud.iam.service-accounts.keys.create"}}},
            {"resourceName", fmt::format("projects/-/serviceAccounts/{}", account.unique_id)},
            {"response", {{"@type", "type.googleapis.com/google.iam.admin.v1.ServiceAccountKey"}, {"key_algorithm", 2}, {"key_origin", 2},
                          {"key_type", 1}, {"name", fmt::format("projects/{}/serviceAccounts/{}/keys/{}", account.project->id, account.email, key.id)},
                          {"private_key_type", 2}, {"valid_after_time", {{"seconds", key.created}}},
                          {"valid_before_time", {{"seconds", key.expires}}}}},
            {"serviceName", "iam.googleapis.com"},
        };
        nlohmann::json key_resource = {{"labels", {{"email_id", account.email}, {"project_id", account.project->id}, {"unique_id", account.unique_id}}},
                                       {"type", "service_account"}};
        entries.push_back({key.created, true, log_entry(*account.project, key.created, true, rng.hex(12), std::move(payload), std::move(key_resource))});
      }
      if (!key.used) continue;
      for (int day = 0; day < days; ++day) {
        const int calls = static_cast<int>(rng.uniform(2, 12));
        for (int call = 0; call < calls; ++call) {
          const UnixTime time = start + day * kSecondsPerDay + rng.uniform(0, kSecondsPerDay - 1);
          if (time < key.created) continue;
          nlohmann::json payload = {
              {"authenticationInfo", {{"principalEmail", account.email}, {"principalSubject", "serviceAccount:" + account.email},
                                      {"serviceAccountKeyName", fmt::format("//iam.googleapis.com/projects/{}/serviceAccounts/{}/keys/{}",
                                                                            account.project->id, account.email, key.id)}}},
              {"methodName", purpose.method},
              {"requestMetadata", {{"callerIp", key.ip}, {"callerSuppliedUserAgent", key.user_agent}}},
              {"serviceName", purpose.service},
          };
          entries.push_back({time, false, log_entry(*account.project, time, false, rng.hex(12), std::move(payload), resource)});
        }
      }
    }
    if (account.impersonated && account.owner != nullptr && account.owner->status == "active") {
      for (int day = 0; day < days; ++day) {
        const UnixTime time = start + day * kSecondsPerDay + rng.uniform(9 * 3600, 18 * 3600);
        nlohmann::json payload = {
            {"authenticationInfo", {{"principalEmail", account.email},
                                    {"serviceAccountDelegationInfo", {{{"firstPartyPrincipal", {{"principalEmail", account.owner->email}}}}}}}},
            {"methodName", purpose.method},
            {"requestMetadata", {{"callerIp", fmt::format("198.51.100.{}", rng.uniform(1, 254))},
                                 {"callerSuppliedUserAgent", "google-cloud-sdk gcloud/462.0.1"}}},
            {"serviceName", purpose.service},
        };
        entries.push_back({time, false, log_entry(*account.project, time, false, rng.hex(12), std::move(payload), resource)});
      }
    }
  }
  std::stable_sort(entries.begin(), entries.end(), [](const AuditEntry& a, const AuditEntry& b) { return a.time < b.time; });
  return entries;
}

core::Status write_audit_logs(const std::string& root, std::vector<AuditEntry>& entries, PlatformOutput& output) {
  std::map<std::string, std::string> files;  // relative path -> JSON lines
  for (const AuditEntry& entry : entries) {
    const std::string date = core::format_date(entry.time);  // YYYY-MM-DD
    const std::string path = fmt::format("gcp/audit/cloudaudit.googleapis.com/{}/{}/{}/{}/00:00:00_23:59:59_S0.json",
                                         entry.activity ? "activity" : "data_access", date.substr(0, 4), date.substr(5, 2),
                                         date.substr(8, 2));
    files[path] += entry.json.dump() + "\n";
  }
  for (const auto& [path, content] : files) {
    if (auto written = write_file(root, path, content); !written) return written;
    output.files.push_back(path);
  }
  output.events += static_cast<long long>(entries.size());
  return {};
}

}  // namespace

core::Result<PlatformOutput> generate_gcp(const Company& company, const std::string& output_dir) {
  Rng rng = company.rng("gcp");
  GcpOrganization organization(company, rng);
  organization.build();
  PlatformOutput output;

  for (const Project& project : organization.projects()) {
    nlohmann::json accounts = nlohmann::json::array();
    std::string keys;
    for (const ServiceAccount& account : organization.accounts()) {
      if (account.project != &project) continue;
      accounts.push_back(service_account_json(account));
      ++output.identities;
      nlohmann::json list = nlohmann::json::array();
      for (const Key& key : account.keys) {
        list.push_back(key_json(account, key));
        if (key.user_managed) ++output.identities;
      }
      keys += list.dump() + "\n";
    }
    const bool first = &project == &organization.projects().front();
    const std::vector<std::pair<std::string, std::string>> files = {
        {fmt::format("gcp/{}.service-accounts.json", project.id), accounts.dump(2) + "\n"},
        {fmt::format("gcp/{}.keys.jsonl", project.id), keys},
        {fmt::format("gcp/{}.iam-policy.json", project.id),
         policy_json(project, organization.accounts(), company, first).dump(2) + "\n"},
    };
    for (const auto& [path, content] : files) {
      if (auto written = write_file(output_dir, path, content); !written) return written.error();
      output.files.push_back(path);
    }
  }
  // TODO: no check reports the binding, although the IAM policy source keeps it as a grant with
  // via "deleted_member" on an identity whose status is "deleted".
  organization.planted().push_back(unreported_posture(
      "binding of a deleted service account left in the project policy",
      fmt::format("old-exporter@{}.iam.gserviceaccount.com", organization.projects().front().id),
      "no check reports a binding of a deleted:serviceAccount: member; the privilege checks skip such grants"));

  std::vector<AuditEntry> entries = audit_entries(organization, company, rng);
  // The injected attacks (attacks_gcp.cpp), among the ordinary entries in time order.
  std::vector<GcpServiceAccountRef> refs;
  for (const ServiceAccount& account : organization.accounts()) {
    GcpServiceAccountRef ref{account.email, account.unique_id, account.project->id, account.owner, {}, account.disabled};
    for (const Key& key : account.keys) {
      if (key.user_managed && key.used && !key.disabled && ref.used_key_id.empty()) ref.used_key_id = key.id;
    }
    refs.push_back(std::move(ref));
  }
  const UnixTime log_start = core::day_start(company.end_time) - std::min(kAuditDays, company.days) * kSecondsPerDay;
  for (GcpAuditRecord& record : gcp_attacks(company, refs, log_start, organization.planted())) {
    entries.push_back({record.time, record.activity, std::move(record.entry)});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const AuditEntry& a, const AuditEntry& b) { return a.time < b.time; });
  if (auto written = write_audit_logs(output_dir, entries, output); !written) return written.error();
  output.planted = std::move(organization.planted());
  return output;
}

}  // namespace keyward::generator
