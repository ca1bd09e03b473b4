// nhi.secret.reused: one secret that several identities hold, or one non-AWS credential used from
// several unrelated networks or client toolchains. Either way several services (or people) share
// one secret, so none can be rotated, scoped or cut off alone, and a leak from the weakest holder
// opens every other (OWASP NHI9, NHI Reuse).
//
// Two rules:
//   - Same secret, several holders: active credentials on two or more identities (any platform)
//     with the same fingerprint (see secret_fingerprint: a keyed hash of a secret, an SSH public
//     key fingerprint, an Entra certificate thumbprint). Every holder gets a finding, because
//     each one has to replace its copy.
//   - One credential, many places: the rule of aws.access_key.shared for every other platform.
//     A credential is reported when its activity comes from kMinNetworks or more autonomous
//     systems, or kMinToolchains or more client toolchains (see client_toolchain). Managed
//     identities and federated credentials hold no stored secret, and third-party apps run on
//     their vendor's infrastructure, so their activity is not counted. AWS access keys are left
//     to aws.access_key.shared.
//
// NOTE: most user agents outside AWS classify as "other" (enrich/user_agent.cpp recognizes AWS
// clients, browsers and generic HTTP clients), so on other platforms the toolchain count includes
// only browsers, curl, wget, python-requests, python-urllib, go-http-client and PowerShell.

#include <fmt/format.h>

#include <map>
#include <set>

#include "posture/checks/access_key_support.hpp"
#include "posture/checks/usage_support.hpp"

namespace keyward::posture {
namespace {

constexpr size_t kMinNetworks = 3;
constexpr size_t kMinToolchains = 3;

bool is_activity_candidate(const core::Identity& identity, const core::Credential& credential) {
  if (identity.platform == "aws") return false;
  if (identity.kind == "entra_managed_identity" || credential.kind == "entra_federated_credential") return false;
  auto third_party = identity.attributes.find(core::attribute::kThirdParty);
  if (!identity.vendor.empty() || (third_party != identity.attributes.end() && *third_party == true)) return false;
  return !is_inactive_credential(credential);
}

class SecretReusedCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.secret.reused"; }
  std::string_view title() const override { return "One secret is shared by several services or places"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI9"; }
  std::string_view description() const override {
    return "A secret shared by several identities, services or networks cannot be rotated or revoked for one consumer without breaking the others, and a leak from any holder exposes all of them.";
  }
  std::vector<std::string_view> platforms() const override { return {"*"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    report_shared_fingerprints(inventory, findings);
    for (const auto& identity : inventory.identities) {
      auto credentials = inventory.credentials.find(identity.id);
      if (credentials == inventory.credentials.end()) continue;
      for (const auto& credential : credentials->second) {
        if (!is_activity_candidate(identity, credential)) continue;
        auto activity = inventory.activity_by_credential.find(credential.id);
        if (activity == inventory.activity_by_credential.end()) continue;
        report_spread(identity, credential, activity->second, inventory, findings);
      }
    }
  }

 private:
  void report_shared_fingerprints(const Inventory& inventory, std::vector<core::Finding>& findings) const {
    struct Holder {
      const core::Identity* identity;
      const core::Credential* credential;
    };
    std::map<std::string, std::vector<Holder>> by_fingerprint;
    std::map<std::string, std::string> fingerprint_kind;
    for (const auto& identity : inventory.identities) {
      auto credentials = inventory.credentials.find(identity.id);
      if (credentials == inventory.credentials.end()) continue;
      for (const auto& credential : credentials->second) {
        if (is_inactive_credential(credential)) continue;
        const SecretFingerprint fingerprint = secret_fingerprint(credential);
        if (fingerprint.value.empty()) continue;
        by_fingerprint[fingerprint.value].push_back({&identity, &credential});
        fingerprint_kind[fingerprint.value] = fingerprint.kind;
      }
    }
    for (const auto& [fingerprint, holders] : by_fingerprint) {
      std::set<std::pair<std::string, std::string>> distinct;
      for (const auto& holder : holders) distinct.insert({holder.identity->platform, holder.identity->id});
      if (distinct.size() < 2) continue;
      for (const auto& holder : holders) {
        std::vector<std::string> others;
        for (const auto& other : holders) {
          if (other.identity == holder.identity) continue;
          others.push_back(fmt::format("{} {} ({} {})", other.identity->platform, display_name(*other.identity),
                                       other.credential->kind, other.credential->id));
        }
        core::Finding finding = start_finding(*this, *holder.identity, holder.credential);
        finding.title = "Same secret is held by several identities";
        finding.evidence.push_back(make_evidence(fmt::format("{} {} has {} {}, which is also held by {}",
                                                             holder.credential->kind, holder.credential->id,
                                                             fingerprint_kind[fingerprint], fingerprint,
                                                             fmt::join(others, ", "))));
        finding.remediation = fmt::format(
            "Give {} a credential of its own, deploy it to {}'s consumers, then remove the shared one from {}.",
            display_name(*holder.identity), display_name(*holder.identity), display_name(*holder.identity));
        finding.remediation_steps = {"# first add a new credential that only this identity holds, and deploy it"};
        for (auto& step : revoke_credential_steps(*holder.identity, *holder.credential)) {
          finding.remediation_steps.push_back(std::move(step));
        }
        finding.check_first = {
            fmt::format("List the consumers of {} and give them the new credential before the shared one is removed.",
                        display_name(*holder.identity)),
            "Find where the shared private key or secret is stored (a key vault, CI secrets, servers) and who can read "
            "it: every holder is exposed until each has its own.",
        };
        finding.safe_now = false;
        finding.safe_reason = "the identity's consumers still authenticate with the shared credential";
        findings.push_back(std::move(finding));
      }
    }
  }

  void report_spread(const core::Identity& identity, const core::Credential& credential,
                     const ActivityProfile& activity, const Inventory& inventory,
                     std::vector<core::Finding>& findings) const {
    std::set<std::string> networks;
    for (const auto& network : activity.networks) {
      if (is_asn_network(network)) networks.insert(network);
    }
    std::set<std::string> toolchains;
    for (const auto& family : activity.user_agent_families) {
      if (std::string toolchain = client_toolchain(family); !toolchain.empty()) toolchains.insert(toolchain);
    }
    if (networks.size() < kMinNetworks && toolchains.size() < kMinToolchains) return;

    core::Finding finding = start_finding(*this, identity, &credential);
    finding.title = "Credential used from unrelated networks or toolchains";
    const std::string period = fmt::format("between {} and {}", core::format_time(activity.first_seen.value_or(0)),
                                           core::format_time(activity.last_seen.value_or(0)));
    if (networks.size() >= kMinNetworks) {
      finding.evidence.push_back(make_evidence(
          fmt::format("{} {} was used from {} autonomous systems ({}) {} (limit {})", credential.kind, credential.id,
                      networks.size(), fmt::join(networks, ", "), period, kMinNetworks - 1),
          activity.last_seen));
    }
    if (toolchains.size() >= kMinToolchains) {
      finding.evidence.push_back(make_evidence(
          fmt::format("{} {} was used by {} client toolchains ({}) {} (limit {})", credential.kind, credential.id,
                      toolchains.size(), fmt::join(toolchains, ", "), period, kMinToolchains - 1),
          activity.last_seen));
    }
    finding.evidence.push_back(make_evidence(
        fmt::format("{} events in the ingested activity summaries, as of {}", activity.events, describe_as_of(inventory))));
    finding.remediation = fmt::format(
        "Give each consumer of {} its own identity or credential, move them one at a time, then revoke the shared "
        "credential.",
        display_name(identity));
    finding.remediation_steps = {"# per consumer: create its own identity or credential on the platform and deploy it"};
    for (auto& step : revoke_credential_steps(identity, credential)) finding.remediation_steps.push_back(std::move(step));
    finding.check_first = {
        fmt::format("Map each network and client above to a service or person (keyward timeline shows them per day), "
                    "because every one of them fails once {} is revoked.",
                    credential.id),
    };
    finding.safe_now = false;
    finding.safe_reason = "several consumers use the credential now";
    findings.push_back(std::move(finding));
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(SecretReusedCheck);

}  // namespace keyward::posture
