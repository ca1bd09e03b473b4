#include "tools/generator/entra.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <vector>

#include "tools/generator/output_files.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {
namespace {

using nlohmann::json;

constexpr std::int64_t kDay = 86400;
constexpr std::string_view kMicrosoftTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
constexpr size_t kPageSize = 100;  // Graph's default page size for these collections
constexpr int kSignInDays = 3;

// Microsoft Graph application permissions (appRoleId, name), as the permissions reference lists them.
struct GraphRole {
  std::string_view id;
  std::string_view name;
};
constexpr GraphRole kUserReadAll{"df021288-bdef-4463-88db-98f22de89214", "User.Read.All"};
constexpr GraphRole kDirectoryReadAll{"7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Directory.Read.All"};
constexpr GraphRole kDirectoryReadWriteAll{"19dbc75e-c2e2-444c-a770-ec69d8559fc7", "Directory.ReadWrite.All"};
constexpr GraphRole kMailReadWrite{"e2a3a72e-5f79-4c64-b1b1-878b674786c9", "Mail.ReadWrite"};
constexpr GraphRole kFilesReadWriteAll{"75359482-378d-4052-8f01-80520e7db3cd", "Files.ReadWrite.All"};
constexpr GraphRole kGroupReadAll{"5b567255-7703-4780-807c-7be8301ae99b", "Group.Read.All"};
constexpr GraphRole kApplicationReadWriteAll{"1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", "Application.ReadWrite.All"};

const std::vector<std::string> kAppPurposes = {"billing", "invoices", "reports", "etl", "deploy", "crm-sync", "hr-feed",
                                               "alerts", "backup", "search", "payments", "inventory", "analytics", "mailer"};
const std::vector<std::string> kAppSuffixes = {"sync", "api", "worker", "automation", "connector", "job"};
const std::vector<std::string> kManagedIdentityNames = {"func-invoice-export", "vm-batch-worker", "aks-ingest",
                                                        "logic-app-approvals", "webapp-portal", "adf-pipeline"};
const std::vector<std::string> kRepositories = {"infrastructure", "platform", "web", "data-pipelines", "api"};
// Azure datacenter addresses (Microsoft's AS8075), where app workloads sign in from.
const std::vector<std::string> kAzureAddresses = {"20.42.65.90", "20.190.151.7", "52.168.10.7", "40.112.243.3",
                                                  "13.107.42.14", "52.191.100.21"};

struct Principal {
  std::string object_id;
  std::string app_id;
  std::string name;
};

struct Secret {
  std::string key_id;
  core::UnixTime start = 0;
  core::UnixTime end = 0;
};

struct App {
  Principal principal;
  std::vector<Secret> secrets;       // client secrets and certificates
  std::string federated_id;          // GitHub Actions federated credential, or ""
};

std::string iso(core::UnixTime time) { return core::format_time(time); }

json page(std::string_view context, const json& records, size_t begin, size_t end, bool more, std::string_view next) {
  json out;
  out["@odata.context"] = context;
  out["value"] = json::array();
  for (size_t i = begin; i < end; ++i) out["value"].push_back(records[i]);
  if (more) out["@odata.nextLink"] = fmt::format("{}&$skiptoken=page{}", next, end / kPageSize);
  return out;
}

// Serializes records as Graph pages of kPageSize, one compact page per line.
std::string graph_pages(std::string_view context, std::string_view next_link, const json& records) {
  std::string out;
  const size_t total = records.size();
  if (total == 0) return page(context, records, 0, 0, false, next_link).dump() + "\n";
  for (size_t begin = 0; begin < total; begin += kPageSize) {
    const size_t end = std::min(total, begin + kPageSize);
    out += page(context, records, begin, end, end < total, next_link).dump();
    out += "\n";
  }
  return out;
}

class EntraWriter {
 public:
  EntraWriter(const Company& company, std::string root)
      : company_(company), rng_(company.rng("entra")), root_(std::move(root)) {
    tenant_ = rng_.uuid();
    graph_ = microsoft_principal("00000003-0000-0000-c000-000000000000", "Microsoft Graph");
    exchange_ = microsoft_principal("00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online");
    management_ = microsoft_principal("797f4846-ba00-4fd7-ba43-dac1f8f63013", "Windows Azure Service Management API");
  }

  core::Result<PlatformOutput> run() {
    write_users();
    make_applications();
    make_vendor_apps();
    make_managed_identities();
    make_sign_ins();
    struct File {
      std::string name;
      std::string content;
    };
    const std::vector<File> files = {
        {"users.json", graph_pages("https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,mail,"
                                   "accountEnabled,displayName,createdDateTime)",
                                   "https://graph.microsoft.com/v1.0/users?$select=id", users_)},
        {"applications.json", graph_pages("https://graph.microsoft.com/v1.0/$metadata#applications(owners())",
                                          "https://graph.microsoft.com/v1.0/applications?$expand=owners", applications_)},
        {"service-principals.json", graph_pages("https://graph.microsoft.com/v1.0/$metadata#servicePrincipals",
                                                "https://graph.microsoft.com/v1.0/servicePrincipals?", principals_)},
        {"oauth2-permission-grants.json",
         graph_pages("https://graph.microsoft.com/v1.0/$metadata#oauth2PermissionGrants",
                     "https://graph.microsoft.com/v1.0/oauth2PermissionGrants?", grants_)},
        {"app-role-assignments.json", assignment_pages()},
        {"sign-ins-graph.json", graph_pages("https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",
                                            "https://graph.microsoft.com/beta/auditLogs/signIns?$filter=signInEventTypes",
                                            graph_sign_ins_)},
        {"sign-ins-diagnostic.json", diagnostic_lines()},
    };
    for (const File& file : files) {
      const std::string relative = "entra/" + file.name;
      if (auto status = write_file(root_, relative, file.content); !status) return status.error();
      output_.files.push_back(relative);
    }
    output_.events = static_cast<long long>(graph_sign_ins_.size() + diagnostic_sign_ins_.size());
    return output_;
  }

 private:
  Principal microsoft_principal(std::string app_id, std::string name) {
    Principal principal{rng_.uuid(), std::move(app_id), std::move(name)};
    principals_.push_back(json{{"id", principal.object_id},
                               {"appId", principal.app_id},
                               {"displayName", principal.name},
                               {"accountEnabled", true},
                               {"appOwnerOrganizationId", kMicrosoftTenant},
                               {"servicePrincipalType", "Application"},
                               {"publisherName", "Microsoft Services"},
                               {"verifiedPublisher", {{"displayName", nullptr}, {"verifiedPublisherId", nullptr}, {"addedDateTime", nullptr}}},
                               {"tags", json::array()},
                               {"passwordCredentials", json::array()},
                               {"keyCredentials", json::array()}});
    return principal;
  }

  void write_users() {
    for (const Employee& employee : company_.employees) {
      const std::string id = rng_.uuid();
      user_ids_[employee.email] = id;
      users_.push_back(json{{"id", id},
                            {"userPrincipalName", employee.email},
                            {"mail", employee.email},
                            {"accountEnabled", employee.status == "active"},
                            {"displayName", employee.first_name + " " + employee.last_name},
                            {"createdDateTime", iso(employee.hired)}});
    }
  }

  // A secret with one of the lifetimes seen in tenants: most expire 6 months after creation, some
  // have already expired, some expire within 30 days and some were made for two years.
  Secret make_secret(core::UnixTime not_before) {
    const core::UnixTime end_time = company_.end_time;
    Secret secret;
    secret.key_id = rng_.uuid();
    const size_t lifetime = rng_.weighted({50, 15, 10, 25});
    if (lifetime == 0) {
      secret.start = end_time - rng_.uniform(10, 170) * kDay;
      secret.end = secret.start + 180 * kDay;
    } else if (lifetime == 1) {
      secret.end = end_time - rng_.uniform(5, 200) * kDay;
      secret.start = secret.end - 365 * kDay;
    } else if (lifetime == 2) {
      secret.end = end_time + rng_.uniform(1, 29) * kDay;
      secret.start = secret.end - (rng_.chance(0.5) ? 180 : 365) * kDay;
    } else {
      secret.start = end_time - rng_.uniform(10, 600) * kDay;
      secret.end = secret.start + 730 * kDay;
    }
    // A secret cannot be older than its app.
    if (secret.start < not_before) {
      secret.start = not_before;
      if (secret.end <= secret.start) secret.end = secret.start + 180 * kDay;
    }
    return secret;
  }

  json owner_json(const Employee& employee) {
    return json{{"@odata.type", "#microsoft.graph.user"},
                {"id", user_ids_[employee.email]},
                {"displayName", employee.first_name + " " + employee.last_name},
                {"mail", employee.email},
                {"userPrincipalName", employee.email}};
  }

  void make_applications() {
    const std::vector<const Employee*> engineers = company_.engineers();
    if (engineers.empty()) return;
    const int count = std::max<int>(1, static_cast<int>(engineers.size() * 6 / 10));
    std::map<std::string, int> names;
    for (int i = 0; i < count; ++i) {
      const Employee& owner = *rng_.pick(engineers);
      App app;
      std::string name = rng_.pick(kAppPurposes) + "-" + rng_.pick(kAppSuffixes);
      if (const int seen = names[name]++; seen > 0) name += "-" + std::to_string(seen + 1);
      app.principal = Principal{rng_.uuid(), rng_.uuid(), name};
      const core::UnixTime created = std::max(owner.hired, company_.end_time - rng_.uniform(30, 900) * kDay);

      json passwords = json::array();
      const int secret_count = static_cast<int>(rng_.weighted({15, 60, 25}));
      for (int s = 0; s < secret_count; ++s) {
        Secret secret = make_secret(created);
        passwords.push_back(json{{"customKeyIdentifier", nullptr},
                                 {"displayName", s == 0 ? "prod" : "rotation"},
                                 {"endDateTime", iso(secret.end)},
                                 {"hint", rng_.text(3, kAlphanumeric)},
                                 {"keyId", secret.key_id},
                                 {"secretText", nullptr},
                                 {"startDateTime", iso(secret.start)}});
        app.secrets.push_back(secret);
      }
      json certificates = json::array();
      if (rng_.chance(0.2)) {
        Secret certificate = make_secret(created);
        certificates.push_back(json{{"customKeyIdentifier", rng_.text(40, "0123456789ABCDEF")},
                                    {"displayName", "CN=" + name},
                                    {"endDateTime", iso(certificate.end)},
                                    {"key", nullptr},
                                    {"keyId", certificate.key_id},
                                    {"startDateTime", iso(certificate.start)},
                                    {"type", "AsymmetricX509Cert"},
                                    {"usage", "Verify"}});
        app.secrets.push_back(certificate);
      }
      json federated = json::array();
      if (rng_.chance(0.15)) {
        app.federated_id = rng_.uuid();
        federated.push_back(json{{"id", app.federated_id},
                                 {"name", "github-main"},
                                 {"issuer", "https://token.actions.githubusercontent.com"},
                                 {"subject", fmt::format("repo:{}/{}:ref:refs/heads/main", company_.slug, rng_.pick(kRepositories))},
                                 {"audiences", json::array({"api://AzureADTokenExchange"})},
                                 {"description", nullptr}});
      }
      json owners = json::array({owner_json(owner)});
      if (rng_.chance(0.2)) owners.push_back(owner_json(*rng_.pick(engineers)));

      const std::vector<GraphRole> roles = pick_internal_roles();
      json access = json::array();
      for (const GraphRole& role : roles) access.push_back(json{{"id", role.id}, {"type", "Role"}});
      applications_.push_back(json{{"id", app.principal.object_id},
                                   {"appId", app.principal.app_id},
                                   {"displayName", name},
                                   {"createdDateTime", iso(created)},
                                   {"publisherDomain", company_.slug + ".onmicrosoft.com"},
                                   {"signInAudience", "AzureADMyOrg"},
                                   {"passwordCredentials", passwords},
                                   {"keyCredentials", certificates},
                                   {"federatedIdentityCredentials", federated},
                                   {"requiredResourceAccess",
                                    json::array({json{{"resourceAppId", graph_.app_id}, {"resourceAccess", access}}})},
                                   {"owners", owners}});
      add_service_principal(app.principal, tenant_, company_.name, false, "Application");
      for (const GraphRole& role : roles) add_assignment(app.principal, graph_, role.id, created + kDay);
      ++output_.identities;
      apps_.push_back(std::move(app));
    }
  }

  std::vector<GraphRole> pick_internal_roles() {
    std::vector<GraphRole> roles;
    if (rng_.chance(0.5)) roles.push_back(kUserReadAll);
    if (rng_.chance(0.2)) roles.push_back(kGroupReadAll);
    if (rng_.chance(0.15)) roles.push_back(kMailReadWrite);
    if (rng_.chance(0.1)) roles.push_back(kFilesReadWriteAll);
    if (rng_.chance(0.05)) roles.push_back(kApplicationReadWriteAll);
    if (rng_.chance(0.04)) roles.push_back(kDirectoryReadWriteAll);
    return roles;
  }

  void add_service_principal(const Principal& principal, const std::string& owner_tenant, const std::string& publisher,
                             bool verified, std::string_view type, json alternative_names = json::array()) {
    json verified_publisher = {{"displayName", nullptr}, {"verifiedPublisherId", nullptr}, {"addedDateTime", nullptr}};
    if (verified) {
      verified_publisher = {{"displayName", publisher},
                            {"verifiedPublisherId", std::to_string(rng_.uniform(1000000, 9999999))},
                            {"addedDateTime", iso(company_.end_time - rng_.uniform(400, 1500) * kDay)}};
    }
    principals_.push_back(json{{"id", principal.object_id},
                               {"appId", principal.app_id},
                               {"displayName", principal.name},
                               {"accountEnabled", true},
                               {"appOwnerOrganizationId", owner_tenant.empty() ? json(nullptr) : json(owner_tenant)},
                               {"servicePrincipalType", type},
                               {"publisherName", publisher},
                               {"verifiedPublisher", verified_publisher},
                               {"alternativeNames", alternative_names},
                               {"tags", type == "Application" ? json::array({"WindowsAzureActiveDirectoryIntegratedApp"})
                                                              : json::array()},
                               {"passwordCredentials", json::array()},
                               {"keyCredentials", json::array()}});
  }

  void add_assignment(const Principal& principal, const Principal& resource, std::string_view role_id,
                      core::UnixTime created) {
    assignments_[resource.object_id].push_back(json{{"id", rng_.text(43, kAlphanumeric)},
                                                    {"deletedDateTime", nullptr},
                                                    {"appRoleId", role_id},
                                                    {"createdDateTime", iso(std::min(created, company_.end_time))},
                                                    {"principalDisplayName", principal.name},
                                                    {"principalId", principal.object_id},
                                                    {"principalType", "ServicePrincipal"},
                                                    {"resourceDisplayName", resource.name},
                                                    {"resourceId", resource.object_id}});
  }

  void make_vendor_apps() {
    std::vector<const Employee*> people;
    for (const Employee& employee : company_.employees) people.push_back(&employee);
    for (const ThirdPartyVendor& vendor : company_.vendors) {
      // Unverified publishers are the risky ones, so every one of them is connected.
      if (vendor.verified && !rng_.chance(0.6)) continue;
      Principal principal{rng_.uuid(), rng_.uuid(), vendor.name};
      const std::string publisher = vendor.verified ? vendor.name + ", Inc." : vendor.domain;
      add_service_principal(principal, rng_.uuid(), publisher, vendor.verified, "Application");
      ++output_.identities;

      std::string scopes = "openid profile email offline_access User.Read";
      if (vendor.category == "automation") scopes += " Mail.ReadWrite Files.ReadWrite.All";
      if (vendor.category == "genai") scopes += " Calendars.Read OnlineMeetings.Read Files.Read.All";
      if (vendor.category == "crm") scopes += " Mail.Send Contacts.Read";
      if (vendor.category == "productivity") scopes += " Files.ReadWrite";
      // At least one unverified publisher gets tenant-wide directory write access.
      const bool broad = rng_.chance(0.15) || (!vendor.verified && !broad_grant_written_);
      broad_grant_written_ = broad_grant_written_ || broad;
      if (broad) scopes += " Directory.ReadWrite.All";
      if (rng_.chance(0.5) || broad) {
        grants_.push_back(json{{"clientId", principal.object_id},
                               {"consentType", "AllPrincipals"},
                               {"id", rng_.text(43, kAlphanumeric)},
                               {"principalId", nullptr},
                               {"resourceId", graph_.object_id},
                               {"scope", scopes}});
      } else {
        const int consents = static_cast<int>(rng_.uniform(1, 4));
        for (int c = 0; c < consents && !people.empty(); ++c) {
          const Employee& person = *rng_.pick(people);
          grants_.push_back(json{{"clientId", principal.object_id},
                                 {"consentType", "Principal"},
                                 {"id", rng_.text(43, kAlphanumeric)},
                                 {"principalId", user_ids_[person.email]},
                                 {"resourceId", graph_.object_id},
                                 {"scope", scopes}});
        }
      }
      if (vendor.category == "security" || vendor.category == "observability") {
        add_assignment(principal, graph_, kDirectoryReadAll.id, company_.end_time - rng_.uniform(30, 700) * kDay);
      }
      if (vendor.category == "automation" && rng_.chance(0.5)) {
        add_assignment(principal, graph_, kMailReadWrite.id, company_.end_time - rng_.uniform(30, 700) * kDay);
        if (rng_.chance(0.3)) add_assignment(principal, exchange_, "dc890d15-9560-4a4c-9b7f-a736ec74ec40",
                                             company_.end_time - rng_.uniform(30, 700) * kDay);
      }
    }
  }

  void make_managed_identities() {
    const size_t count = std::min(kManagedIdentityNames.size(), 2 + company_.engineers().size() / 20);
    const std::string subscription = rng_.uuid();
    for (size_t i = 0; i < count; ++i) {
      Principal principal{rng_.uuid(), rng_.uuid(), kManagedIdentityNames[i]};
      const json alternative_names = json::array(
          {"isExplicit=False",
           fmt::format("/subscriptions/{}/resourcegroups/prod/providers/Microsoft.Web/sites/{}", subscription, principal.name)});
      add_service_principal(principal, "", "", false, "ManagedIdentity", alternative_names);
      if (rng_.chance(0.6)) add_assignment(principal, graph_, kUserReadAll.id, company_.end_time - rng_.uniform(30, 400) * kDay);
      ++output_.identities;
      managed_.push_back(principal);
    }
  }

  void make_sign_ins() {
    const core::UnixTime first_day = core::day_start(company_.end_time) - kSignInDays * kDay;
    std::vector<EntraAppRef> running;  // apps that sign in, for the injected attack
    for (const App& app : apps_) {
      if (app.secrets.empty() && app.federated_id.empty()) continue;
      if (rng_.chance(0.3)) continue;  // an app that no longer runs
      EntraAppRef ref{app.principal.object_id, app.principal.app_id, app.principal.name, {}, true};
      for (const Secret& secret : app.secrets) {
        if (secret.end > company_.end_time) ref.secret_key_ids.push_back(secret.key_id);
      }
      running.push_back(std::move(ref));
      const std::string address = rng_.pick(kAzureAddresses);
      const Principal& resource = rng_.chance(0.7) ? graph_ : management_;
      for (int day = 0; day < kSignInDays; ++day) {
        const int count = static_cast<int>(rng_.uniform(1, 4));
        for (int n = 0; n < count; ++n) {
          const core::UnixTime time = first_day + day * kDay + rng_.uniform(0, kDay - 1);
          std::string key_id;
          std::int64_t error = 0;
          if (!app.secrets.empty()) {
            const Secret& secret = app.secrets[static_cast<size_t>(rng_.uniform(0, static_cast<std::int64_t>(app.secrets.size()) - 1))];
            key_id = secret.key_id;
            // AADSTS7000222: the client secret has expired.
            if (secret.end < time) error = 7000222;
          }
          if (error == 0 && rng_.chance(0.02)) error = 7000215;  // AADSTS7000215: invalid client secret
          json status = {{"errorCode", error}, {"failureReason", error == 0 ? json(nullptr) : json("Invalid client credentials.")}};
          graph_sign_ins_.push_back(json{{"id", rng_.uuid()},
                                         {"createdDateTime", iso(time)},
                                         {"appDisplayName", app.principal.name},
                                         {"appId", app.principal.app_id},
                                         {"ipAddress", address},
                                         {"isInteractive", false},
                                         {"resourceDisplayName", resource.name},
                                         {"resourceId", resource.app_id},
                                         {"servicePrincipalId", app.principal.object_id},
                                         {"servicePrincipalName", app.principal.name},
                                         {"servicePrincipalCredentialKeyId", key_id},
                                         {"federatedCredentialId", key_id.empty() ? app.federated_id : std::string()},
                                         {"servicePrincipalCredentialThumbprint", ""},
                                         {"signInEventTypes", json::array({"servicePrincipal"})},
                                         {"userPrincipalName", nullptr},
                                         {"status", status}});
        }
      }
    }
    // The injected attack (attacks_entra.cpp), among the ordinary sign-ins in time order.
    for (json& record : entra_attacks(company_, running, graph_.name, graph_.app_id, first_day, output_.planted)) {
      graph_sign_ins_.push_back(std::move(record));
    }
    std::sort(graph_sign_ins_.begin(), graph_sign_ins_.end(),
              [](const json& a, const json& b) { return a["createdDateTime"] < b["createdDateTime"]; });

    for (const Principal& identity : managed_) {
      for (int day = 0; day < kSignInDays; ++day) {
        const int count = static_cast<int>(rng_.uniform(2, 6));
        for (int n = 0; n < count; ++n) {
          const core::UnixTime time = first_day + day * kDay + rng_.uniform(0, kDay - 1);
          const std::string id = rng_.uuid();
          diagnostic_sign_ins_.push_back(json{
              {"time", iso(time)},
              {"resourceId", fmt::format("/tenants/{}/providers/Microsoft.aadiam", tenant_)},
              {"operationName", "Sign-in activity"},
              {"operationVersion", "1.0"},
              {"category", "ManagedIdentitySignInLogs"},
              {"tenantId", tenant_},
              {"resultType", "0"},
              {"resultSignature", "None"},
              {"callerIpAddress", nullptr},
              {"correlationId", rng_.uuid()},
              {"level", 4},
              {"properties",
               {{"id", id},
                {"createdDateTime", iso(time)},
                {"appId", identity.app_id},
                {"appDisplayName", identity.name},
                {"servicePrincipalId", identity.object_id},
                {"servicePrincipalName", identity.name},
                {"resourceDisplayName", rng_.chance(0.5) ? "Azure Key Vault" : "Azure Storage"},
                {"status", {{"errorCode", 0}}}}}});
        }
      }
    }
    std::sort(diagnostic_sign_ins_.begin(), diagnostic_sign_ins_.end(),
              [](const json& a, const json& b) { return a["time"] < b["time"]; });
  }

  std::string assignment_pages() {
    std::string out;
    for (const auto& [resource_id, records] : assignments_) {
      json list = json::array();
      for (const json& record : records) list.push_back(record);
      out += graph_pages(fmt::format("https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('{}')/appRoleAssignedTo",
                                     resource_id),
                         fmt::format("https://graph.microsoft.com/v1.0/servicePrincipals/{}/appRoleAssignedTo?", resource_id),
                         list);
    }
    return out;
  }

  std::string diagnostic_lines() const {
    std::string out;
    for (const json& record : diagnostic_sign_ins_) out += record.dump() + "\n";
    return out;
  }

  const Company& company_;
  Rng rng_;
  std::string root_;
  std::string tenant_;
  Principal graph_, exchange_, management_;
  std::map<std::string, std::string> user_ids_;  // email to object id
  std::vector<App> apps_;
  std::vector<Principal> managed_;
  json users_ = json::array();
  json applications_ = json::array();
  json principals_ = json::array();
  json grants_ = json::array();
  std::map<std::string, std::vector<json>> assignments_;  // by resource service principal object id
  json graph_sign_ins_ = json::array();
  json diagnostic_sign_ins_ = json::array();
  bool broad_grant_written_ = false;
  PlatformOutput output_;
};

}  // namespace

core::Result<PlatformOutput> generate_entra(const Company& company, const std::string& output_dir) {
  EntraWriter writer(company, output_dir);
  return writer.run();
}

}  // namespace keyward::generator
