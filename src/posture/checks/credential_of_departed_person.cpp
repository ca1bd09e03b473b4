// nhi.credential.departed_holder: an active credential held, authorized or created by a person who
// is suspended or deprovisioned in an ingested directory (OWASP NHI1, Improper Offboarding).
// Offboarding disables the person's accounts but not the tokens and keys they made. A personal
// access token, an Okta API token, a downloaded service account key or an OAuth token keeps
// working, and the person who left may still have a copy.
//
// nhi.owner.departed is about the person answerable for an identity (its owner); this check is
// about the person who holds a secret. The holder is, in order:
// - the user who authorized the credential (Salesforce OAuth token attribute `user`);
// - the person who created it (attribute `created_by`, e.g. a GCP key created through the API,
//   whose creator received the private key file);
// - the owner of a personal token or key (identity attribute `shadow`: GitHub tokens and SSH keys,
//   deploy keys, Okta API tokens);
// - for an IAM user, the person its `email` tag or email-shaped user name names;
// - for a person's own account (a Snowflake PERSON user), that person on every directory that
//   shares the email.
// Expired credentials are left to nhi.secret.expired_present.

#include <fmt/format.h>

#include "inventory/owners.hpp"
#include "posture/checks/access_key_support.hpp"
#include "posture/checks/credential_support.hpp"

namespace keyward::posture {
namespace {

struct HolderReference {
  std::string reference;  // email, login or user id, as recorded
  std::string relation;   // "authorized by", "created by", "personal credential of", ...
};

std::string string_value(const nlohmann::json& object, std::string_view key) {
  auto found = object.find(std::string(key));
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string email_tag(const core::Identity& identity) {
  auto tags = identity.attributes.find("tags");
  if (tags == identity.attributes.end() || !tags->is_object()) return {};
  for (const char* key : {"email", "Email", "EMAIL", "user_email"}) {
    const std::string value = string_value(*tags, key);
    if (!value.empty()) return value;
  }
  return {};
}

std::vector<HolderReference> holders_of(const core::Identity& identity, const core::Credential& credential) {
  std::vector<HolderReference> holders;
  auto add = [&holders](std::string reference, std::string relation) {
    if (!reference.empty()) holders.push_back({std::move(reference), std::move(relation)});
  };
  add(string_value(credential.attributes, "user"), "authorized by");
  add(string_value(credential.attributes, std::string(core::attribute::kCreatedBy)), "created by");
  if (identity.attributes.value(std::string(core::attribute::kShadow), false)) {
    add(identity.owner, "personal credential of");
    add(string_value(identity.attributes, std::string(core::attribute::kCreatedBy)), "personal credential created by");
  }
  if (identity.platform == "aws" && identity.kind == "iam_user") {
    add(email_tag(identity), "IAM user tagged with");
    if (identity.name.find('@') != std::string::npos) add(identity.name, "IAM user named");
  }
  if (identity.classification == core::Classification::human && identity.platform != "aws") {
    add(identity.id, "account of");
  }
  return holders;
}

bool departed(const inventory::OwnerResolution& resolution) {
  return resolution.status == inventory::OwnerStatus::deprovisioned ||
         resolution.status == inventory::OwnerStatus::suspended;
}

class DepartedHolderCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.credential.departed_holder"; }
  std::string_view title() const override { return "Active credential held by a person who has left"; }
  core::Severity severity() const override { return core::Severity::high; }
  std::string_view owasp() const override { return "NHI1"; }
  std::string_view description() const override {
    return "Offboarding disables a person's accounts but not the tokens and keys they created or authorized. Those "
           "keep working, and the person who left may still hold a copy.";
  }
  std::vector<std::string_view> platforms() const override { return {"*"}; }

  void run(const Inventory& inventory, const PostureOptions& options,
           std::vector<core::Finding>& findings) const override {
    const inventory::OwnerDirectory directory(inventory.identities);
    if (directory.people() == 0) return;
    for (const auto& identity : inventory.identities) {
      if (is_inactive_status(identity.status)) continue;
      for (const auto& credential : credentials_of(inventory, identity)) {
        if (is_inactive_status(credential.status)) continue;
        if (credential.expires && *credential.expires <= inventory.as_of) continue;
        for (const auto& holder : holders_of(identity, credential)) {
          const inventory::OwnerResolution person = directory.resolve(holder.reference);
          if (!departed(person)) continue;
          findings.push_back(make_finding(identity, credential, holder, person, inventory, options));
          break;
        }
      }
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const core::Credential& credential,
                             const HolderReference& holder, const inventory::OwnerResolution& person,
                             const Inventory& inventory, const PostureOptions& options) const {
    const bool deprovisioned = person.status == inventory::OwnerStatus::deprovisioned;
    const std::string who = person.email.empty() ? person.reference : person.email;
    core::Finding finding = start_finding(*this, identity, &credential);
    finding.severity = deprovisioned ? core::Severity::high : core::Severity::medium;
    finding.title = fmt::format("Active {} {} a person who is {}", credential.kind, holder.relation,
                                inventory::to_string(person.status));

    finding.evidence.push_back(make_evidence(
        fmt::format("{} is active, {} {}", describe_credential(credential), holder.relation, holder.reference),
        credential.created));
    for (const auto& account : person.accounts) {
      finding.evidence.push_back(make_evidence(
          fmt::format("{} is {} in the {} directory (account {})", who, account.status, account.platform, account.id)));
    }
    const UseRecord use = credential_last_use(credential, inventory);
    if (use.time) {
      finding.evidence.push_back(make_evidence(fmt::format("last used {} ({})", core::format_time(*use.time), use.field), use.time));
    }

    finding.remediation = fmt::format(
        "Revoke this credential: {} is {} and may still hold a copy. If a workload depends on it, first give that "
        "workload a credential of a service identity owned by an active team.",
        who, inventory::to_string(person.status));
    finding.remediation_steps = revoke_steps(identity, credential);
    finding.check_first = usage_check_first(inventory, identity, &credential);
    finding.check_first.push_back(
        "Look for the credential in the person's former pipelines, scripts and secret stores; move what still runs to a "
        "service identity.");

    const int unused_days = options.for_identity(identity).unused_days;
    if (use.time && whole_days(*use.time, inventory.as_of) > unused_days) {
      finding.safe_now = true;
      finding.safe_reason = fmt::format("not used since {}, over {} days ago", core::format_date(*use.time), unused_days);
    } else if (use.time) {
      finding.safe_now = false;
      finding.safe_reason = fmt::format("used on {}: something may still depend on it", core::format_date(*use.time));
    }
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(DepartedHolderCheck);

}  // namespace keyward::posture
