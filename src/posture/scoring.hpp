#pragma once

// Risk score of a posture finding, 0-100, as the sum of six parts:
//
//   severity     info 5, low 15, medium 35, high 50, critical 65 (the check's rating of the issue)
//   privilege    what the identity could do with the credential: full administrator, owner or
//                root 20, a privilege-escalation permission set 15, a service-wide wildcard
//                ("s3:*") or write access on another platform 10
//   activity     5 when the credential (or, for identity findings, the identity) was used within
//                kRecentUseDays of the as-of time: a live credential is exploitable today and
//                misuse hides in its normal traffic
//   exposure     up to 20: the secret was leaked (an NHI2 finding) 20, console password without
//                MFA 10, root user 10, held by a third party 5, credential older than one year 5,
//                or older than two years 10
//   vendor trust up to 10: the third party's publisher is unverified 5, the vendor had a known
//                security incident 10
//   blast radius up to 5: reaches an organization or tenant as a whole, or 10 or more resources
//                or scopes, 5; 3 to 9 resources or scopes 2
//
// and capped at 100. The weights rank findings against each other; they are not a probability.

#include <optional>
#include <span>
#include <vector>
#include <string>

#include "core/model.hpp"
#include "posture/check.hpp"

namespace keyward::posture {

inline constexpr int kRecentUseDays = 30;

// Strongest privilege an identity holds, from its policy statements (see posture/policy/).
enum class Privilege { ordinary, service_wildcard, escalation, administrator };

std::string_view to_string(Privilege privilege);

// Judges the identity's grants. The root user is an administrator whatever its grants say.
// NOTE: like posture/policy, this ignores permissions boundaries and SCPs, so it can overstate.
Privilege assess_privilege(const core::Identity& identity, std::span<const core::Grant> grants);

// The facts behind one finding's score.
struct RiskFactors {
  core::Severity severity = core::Severity::medium;
  Privilege privilege = Privilege::ordinary;
  bool used_recently = false;
  bool console_without_mfa = false;
  bool root = false;
  std::optional<long long> credential_age_days;
  bool write_access = false;  // a non-AWS grant or scope of level "write" (AWS uses privilege)
  bool leaked = false;
  bool third_party = false;
  bool unverified_publisher = false;
  std::string vendor_incident;  // title of the vendor's known incident, or ""
  bool organization_wide = false;
  size_t resources_reached = 0;  // distinct resources and scopes in the identity's grants
};

struct RiskScore {
  int total = 0;  // 0-100
  int severity_points = 0;
  int privilege_points = 0;
  int activity_points = 0;
  int exposure_points = 0;
  int vendor_points = 0;
  int blast_radius_points = 0;
};

// Gathers the factors of `finding` from the inventory. `identity` is the finding's identity, or
// nullptr when the inventory has none with that id.
RiskFactors collect_risk_factors(const core::Finding& finding, const core::Identity* identity,
                                 Privilege privilege, const Inventory& inventory);

RiskScore score_risk(const RiskFactors& factors);

// Lists the parts of `score` that are not zero, each with the facts behind it, for the finding's
// risk_factors.
std::vector<core::RiskFactor> describe_risk(const RiskFactors& factors, const RiskScore& score);

}  // namespace keyward::posture
