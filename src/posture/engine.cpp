#include "posture/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "posture/context.hpp"
#include "posture/inventory.hpp"
#include "posture/scoring.hpp"

namespace keyward::posture {
namespace {

constexpr std::string_view kReportTimeSetting = "aws.credential_report.generated_time";
constexpr std::string_view kVendorIncidentRule = "nhi.third_party.vendor_incident";

// Picks the time ages are measured against: --as-of, else the credential report's generation
// time (so a report read a month later gives the same findings), else now.
core::Result<std::pair<core::UnixTime, std::string>> resolve_as_of(store::Store& store, const PostureOptions& options) {
  if (options.as_of) return std::pair<core::UnixTime, std::string>{*options.as_of, "--as-of"};
  auto setting = store.get_setting(std::string(kReportTimeSetting));
  if (!setting.ok()) return setting.error();
  if (setting->has_value()) {
    if (auto time = core::parse_time(**setting)) {
      return std::pair<core::UnixTime, std::string>{*time, "credential report GeneratedTime"};
    }
  }
  return std::pair<core::UnixTime, std::string>{core::now(), "now"};
}

// Fills what checks leave to the engine: identity names, as-of, first/last seen, the score with
// its factors, the business context and, when the check did not decide it, remediation safety.
void complete_findings(std::vector<core::Finding>& findings, const Inventory& inventory, const PostureOptions& options) {
  std::unordered_map<std::string, const core::Identity*> identities;
  for (const auto& identity : inventory.identities) identities.emplace(identity.id, &identity);
  std::unordered_map<std::string, Privilege> privileges;  // computed once per identity
  // A vendor incident raises the risk of every finding on the vendor's identities, so the
  // vendor-incident check's findings are looked up by identity.
  std::unordered_map<std::string, std::string> incidents;
  for (const auto& finding : findings) {
    if (finding.rule == kVendorIncidentRule) incidents.emplace(finding.identity.platform + '\x1f' + finding.identity.id, finding.title);
  }

  for (auto& finding : findings) {
    auto found = identities.find(finding.identity.id);
    const core::Identity* identity = found == identities.end() ? nullptr : found->second;
    if (identity && finding.identity.name.empty()) finding.identity.name = identity->name;
    if (identity && finding.identity.platform.empty()) finding.identity.platform = identity->platform;
    finding.as_of = inventory.as_of;
    if (!finding.first_seen) finding.first_seen = inventory.as_of;
    finding.last_seen = inventory.as_of;

    Privilege privilege = Privilege::ordinary;
    if (identity) {
      auto cached = privileges.find(identity->id);
      if (cached == privileges.end()) {
        auto grants = inventory.grants.find(identity->id);
        const std::span<const core::Grant> list =
            grants == inventory.grants.end() ? std::span<const core::Grant>{} : std::span<const core::Grant>(grants->second);
        cached = privileges.emplace(identity->id, assess_privilege(*identity, list)).first;
      }
      privilege = cached->second;
    }
    RiskFactors factors = collect_risk_factors(finding, identity, privilege, inventory);
    if (auto incident = incidents.find(finding.identity.platform + '\x1f' + finding.identity.id); incident != incidents.end()) {
      factors.vendor_incident = incident->second;
    }
    const RiskScore score = score_risk(factors);
    finding.score = score.total;
    finding.risk_factors = describe_risk(factors, score);

    const report::InventoryEntry* entry = inventory.entry_of(finding.identity.platform, finding.identity.id);
    finding.context = build_context(identity, entry);
    const Thresholds thresholds = identity ? options.for_identity(*identity) : options.for_platform(finding.identity.platform);
    fill_default_safety(finding, inventory, thresholds.unused_days);
  }
}

auto finding_key(const core::Finding& finding) {
  return std::tie(finding.rule, finding.identity.platform, finding.identity.id, finding.credential_id);
}

// Copies status and first_seen from the store, which keeps them across runs (an acknowledged or
// muted finding stays so).
core::Status apply_stored_state(store::Store& store, std::vector<core::Finding>& findings) {
  auto stored = store.list_findings(false);
  if (!stored.ok()) return stored.error();
  std::map<std::tuple<std::string, std::string, std::string, std::string>, const core::Finding*> by_key;
  for (const auto& finding : *stored) {
    by_key.emplace(std::make_tuple(finding.rule, finding.identity.platform, finding.identity.id, finding.credential_id),
                   &finding);
  }
  for (auto& finding : findings) {
    auto found = by_key.find(std::make_tuple(finding.rule, finding.identity.platform, finding.identity.id,
                                             finding.credential_id));
    if (found == by_key.end()) continue;
    finding.status = found->second->status;
    finding.status_reason = found->second->status_reason;
    finding.status_until = found->second->status_until;
    finding.recurring = found->second->recurring;
    if (found->second->first_seen) finding.first_seen = found->second->first_seen;
  }
  return {};
}

}  // namespace

core::Result<std::pair<core::UnixTime, std::string>> resolve_posture_as_of(store::Store& store,
                                                                           std::optional<core::UnixTime> as_of) {
  PostureOptions options;
  options.as_of = as_of;
  return resolve_as_of(store, options);
}

core::Result<PostureRun> run_posture(store::Store& store, const PostureOptions& options) {
  auto as_of = resolve_as_of(store, options);
  if (!as_of.ok()) return as_of.error();
  auto loaded = load_inventory(store);
  if (!loaded.ok()) return loaded.error();
  Inventory& inventory = *loaded;
  inventory.as_of = as_of->first;
  inventory.as_of_source = as_of->second;

  std::vector<core::Finding> findings;
  for (const auto& check : make_checks()) check->run(inventory, options, findings);
  complete_findings(findings, inventory, options);
  std::sort(findings.begin(), findings.end(), [](const core::Finding& a, const core::Finding& b) {
    if (a.score != b.score) return a.score > b.score;
    return finding_key(a) < finding_key(b);
  });

  if (auto status = store.sync_findings(findings, inventory.as_of); !status) return status.error();
  if (auto status = apply_stored_state(store, findings); !status) return status.error();

  PostureRun run;
  run.findings = std::move(findings);
  run.as_of = inventory.as_of;
  run.as_of_source = inventory.as_of_source;
  return run;
}

}  // namespace keyward::posture
