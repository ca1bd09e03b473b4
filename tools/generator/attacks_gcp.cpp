// Google Cloud attacks, on the last day the audit logs cover:
//   (a) an engineer's Google account, phished, creates a key for a service account they own from
//       a hosting provider, and the new key lists and reads buckets from the same server minutes
//       later;
//   (b) a service account key already in use leaks; from another hosting provider it mints an
//       access token for a second service account it never impersonated and uses it.

#include <fmt/format.h>

#include "tools/generator/planted.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {
namespace {

using nlohmann::json;

constexpr std::string_view kGcloudKeysCreate =
    "google-cloud-sdk gcloud/462.0.1 command/gcloud.iam.service-accounts.keys.create invocation-id/{} environment/None "
    "environment-version/None client-os/LINUX client-os-ver/6.5.0 client-pltf-arch/x86_64 interactive/True "
    "from-script/False python/3.11.6 term/xterm-256color (Linux 6.5.0-1025-gcp)";
constexpr std::string_view kPythonClient = "gcloud-python/3.20.1 gl-python/3.11.6 grpc/1.62.1 gax/2.17.1 gccl/2.16.0";

json log_entry(std::string_view project, core::UnixTime time, bool activity, Rng& rng, json payload, json resource) {
  payload["@type"] = "type.googleapis.com/google.cloud.audit.AuditLog";
  if (!payload.contains("status")) payload["status"] = json::object();
  return {
      {"insertId", rng.hex(12)},
      {"logName", fmt::format("projects/{}/logs/cloudaudit.googleapis.com%2F{}", project, activity ? "activity" : "data_access")},
      {"protoPayload", std::move(payload)},
      {"receiveTimestamp", core::format_time(time + 1)},
      {"resource", std::move(resource)},
      {"severity", activity ? "NOTICE" : "INFO"},
      {"timestamp", core::format_time(time)},
  };
}

std::string key_name(const GcpServiceAccountRef& account, std::string_view key_id) {
  return fmt::format("//iam.googleapis.com/projects/{}/serviceAccounts/{}/keys/{}", account.project_id, account.email, key_id);
}

// A storage read by `principal`, authenticated by the key named `key` (or by a delegation from
// `delegated_by` when set).
json storage_call(const GcpServiceAccountRef& account, std::string_view method, std::string_view bucket,
                  const std::string& ip, const std::string& key, const std::string& delegated_by) {
  json authentication = {{"principalEmail", account.email}, {"principalSubject", "serviceAccount:" + account.email}};
  if (!key.empty()) authentication["serviceAccountKeyName"] = key;
  if (!delegated_by.empty()) {
    authentication["serviceAccountDelegationInfo"] = json::array({{{"firstPartyPrincipal", {{"principalEmail", delegated_by}}}}});
  }
  return {{"authenticationInfo", std::move(authentication)},
          {"authorizationInfo", json::array({{{"granted", true},
                                              {"permission", method == "storage.buckets.list" ? "storage.buckets.list" : "storage.objects.list"},
                                              {"resource", fmt::format("projects/_/buckets/{}", bucket)}}})},
          {"methodName", method},
          {"requestMetadata", {{"callerIp", ip}, {"callerSuppliedUserAgent", kPythonClient}}},
          {"resourceLocation", {{"currentLocations", json::array({"us"})}}},
          {"resourceName", fmt::format("projects/_/buckets/{}", bucket)},
          {"serviceName", "storage.googleapis.com"}};
}

json bucket_resource(const GcpServiceAccountRef& account, std::string_view bucket) {
  return {{"labels", {{"bucket_name", bucket}, {"location", "us"}, {"project_id", account.project_id}}}, {"type", "gcs_bucket"}};
}

void add_storage_reads(std::vector<GcpAuditRecord>& records, const GcpServiceAccountRef& account, core::UnixTime& time,
                       const std::string& ip, const std::string& key, const std::string& delegated_by, Rng& rng) {
  const std::string bucket = fmt::format("{}-exports", account.project_id);
  records.push_back({time, false, log_entry(account.project_id, time, false, rng,
                                            storage_call(account, "storage.buckets.list", bucket, ip, key, delegated_by),
                                            bucket_resource(account, bucket))});
  for (int i = 0; i < 6; ++i) {
    time += rng.uniform(2, 20);
    records.push_back({time, false, log_entry(account.project_id, time, false, rng,
                                              storage_call(account, "storage.objects.list", bucket, ip, key, delegated_by),
                                              bucket_resource(account, bucket))});
  }
}

// (a): the owner's phished account creates a key, which is used from the same server.
void key_from_phished_owner(const GcpServiceAccountRef& account, core::UnixTime start, std::vector<GcpAuditRecord>& records,
                            std::vector<InjectedAttack>& planted, Rng& rng) {
  const std::string ip = attacker_ip(AttackerNetwork::hosting_nl, rng);
  const std::string key_id = rng.hex(40);
  const std::string owner = account.owner->email;
  json payload = {
      {"authenticationInfo", {{"principalEmail", owner}, {"principalSubject", "user:" + owner}}},
      {"methodName", "google.iam.admin.v1.CreateServiceAccountKey"},
      {"request", {{"@type", "type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest"},
                   {"name", fmt::format("projects/-/serviceAccounts/{}", account.unique_id)}, {"private_key_type", 2}}},
      {"requestMetadata", {{"callerIp", ip}, {"callerSuppliedUserAgent", fmt::format(kGcloudKeysCreate, rng.hex(32))}}},
      {"resourceName", fmt::format("projects/-/serviceAccounts/{}", account.unique_id)},
      {"response", {{"@type", "type.googleapis.com/google.iam.admin.v1.ServiceAccountKey"}, {"key_algorithm", 2}, {"key_origin", 2},
                    {"key_type", 1}, {"name", fmt::format("projects/{}/serviceAccounts/{}/keys/{}", account.project_id, account.email, key_id)},
                    {"private_key_type", 2}, {"valid_after_time", {{"seconds", start}}},
                    {"valid_before_time", {{"seconds", 253402300799}}}}},
      {"serviceName", "iam.googleapis.com"},
  };
  json resource = {{"labels", {{"email_id", account.email}, {"project_id", account.project_id}, {"unique_id", account.unique_id}}},
                   {"type", "service_account"}};
  records.push_back({start, true, log_entry(account.project_id, start, true, rng, std::move(payload), std::move(resource))});
  core::UnixTime time = start + rng.uniform(300, 900);
  const core::UnixTime first_use = time;
  add_storage_reads(records, account, time, ip, key_name(account, key_id), "", rng);
  planted.push_back(planted_attack("gcp", "phished owner creates a service account key from a hosting provider",
                                   {"gcp.iam.long_lived_key_created"}, owner, start, start));
  planted.push_back(planted_attack("gcp", "service account key used from a hosting provider minutes after its creation",
                                   {"gcp.iam.new_key_used_outside_google"}, account.email, first_use, time));
}

// (b): a leaked key mints a token for another account and uses it.
void impersonation_with_leaked_key(const GcpServiceAccountRef& caller, const GcpServiceAccountRef& target, core::UnixTime start,
                                   std::vector<GcpAuditRecord>& records, std::vector<InjectedAttack>& planted, Rng& rng) {
  const std::string ip = attacker_ip(AttackerNetwork::hosting_de, rng);
  json payload = {
      {"authenticationInfo", {{"principalEmail", caller.email}, {"principalSubject", "serviceAccount:" + caller.email},
                              {"serviceAccountKeyName", key_name(caller, caller.used_key_id)}}},
      {"authorizationInfo", json::array({{{"granted", true}, {"permission", "iam.serviceAccounts.getAccessToken"},
                                          {"resource", fmt::format("projects/-/serviceAccounts/{}", target.unique_id)}}})},
      {"methodName", "GenerateAccessToken"},
      {"request", {{"@type", "type.googleapis.com/google.iam.credentials.v1.GenerateAccessTokenRequest"},
                   {"name", fmt::format("projects/-/serviceAccounts/{}", target.email)}}},
      {"requestMetadata", {{"callerIp", ip}, {"callerSuppliedUserAgent", kPythonClient}}},
      {"resourceName", fmt::format("projects/-/serviceAccounts/{}", target.unique_id)},
      {"serviceName", "iamcredentials.googleapis.com"},
  };
  json resource = {{"labels", {{"email_id", target.email}, {"project_id", target.project_id}, {"unique_id", target.unique_id}}},
                   {"type", "service_account"}};
  records.push_back({start, false, log_entry(target.project_id, start, false, rng, std::move(payload), std::move(resource))});
  core::UnixTime time = start + rng.uniform(5, 40);
  add_storage_reads(records, target, time, ip, "", caller.email, rng);
  planted.push_back(planted_attack("gcp", "leaked service account key impersonates another service account from a hosting provider",
                                   {"gcp.iam.first_impersonation_pair"}, caller.email, start, time));
}

}  // namespace

std::vector<GcpAuditRecord> gcp_attacks(const Company& company, const std::vector<GcpServiceAccountRef>& accounts,
                                        core::UnixTime log_start, std::vector<InjectedAttack>& planted) {
  Rng rng = company.rng("gcp").fork("attacks");
  std::vector<GcpAuditRecord> records;
  const core::UnixTime last_day = core::day_start(company.end_time - 1);
  if (last_day < log_start) return records;

  const GcpServiceAccountRef* phished = nullptr;
  const GcpServiceAccountRef* leaked = nullptr;
  const GcpServiceAccountRef* target = nullptr;
  for (const auto& account : accounts) {
    if (account.disabled) continue;
    const bool owned = account.owner != nullptr && account.owner->status == "active";
    if (phished == nullptr && owned && account.used_key_id.empty()) {
      phished = &account;
    } else if (leaked == nullptr && !account.used_key_id.empty()) {
      leaked = &account;
    } else if (target == nullptr && account.used_key_id.empty() && &account != phished) {
      target = &account;
    }
  }
  if (phished != nullptr) key_from_phished_owner(*phished, last_day + 2 * 3600 + 17 * 60 + 40, records, planted, rng);
  if (leaked != nullptr && target != nullptr) {
    impersonation_with_leaked_key(*leaked, *target, last_day + 4 * 3600 + 3 * 60 + 12, records, planted, rng);
  }
  return records;
}

}  // namespace keyward::generator
