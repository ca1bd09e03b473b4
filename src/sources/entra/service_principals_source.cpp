// Reads Microsoft Graph GET /servicePrincipals pages: one identity per appId, classified as a
// Microsoft first-party app, an app registered in this tenant, a third-party app or a managed
// identity, with the service principal's own secrets and certificates.

#include <fmt/format.h>

#include <map>

#include "sources/entra/entra_sources.hpp"
#include "sources/entra/graph_common.hpp"

namespace keyward::sources::entra {
namespace {

constexpr std::string_view kSourceName = "entra-service-principals";

struct ReadPrincipal {
  core::Identity identity;
  std::string owner_tenant;  // appOwnerOrganizationId
  bool managed_identity = false;
};

void read_publisher(simdjson::dom::element record, core::Identity& identity) {
  std::string_view publisher;
  bool verified = false;
  simdjson::dom::element verified_publisher;
  if (record["verifiedPublisher"].get(verified_publisher) == simdjson::SUCCESS && verified_publisher.is_object()) {
    publisher = string_or_empty(verified_publisher, "displayName");
    verified = !string_or_empty(verified_publisher, "verifiedPublisherId").empty();
    const auto added = optional_time(verified_publisher, "addedDateTime");
    if (added) identity.attributes["publisher_verified_at"] = core::format_time(*added);
  }
  if (publisher.empty()) publisher = string_or_empty(record, "publisherName");
  if (!publisher.empty()) identity.attributes[std::string(attribute::kPublisher)] = clipped(publisher, 256);
  identity.attributes[std::string(attribute::kPublisherVerified)] = verified;
}

std::optional<ReadPrincipal> read_principal(simdjson::dom::element record, const RecordPosition& position,
                                            const Input& input, ParseContext& ctx) {
  const std::string_view app_id = string_or_empty(record, "appId");
  if (app_id.empty()) {
    report(ctx, input, position,
           "service principal has no appId (the client id that keys it); include appId in $select; record skipped");
    return std::nullopt;
  }
  ReadPrincipal principal;
  core::Identity& identity = principal.identity;
  identity.platform = std::string(kPlatform);
  identity.id = clipped(app_id, 128);
  identity.name = clipped(string_or_empty(record, "displayName"));
  identity.created = optional_time(record, "createdDateTime");
  identity.classification = core::Classification::machine;
  const std::optional<bool> enabled = optional_bool(record, "accountEnabled");
  identity.status = enabled.value_or(true) ? "active" : "disabled";

  const std::string_view type = string_or_empty(record, "servicePrincipalType");
  principal.managed_identity = type == "ManagedIdentity";
  principal.owner_tenant = clipped(string_or_empty(record, "appOwnerOrganizationId"), 64);

  auto& attributes = identity.attributes;
  const std::string_view object_id = string_or_empty(record, "id");
  attributes[std::string(attribute::kAliases)] = nlohmann::json::array();
  if (!object_id.empty()) {
    attributes[std::string(attribute::kAliases)].push_back(clipped(object_id, 128));
    attributes["service_principal_object_id"] = clipped(object_id, 128);
  }
  attributes["source"] = std::string(kSourceName);
  if (!type.empty()) attributes["service_principal_type"] = clipped(type, 64);
  if (!principal.owner_tenant.empty()) attributes["app_owner_organization_id"] = principal.owner_tenant;
  attributes["tags"] = string_array(record, "tags");
  const std::vector<std::string> alternative_names = string_array(record, "alternativeNames");
  if (!alternative_names.empty()) attributes["alternative_names"] = alternative_names;
  read_publisher(record, identity);

  read_password_and_key_credentials(record, identity.id, "service_principal", kSourceName, ctx.batch.credentials);
  return principal;
}

// Returns the tenant that owns the most non-Microsoft applications in the export, which is the
// tenant the export came from, because each vendor's tenant owns only its own few apps. Returns
// "" when no tenant owns at least two apps and more than any other tenant.
// NOTE: a tenant with a single registered app, or a vendor with as many apps as the tenant,
// leaves the home tenant unknown. The tenant's own apps are then reported as third-party.
std::string infer_home_tenant(const std::vector<ReadPrincipal>& principals) {
  std::map<std::string, int> counts;
  for (const auto& principal : principals) {
    if (principal.managed_identity || principal.owner_tenant.empty() || is_microsoft_tenant(principal.owner_tenant)) continue;
    ++counts[principal.owner_tenant];
  }
  std::string best;
  int best_count = 0;
  int second_count = 0;
  for (const auto& [tenant, count] : counts) {
    if (count > best_count) {
      second_count = best_count;
      best_count = count;
      best = tenant;
    } else if (count > second_count) {
      second_count = count;
    }
  }
  return best_count >= 2 && best_count > second_count ? best : std::string();
}

void classify(ReadPrincipal& principal, const std::string& home_tenant) {
  core::Identity& identity = principal.identity;
  auto& attributes = identity.attributes;
  if (principal.managed_identity) {
    identity.kind = "entra_managed_identity";
    identity.classification_reason = "Entra managed identity";
    attributes[std::string(attribute::kThirdParty)] = false;
    return;
  }
  if (is_microsoft_tenant(principal.owner_tenant)) {
    identity.kind = "entra_service_principal";
    identity.vendor = "Microsoft";
    identity.classification_reason = "Microsoft first-party application";
    attributes[std::string(attribute::kThirdParty)] = false;
    attributes["first_party"] = true;
    // Microsoft's own apps carry no verifiedPublisher; their publisher is Microsoft itself.
    attributes[std::string(attribute::kPublisherVerified)] = true;
    return;
  }
  if (!home_tenant.empty() && principal.owner_tenant == home_tenant) {
    // The registration is in this tenant: the applications export describes the same appId.
    identity.kind = "entra_application";
    identity.classification_reason = "Entra app registration";
    attributes[std::string(attribute::kThirdParty)] = false;
    return;
  }
  identity.kind = "entra_service_principal";
  identity.classification_reason = "enterprise application from another tenant";
  attributes[std::string(attribute::kThirdParty)] = true;
  if (attributes.contains(std::string(attribute::kPublisher))) {
    identity.vendor = vendor_name(attributes[std::string(attribute::kPublisher)].get<std::string>());
  }
}

}  // namespace

std::string_view ServicePrincipalsSource::name() const { return kSourceName; }

std::string_view ServicePrincipalsSource::description() const {
  return "Entra enterprise apps and managed identities: Microsoft Graph GET /servicePrincipals pages (or "
         "`az ad sp list --all`)";
}

int ServicePrincipalsSource::detect(std::string_view head, std::string_view /*path*/) const {
  if (!starts_like_json(head)) return 0;
  const bool sp_context = head.find("$metadata#servicePrincipals\"") != std::string_view::npos ||
                          head.find("$metadata#servicePrincipals(") != std::string_view::npos;
  // Role assignment pages are addressed under /servicePrincipals/{id}/ too.
  if (has_json_key(head, "appRoleId")) return 0;
  if (sp_context && has_json_key(head, "appId")) return 95;
  if (has_json_key(head, "appId") && has_json_key(head, "servicePrincipalType")) return 85;
  return 0;
}

core::Status ServicePrincipalsSource::parse(const Input& input, ParseContext& ctx) const {
  std::vector<ReadPrincipal> principals;
  auto status = for_each_json_record(input, ctx, graph_record_options("service principal"),
                                     [&](simdjson::dom::element record, const RecordPosition& position) {
                                       auto principal = read_principal(record, position, input, ctx);
                                       if (principal) principals.push_back(std::move(*principal));
                                     });
  const std::string home_tenant = infer_home_tenant(principals);
  for (auto& principal : principals) {
    classify(principal, home_tenant);
    if (!home_tenant.empty()) principal.identity.account = home_tenant;
    ctx.batch.identities.push_back(std::move(principal.identity));
  }
  return status;
}

}  // namespace keyward::sources::entra
