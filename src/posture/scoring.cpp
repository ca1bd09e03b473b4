#include "posture/scoring.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "posture/policy/broad_access.hpp"
#include "posture/policy/escalation_paths.hpp"

namespace keyward::posture {
namespace {

constexpr int kMaxExposurePoints = 20;
constexpr int kMaxVendorPoints = 10;
constexpr int kWideReach = 10;  // resources or scopes
constexpr int kModerateReach = 3;
constexpr long long kDaysPerYear = 365;

int severity_points(core::Severity severity) {
  switch (severity) {
    case core::Severity::info: return 5;
    case core::Severity::low: return 15;
    case core::Severity::medium: return 35;
    case core::Severity::high: return 50;
    case core::Severity::critical: return 65;
  }
  return 0;
}

int privilege_points(Privilege privilege) {
  switch (privilege) {
    case Privilege::ordinary: return 0;
    case Privilege::service_wildcard: return 10;
    case Privilege::escalation: return 15;
    case Privilege::administrator: return 20;
  }
  return 0;
}

const core::Credential* find_credential(const Inventory& inventory, const std::string& identity_id,
                                        const std::string& credential_id) {
  auto list = inventory.credentials.find(identity_id);
  if (list == inventory.credentials.end()) return nullptr;
  for (const auto& credential : list->second) {
    if (credential.id == credential_id) return &credential;
  }
  return nullptr;
}

std::optional<core::UnixTime> latest_activity(const std::map<std::string, ActivityProfile>& profiles,
                                              const std::string& id) {
  auto found = profiles.find(id);
  return found == profiles.end() ? std::nullopt : found->second.last_seen;
}

bool within_recent_use(std::optional<core::UnixTime> a, std::optional<core::UnixTime> b, core::UnixTime as_of) {
  const core::UnixTime limit = as_of - static_cast<core::UnixTime>(kRecentUseDays) * core::kSecondsPerDay;
  return (a && *a >= limit) || (b && *b >= limit);
}

// Reads what the inventory entry knows about privilege, third parties and reach.
void add_inventory_factors(const report::InventoryEntry& entry, RiskFactors& factors) {
  if (entry.identity.platform != "aws") {
    if (entry.privilege == "admin" && factors.privilege < Privilege::administrator) {
      factors.privilege = Privilege::administrator;
    }
    factors.write_access = entry.privilege == "write";
  }
  factors.third_party = entry.third_party;
  factors.unverified_publisher = entry.third_party && entry.publisher_verified == false;

  std::set<std::string> reached(entry.scopes.begin(), entry.scopes.end());
  for (const auto& grant : entry.grants) {
    if (grant.effect != "Allow") continue;
    if (grant.resource_type == "organization" || grant.resource_type == "tenant" || grant.resource_type == "account") {
      factors.organization_wide = true;
    }
    for (const auto& resource : grant.resources) {
      if (resource == "*") {
        factors.organization_wide = true;
      } else {
        reached.insert(resource);
      }
    }
  }
  factors.resources_reached = reached.size();
}

}  // namespace

std::string_view to_string(Privilege privilege) {
  switch (privilege) {
    case Privilege::ordinary: return "ordinary";
    case Privilege::service_wildcard: return "service_wildcard";
    case Privilege::escalation: return "escalation";
    case Privilege::administrator: return "administrator";
  }
  return "ordinary";
}

Privilege assess_privilege(const core::Identity& identity, std::span<const core::Grant> grants) {
  if (identity.kind == "root") return Privilege::administrator;
  if (grants.empty()) return Privilege::ordinary;
  if (policy::is_full_administrator(grants)) return Privilege::administrator;
  if (!policy::find_escalation_paths(grants).empty()) return Privilege::escalation;
  if (!policy::find_broad_access(grants).empty()) return Privilege::service_wildcard;
  return Privilege::ordinary;
}

RiskFactors collect_risk_factors(const core::Finding& finding, const core::Identity* identity,
                                 Privilege privilege, const Inventory& inventory) {
  RiskFactors factors;
  factors.severity = finding.severity;
  factors.privilege = privilege;
  const core::UnixTime as_of = finding.as_of.value_or(inventory.as_of);

  const core::Credential* credential =
      finding.credential_id.empty() ? nullptr : find_credential(inventory, finding.identity.id, finding.credential_id);
  if (credential) {
    factors.used_recently = within_recent_use(
        credential->last_used, latest_activity(inventory.activity_by_credential, credential->id), as_of);
    if (credential->created) factors.credential_age_days = (as_of - *credential->created) / core::kSecondsPerDay;
  } else if (identity) {
    factors.used_recently =
        within_recent_use(identity->last_used, latest_activity(inventory.activity_by_identity, identity->id), as_of);
  }

  if (const report::InventoryEntry* entry = identity ? inventory.entry_of(identity->platform, identity->id) : nullptr) {
    add_inventory_factors(*entry, factors);
  }
  factors.leaked = finding.owasp == "NHI2";

  if (identity) {
    factors.root = identity->kind == "root";
    const nlohmann::json& attributes = identity->attributes;
    factors.console_without_mfa = attributes.value("password_enabled", nlohmann::json()) == true &&
                                  attributes.value("mfa_active", nlohmann::json()) != true;
  }
  return factors;
}

RiskScore score_risk(const RiskFactors& factors) {
  RiskScore score;
  score.severity_points = severity_points(factors.severity);
  score.privilege_points = privilege_points(factors.privilege);
  score.activity_points = factors.used_recently ? 5 : 0;

  if (factors.privilege == Privilege::ordinary && factors.write_access) score.privilege_points = 10;

  int exposure = 0;
  if (factors.leaked) exposure += 20;
  if (factors.third_party) exposure += 5;
  if (factors.console_without_mfa) exposure += 10;
  if (factors.root) exposure += 10;
  if (factors.credential_age_days && *factors.credential_age_days > 2 * kDaysPerYear) {
    exposure += 10;
  } else if (factors.credential_age_days && *factors.credential_age_days > kDaysPerYear) {
    exposure += 5;
  }
  score.exposure_points = std::min(exposure, kMaxExposurePoints);

  int vendor = 0;
  if (factors.unverified_publisher) vendor += 5;
  if (!factors.vendor_incident.empty()) vendor += 10;
  score.vendor_points = std::min(vendor, kMaxVendorPoints);

  if (factors.organization_wide || factors.resources_reached >= kWideReach) {
    score.blast_radius_points = 5;
  } else if (factors.resources_reached >= kModerateReach) {
    score.blast_radius_points = 2;
  }

  score.total = std::min(100, score.severity_points + score.privilege_points + score.activity_points +
                                  score.exposure_points + score.vendor_points + score.blast_radius_points);
  return score;
}

std::vector<core::RiskFactor> describe_risk(const RiskFactors& factors, const RiskScore& score) {
  std::vector<core::RiskFactor> parts;
  parts.push_back({"severity", score.severity_points, fmt::format("rated {} by the check", core::to_string(factors.severity))});
  if (score.privilege_points > 0) {
    const std::string detail = factors.privilege == Privilege::ordinary ? std::string("write access")
                                                                       : std::string(to_string(factors.privilege));
    parts.push_back({"privilege", score.privilege_points, detail});
  }
  if (score.activity_points > 0) {
    parts.push_back({"activity", score.activity_points, fmt::format("used within the last {} days", kRecentUseDays)});
  }
  if (score.exposure_points > 0) {
    std::vector<std::string> reasons;
    if (factors.leaked) reasons.push_back("secret exposed");
    if (factors.third_party) reasons.push_back("held by a third party");
    if (factors.console_without_mfa) reasons.push_back("console password without MFA");
    if (factors.root) reasons.push_back("root user");
    if (factors.credential_age_days && *factors.credential_age_days > kDaysPerYear) {
      reasons.push_back(fmt::format("credential {} days old", *factors.credential_age_days));
    }
    parts.push_back({"exposure", score.exposure_points, fmt::format("{}", fmt::join(reasons, ", "))});
  }
  if (score.vendor_points > 0) {
    std::vector<std::string> reasons;
    if (factors.unverified_publisher) reasons.push_back("unverified publisher");
    if (!factors.vendor_incident.empty()) reasons.push_back("vendor incident: " + factors.vendor_incident);
    parts.push_back({"vendor_trust", score.vendor_points, fmt::format("{}", fmt::join(reasons, ", "))});
  }
  if (score.blast_radius_points > 0) {
    const std::string detail = factors.organization_wide
                                   ? std::string("reaches a whole organization, tenant or account")
                                   : fmt::format("reaches {} resources or scopes", factors.resources_reached);
    parts.push_back({"blast_radius", score.blast_radius_points, detail});
  }
  return parts;
}

}  // namespace keyward::posture
