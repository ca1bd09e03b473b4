#include "secrets/inventory_join.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "inventory/privilege.hpp"
#include "posture/checks/credential_support.hpp"
#include "posture/checks/usage_support.hpp"
#include "secrets/secret_text.hpp"

namespace keyward::secrets {
namespace {

constexpr std::string_view kLastEightLabel = "github-last-eight:";
constexpr size_t kLastEight = 8;
constexpr std::string_view kEllipsis = "…";
// Credential attribute with the GitHub token's documented prefix and last four characters, as
// the credential-authorizations source writes it: "ghp_…fc11".
constexpr std::string_view kTokenRedactedAttribute = "token_redacted";
constexpr size_t kMaxPermissionLines = 10;
constexpr size_t kMaxActionsPerLine = 3;
constexpr size_t kMaxResourcesPerLine = 2;

// A credential of the inventory and the id of the identity it is listed under.
struct Holder {
  const core::Credential* credential = nullptr;
  std::string identity_id;
};

// The text before and after the ellipsis of a redacted form ("ghp_", "fc11"), or nullopt.
std::optional<std::pair<std::string_view, std::string_view>> split_redacted(std::string_view redacted) {
  const size_t ellipsis = redacted.rfind(kEllipsis);
  if (ellipsis == std::string_view::npos) return std::nullopt;
  return std::pair{redacted.substr(0, ellipsis), redacted.substr(ellipsis + kEllipsis.size())};
}

// The last part of a GCP key name: "projects/P/serviceAccounts/E/keys/ID" and "ID" give "ID".
std::string_view last_path_part(std::string_view name) {
  const size_t slash = name.rfind('/');
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

std::string string_attribute(const core::Credential& credential, std::string_view key) {
  auto found = credential.attributes.find(std::string(key));
  if (found == credential.attributes.end() || !found->is_string()) return {};
  return found->get<std::string>();
}

bool matches_last_four(const core::Exposure& exposure, const core::Credential& credential) {
  if (exposure.platform != "github" || credential.platform != "github") return false;
  const auto found = split_redacted(exposure.redacted);
  // split_redacted returns views, so the attribute must outlive them.
  const std::string known_redacted = string_attribute(credential, kTokenRedactedAttribute);
  const auto known = split_redacted(known_redacted);
  if (!found || !known || known->first.empty() || known->second.size() != 4) return false;
  return found->first.starts_with(known->first) && found->second == known->second;
}

// Every credential of the inventory, indexed by each value an exposure can match.
class CredentialIndex {
 public:
  explicit CredentialIndex(const posture::Inventory& inventory) {
    for (const auto& [identity_id, credentials] : inventory.credentials) {
      for (const auto& credential : credentials) add(Holder{&credential, identity_id});
    }
  }

  std::pair<Holder, JoinBasis> find(const core::Exposure& exposure) const {
    if (exposure.platform == "aws" && !exposure.identifier.empty()) {
      if (auto found = aws_key_ids_.find(exposure.identifier); found != aws_key_ids_.end()) {
        return {found->second, JoinBasis::access_key_id};
      }
    }
    if (exposure.platform == "gcp" && !exposure.identifier.empty()) {
      if (auto found = gcp_key_ids_.find(exposure.identifier); found != gcp_key_ids_.end()) {
        return {found->second, JoinBasis::gcp_key_id};
      }
    }
    if (exposure.platform == "github" && !exposure.join_key.empty()) {
      if (auto found = github_last_eight_.find(exposure.join_key); found != github_last_eight_.end()) {
        return {found->second, JoinBasis::github_last_eight};
      }
    }
    // NOTE: when several credentials hold the same fingerprint (one secret shared by several
    // identities), the exposure is matched to the first; nhi.secret.reused reports the sharing.
    if (auto found = fingerprints_.find(exposure.fingerprint); found != fingerprints_.end()) {
      return {found->second, JoinBasis::fingerprint};
    }
    if (exposure.platform == "github") {
      // The last four characters of random base62 tokens rarely repeat within one organization,
      // and a repeat leaves the exposure unmatched rather than pinned on the wrong token.
      const Holder* only = nullptr;
      for (const Holder& holder : github_tokens_) {
        if (!matches_last_four(exposure, *holder.credential)) continue;
        if (only) return {Holder{}, JoinBasis::none};
        only = &holder;
      }
      if (only) return {*only, JoinBasis::github_last_four};
    }
    return {Holder{}, JoinBasis::none};
  }

 private:
  void add(const Holder& holder) {
    const core::Credential& credential = *holder.credential;
    if (credential.platform == "aws" && credential.kind == "aws_access_key" &&
        credential.id.find('#') == std::string::npos) {
      aws_key_ids_.emplace(credential.id, holder);
    }
    if (credential.platform == "gcp" && credential.kind == "gcp_service_account_key") {
      gcp_key_ids_.emplace(std::string(last_path_part(credential.id)), holder);
    }
    if (credential.platform == "github") {
      // Written by the credential-authorizations source from token_last_eight, with the store's key.
      if (std::string key = string_attribute(credential, kTokenLastEightKeyAttribute); !key.empty()) {
        github_last_eight_.emplace(std::move(key), holder);
      }
      if (!string_attribute(credential, kTokenRedactedAttribute).empty()) github_tokens_.push_back(holder);
    }
    if (!credential.fingerprint.empty()) fingerprints_.emplace(credential.fingerprint, holder);
  }

  std::unordered_map<std::string, Holder> aws_key_ids_;
  std::unordered_map<std::string, Holder> gcp_key_ids_;
  std::unordered_map<std::string, Holder> github_last_eight_;
  std::unordered_map<std::string, Holder> fingerprints_;
  std::vector<Holder> github_tokens_;
};

// Joins the first `limit` items with ", " and counts the rest: "a, b, c and 4 more".
std::string join_limited(const std::vector<std::string>& items, size_t limit) {
  std::string text;
  for (size_t i = 0; i < items.size() && i < limit; ++i) {
    if (i > 0) text += ", ";
    text += items[i];
  }
  if (items.size() > limit) text += fmt::format(" and {} more", items.size() - limit);
  return text;
}

std::string describe_grant(const core::Grant& grant) {
  std::string level = grant.level;
  if (level.empty() && grant.platform == "aws") level = inventory::aws_statement_level(grant);
  std::string text;
  if (grant.effect == "Deny") {
    text = "deny: ";
  } else {
    text = fmt::format("{}: ", level.empty() ? "unknown level" : level);
  }
  if (grant.not_action) text += "every action except ";
  text += join_limited(grant.actions, kMaxActionsPerLine);
  if (!grant.resources.empty()) {
    text += grant.not_resource ? " on every resource except " : " on ";
    text += join_limited(grant.resources, kMaxResourcesPerLine);
  }
  if (!grant.source_policy.empty()) text += fmt::format(" ({})", grant.source_policy);
  return text;
}

void fill_permissions(const posture::Inventory& inventory, const core::Identity& identity, ExposureContext& context) {
  auto grants = inventory.grants.find(identity.id);
  const std::vector<core::Grant> none;
  const std::vector<core::Grant>& list = grants == inventory.grants.end() ? none : grants->second;
  for (size_t i = 0; i < list.size() && i < kMaxPermissionLines; ++i) context.permissions.push_back(describe_grant(list[i]));
  if (list.size() > kMaxPermissionLines) {
    context.permissions.push_back(fmt::format("and {} more grants", list.size() - kMaxPermissionLines));
  }

  const report::InventoryEntry* entry = inventory.entry_of(identity.platform, identity.id);
  context.privilege = entry ? entry->privilege : inventory::privilege_of(identity, list);
  if (entry && entry->owner_resolution.status != inventory::OwnerStatus::none) {
    context.owner = report::owner_label(entry->owner_resolution);
  } else {
    context.owner = identity.owner;
  }
}

}  // namespace

std::string github_join_key(std::string_view key, std::string_view token) {
  if (token.size() < kLastEight) return {};
  return github_last_eight_join_key(key, token.substr(token.size() - kLastEight));
}

std::string github_last_eight_join_key(std::string_view key, std::string_view last_eight) {
  if (key.empty() || last_eight.size() != kLastEight) return {};
  std::string labeled(kLastEightLabel);
  labeled.append(last_eight);
  return fingerprint(key, labeled);
}

std::string_view to_string(JoinBasis basis) {
  switch (basis) {
    case JoinBasis::none: return "no match";
    case JoinBasis::access_key_id: return "AWS access key id";
    case JoinBasis::gcp_key_id: return "GCP service account key id (private_key_id)";
    case JoinBasis::github_last_eight: return "last eight characters of the token";
    case JoinBasis::fingerprint: return "secret fingerprint";
    case JoinBasis::github_last_four: return "token prefix and last four characters";
    case JoinBasis::paired_exposure: return "the other half of its pair, found with it";
  }
  return "no match";
}

JoinBasis join_basis(const core::Exposure& exposure, const core::Credential& credential) {
  posture::Inventory single;
  single.credentials[credential.identity_id].push_back(credential);
  return CredentialIndex(single).find(exposure).second;
}

size_t join_exposures(const posture::Inventory& inventory, std::vector<core::Exposure>& exposures) {
  const CredentialIndex index(inventory);
  std::unordered_map<std::string, size_t> matched_by_fingerprint;
  for (size_t i = 0; i < exposures.size(); ++i) {
    core::Exposure& exposure = exposures[i];
    const auto [holder, basis] = index.find(exposure);
    exposure.matched_credential_id = holder.credential ? holder.credential->id : std::string();
    exposure.matched_identity_id = holder.credential ? holder.identity_id : std::string();
    if (holder.credential) matched_by_fingerprint.emplace(exposure.fingerprint, i);
  }

  // Pairs: an AWS secret access key carries no id of its own, but its key id found beside it does.
  // Either half may name the other in paired_fingerprint.
  std::unordered_map<std::string, size_t> matched_by_partner;
  for (const auto& [fingerprint, i] : matched_by_fingerprint) {
    if (!exposures[i].paired_fingerprint.empty()) matched_by_partner.emplace(exposures[i].paired_fingerprint, i);
  }
  for (auto& exposure : exposures) {
    if (!exposure.matched_credential_id.empty()) continue;
    auto partner = matched_by_fingerprint.find(exposure.paired_fingerprint);
    if (exposure.paired_fingerprint.empty() || partner == matched_by_fingerprint.end()) {
      partner = matched_by_partner.find(exposure.fingerprint);
      if (partner == matched_by_partner.end()) continue;
    }
    exposure.matched_credential_id = exposures[partner->second].matched_credential_id;
    exposure.matched_identity_id = exposures[partner->second].matched_identity_id;
  }
  return static_cast<size_t>(std::count_if(exposures.begin(), exposures.end(),
                                           [](const core::Exposure& e) { return !e.matched_credential_id.empty(); }));
}

std::optional<ExposureContext> exposure_context(const posture::Inventory& inventory, const core::Exposure& exposure) {
  if (exposure.matched_credential_id.empty()) return std::nullopt;
  auto credentials = inventory.credentials.find(exposure.matched_identity_id);
  if (credentials == inventory.credentials.end()) return std::nullopt;

  ExposureContext context;
  for (const auto& credential : credentials->second) {
    if (credential.id == exposure.matched_credential_id) {
      context.credential = &credential;
      break;
    }
  }
  if (!context.credential) return std::nullopt;
  const core::Credential& credential = *context.credential;
  for (const auto& identity : inventory.identities) {
    if (identity.id == exposure.matched_identity_id && identity.platform == credential.platform) {
      context.identity = &identity;
      break;
    }
  }

  context.basis = join_basis(exposure, credential);
  if (context.basis == JoinBasis::none) context.basis = JoinBasis::paired_exposure;
  const posture::UseRecord use = posture::credential_last_use(credential, inventory);
  context.last_used = use.time;
  context.last_used_field = use.field;
  context.status = credential.status;
  context.active = !posture::is_inactive_credential(credential) &&
                   !(context.identity && posture::is_inactive_status(context.identity->status));
  if (context.identity) fill_permissions(inventory, *context.identity, context);
  return context;
}

}  // namespace keyward::secrets
