// nhi.secret.exposed: a secret that `keyward scan` found in files, archives or git history is a
// credential of the inventory (OWASP NHI2, Secret Leakage). secrets::join_exposures matched it by
// AWS access key id, GCP key id, GitHub token ending or fingerprint when the inventory loaded.
// One finding per matched credential lists every exposure and location of it.
//
// Severity:
//   low       the credential or its identity is inactive or deleted, or --verify found the
//             secret rejected by its platform.
//   high      the credential is active.
//   critical  the credential is active and the signals below add up to kCriticalSignals or more.
// Signals, in points:
//   2  --verify found the secret active (else 1 for a valid format checksum)
//   2  admin privilege (else 1 for write)
//   1  used within kRecentUseDays of the as-of time
//   1  in git history, so every clone has it
//   1  found in kManyLocations or more places
// The engine adds privilege, recent use and the leak itself to the score, as for every NHI2 finding.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <utility>

#include "posture/checks/access_key_support.hpp"
#include "posture/checks/credential_support.hpp"
#include "posture/checks/usage_support.hpp"
#include "posture/scoring.hpp"
#include "secrets/inventory_join.hpp"

namespace keyward::posture {
namespace {

constexpr int kCriticalSignals = 3;
constexpr size_t kManyLocations = 3;
// Locations named one by one in evidence. The rest are counted in one line.
constexpr size_t kMaxLocationEvidence = 10;
constexpr size_t kMaxPermissionEvidence = 3;
constexpr size_t kShortCommitLength = 12;

// The exposures that matched one credential, and the inventory's records about it.
struct ExposedCredential {
  std::vector<const core::Exposure*> exposures;
  secrets::ExposureContext context;
};

bool in_git_history(const ExposedCredential& exposed) {
  for (const auto* exposure : exposed.exposures) {
    for (const auto& location : exposure->locations) {
      if (!location.commit.empty()) return true;
    }
  }
  return false;
}

size_t location_count(const ExposedCredential& exposed) {
  size_t count = 0;
  for (const auto* exposure : exposed.exposures) count += exposure->locations.size();
  return count;
}

bool any_exposure(const ExposedCredential& exposed, bool (*test)(const core::Exposure&)) {
  for (const auto* exposure : exposed.exposures) {
    if (test(*exposure)) return true;
  }
  return false;
}

bool verified_active(const core::Exposure& exposure) { return exposure.verification == "active"; }
bool verified_inactive(const core::Exposure& exposure) { return exposure.verification == "inactive"; }
bool checksum_valid(const core::Exposure& exposure) { return exposure.checksum_valid; }

bool used_recently(const secrets::ExposureContext& context, core::UnixTime as_of) {
  return context.last_used && *context.last_used >= as_of - static_cast<core::UnixTime>(kRecentUseDays) * core::kSecondsPerDay;
}

core::Severity rate(const ExposedCredential& exposed, core::UnixTime as_of) {
  if (!exposed.context.active || any_exposure(exposed, verified_inactive)) return core::Severity::low;
  int signals = 0;
  if (any_exposure(exposed, verified_active)) {
    signals += 2;
  } else if (any_exposure(exposed, checksum_valid)) {
    signals += 1;
  }
  if (exposed.context.privilege == "admin") signals += 2;
  if (exposed.context.privilege == "write") signals += 1;
  if (used_recently(exposed.context, as_of)) signals += 1;
  if (in_git_history(exposed)) signals += 1;
  if (location_count(exposed) >= kManyLocations) signals += 1;
  return signals >= kCriticalSignals ? core::Severity::critical : core::Severity::high;
}

std::string describe_location(const core::ExposureLocation& location) {
  std::string text = fmt::format("{}:{}:{}", location.path, location.line, location.column);
  if (!location.commit.empty()) {
    text += fmt::format(" in commit {}", location.commit.substr(0, kShortCommitLength));
    if (!location.author.empty()) text += fmt::format(" by {}", location.author);
  }
  if (!location.encoding.empty()) text += fmt::format(" ({}-encoded)", location.encoding);
  return text;
}

std::string describe_exposure(const core::Exposure& exposure) {
  std::string text = fmt::format("{} {} (rule {}) found in {} location{}", exposure.rule_name, exposure.redacted,
                                 exposure.rule_id, exposure.locations.size(), exposure.locations.size() == 1 ? "" : "s");
  if (exposure.checksum_valid) text += "; its format checksum is valid";
  if (!exposure.verification.empty()) text += fmt::format("; --verify: {}", exposure.verification);
  if (exposure.first_seen) text += fmt::format("; first found by a scan on {}", core::format_time(*exposure.first_seen));
  return text;
}

void add_location_evidence(const ExposedCredential& exposed, core::Finding& finding) {
  size_t listed = 0;
  for (const auto* exposure : exposed.exposures) {
    finding.evidence.push_back(make_evidence(describe_exposure(*exposure), exposure->last_seen));
    for (const auto& location : exposure->locations) {
      if (listed == kMaxLocationEvidence) break;
      finding.evidence.push_back(
          make_evidence(fmt::format("{} at {}", exposure->redacted, describe_location(location)), location.commit_time));
      ++listed;
    }
  }
  if (const size_t total = location_count(exposed); total > listed) {
    finding.evidence.push_back(make_evidence(fmt::format("and {} more locations; `keyward exposures` lists them all", total - listed)));
  }
}

void add_context_evidence(const ExposedCredential& exposed, const core::Identity& identity, core::Finding& finding) {
  const secrets::ExposureContext& context = exposed.context;
  const core::Credential& credential = *context.credential;
  finding.evidence.push_back(make_evidence(fmt::format("the secret matches {} of {} {} by {}", describe_credential(credential),
                                                       identity.kind.empty() ? identity.platform : identity.kind,
                                                       display_name(identity), secrets::to_string(context.basis))));

  std::string status = fmt::format("the credential is {}", context.status.empty() ? "of unknown status" : context.status);
  if (identity.status != "active") status += fmt::format(" and its identity is {}", identity.status);
  status += context.last_used ? fmt::format("; {} {}", context.last_used_field, core::format_time(*context.last_used))
                              : std::string("; no use recorded");
  finding.evidence.push_back(make_evidence(std::move(status), context.last_used));

  if (!context.privilege.empty() || !context.permissions.empty()) {
    std::vector<std::string> shown(context.permissions.begin(),
                                   context.permissions.begin() +
                                       static_cast<long>(std::min(context.permissions.size(), kMaxPermissionEvidence)));
    finding.evidence.push_back(make_evidence(
        fmt::format("{} holds {} access{}{}", display_name(identity), context.privilege.empty() ? "unknown" : context.privilege,
                    shown.empty() ? "" : ": ", fmt::join(shown, "; "))));
  }
}

// Steps that stop the exposed secret working, in the platform's terms, before it is removed.
std::vector<std::string> revocation(const core::Identity& identity, const core::Credential& credential,
                                    const core::Exposure& exposure) {
  const std::string& kind = credential.kind;
  if (kind == "aws_access_key") {
    return {
        fmt::format("aws iam create-access-key --user-name {}   # the replacement; deploy it where the old key is used",
                    display_name(identity)),
        access_key_command(identity, credential, "update-access-key", "--status Inactive"),
        fmt::format("aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue={} "
                    "--max-results 50   # calls made with the key, by its owner or by whoever found it",
                    credential.id),
        access_key_command(identity, credential, "delete-access-key"),
    };
  }
  std::vector<std::string> steps;
  if (kind == "github_pat_classic" || kind == "github_pat_fine_grained" || kind == "github_oauth_token" ||
      kind == "github_app_user_token") {
    // GitHub's credential revocation API takes the token itself. On github.com it accepts only
    // unauthenticated requests, and GitHub notifies the token's owner.
    const std::string where =
        exposure.locations.empty() ? std::string("the exposed file") : describe_location(exposure.locations.front());
    steps.push_back(fmt::format(
        "curl -X POST -H \"Accept: application/vnd.github+json\" https://api.github.com/credentials/revoke "
        "-d '{{\"credentials\":[\"<TOKEN>\"]}}'   # <TOKEN> is the {} at {}; send no Authorization header",
        exposure.redacted, where));
  }
  if (kind == "gcp_service_account_key") {
    steps.push_back(fmt::format("gcloud iam service-accounts keys create new-key.json --iam-account={}   # only if a "
                                "key file is still needed: prefer an attached service account or workload identity "
                                "federation",
                                identity.id));
  }
  for (auto& step : revoke_steps(identity, credential)) steps.push_back(std::move(step));
  return steps;
}

std::vector<std::string> cleanup(const ExposedCredential& exposed) {
  std::vector<std::string> steps;
  if (in_git_history(exposed)) {
    steps.push_back(
        "After revoking, remove the secret from git history: git filter-repo --replace-text replacements.txt (one line "
        "'<SECRET>==>REMOVED' per secret), force-push every branch and tag, and have collaborators re-clone. Forks, "
        "clones and caches keep the old commits, so this never replaces revocation.");
  }
  steps.push_back("Delete the secret from the files listed in the evidence and load it from a secret manager or the "
                  "platform's workload identity instead.");
  return steps;
}

class SecretExposedCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.secret.exposed"; }
  std::string_view title() const override { return "Exposed secret is a credential of the inventory"; }
  core::Severity severity() const override { return core::Severity::critical; }
  std::string_view owasp() const override { return "NHI2"; }
  std::string_view description() const override {
    return "A secret found in source files, archives or git history authenticates a known credential. Anyone who can "
           "read the repository or its history can act as the identity with all its permissions until the credential "
           "is revoked; deleting the file or rewriting history does not undo the leak.";
  }
  std::vector<std::string_view> platforms() const override { return {"*"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    std::map<std::pair<std::string, std::string>, ExposedCredential> by_credential;
    for (const auto& exposure : inventory.exposures) {
      if (exposure.matched_credential_id.empty()) continue;
      auto context = secrets::exposure_context(inventory, exposure);
      if (!context) continue;
      auto [entry, inserted] = by_credential.try_emplace({exposure.matched_identity_id, exposure.matched_credential_id});
      if (inserted || entry->second.context.basis == secrets::JoinBasis::paired_exposure) entry->second.context = *context;
      entry->second.exposures.push_back(&exposure);
    }
    for (const auto& [key, exposed] : by_credential) findings.push_back(make_finding(exposed, inventory));
  }

 private:
  core::Finding make_finding(const ExposedCredential& exposed, const Inventory& inventory) const {
    const core::Credential& credential = *exposed.context.credential;
    core::Identity placeholder;
    placeholder.platform = credential.platform;
    placeholder.id = credential.identity_id;
    placeholder.name = credential.identity_id;
    const core::Identity& identity = exposed.context.identity ? *exposed.context.identity : placeholder;

    core::Finding finding = start_finding(*this, identity, &credential);
    finding.severity = rate(exposed, inventory.as_of);
    const bool active = finding.severity != core::Severity::low;
    if (exposed.context.active && !active) {
      finding.title = fmt::format("Exposed secret of {} {} was rejected by --verify but is still listed active",
                                  describe_credential(credential), display_name(identity));
    } else {
      finding.title = fmt::format("Exposed secret is {} {} of {}", active ? "the active" : "the inactive",
                                  describe_credential(credential), display_name(identity));
    }
    add_location_evidence(exposed, finding);
    add_context_evidence(exposed, identity, finding);

    const core::Exposure& first = *exposed.exposures.front();
    if (active) {
      finding.remediation = fmt::format(
          "Revoke {} today and move its consumers to a replacement: anyone who read {} can use it. Then remove the "
          "secret from the files{}.",
          credential.id, in_git_history(exposed) ? "the repository or its history" : "those files",
          in_git_history(exposed) ? " and from git history" : "");
    } else {
      finding.remediation = fmt::format(
          "{} no longer authenticates; delete it so it cannot be re-enabled, and remove the secret from the files{}.",
          credential.id, in_git_history(exposed) ? " and from git history" : "");
    }
    finding.remediation_steps = revocation(identity, credential, first);
    for (auto& step : cleanup(exposed)) finding.remediation_steps.push_back(std::move(step));

    finding.check_first = usage_check_first(inventory, identity, &credential);
    finding.check_first.push_back("That the replacement works in each consumer before the exposed credential is revoked");
    finding.safe_now = !active;
    finding.safe_reason = active ? "revoking stops every consumer that still uses the credential, but whoever read the "
                                   "exposed copy can use it too, so replace it today"
                                 : "the credential no longer authenticates";
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(SecretExposedCheck);

}  // namespace keyward::posture
