#include "sources/gcp/gcp_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace keyward::sources::gcp {
namespace {

constexpr std::string_view kServiceAccountDomain = "gserviceaccount.com";
constexpr std::string_view kIamDomainSuffix = ".iam.gserviceaccount.com";
constexpr std::string_view kIamPrefix = "//iam.googleapis.com/";

// Domains of Google-owned projects that host service agents under .iam.gserviceaccount.com
// besides the gcp-sa-* ones, as listed on Google's "Service agents" reference page.
constexpr std::array<std::string_view, 8> kAgentProjects = {
    "compute-system", "container-engine-robot", "gs-project-accounts", "serverless-robot-prod",
    "cloudcomposer-accounts", "dataflow-service-producer-prod", "dataproc-accounts", "cloud-ml"};

// Keys valid until 9999-12-31T23:59:59Z (253402300799) or later never expire.
constexpr core::UnixTime kNoExpiry = 253402300799 - 86400;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view domain_of(std::string_view email) {
  const size_t at = email.rfind('@');
  return at == std::string_view::npos ? std::string_view() : email.substr(at + 1);
}

std::string_view local_part_of(std::string_view email) {
  const size_t at = email.rfind('@');
  return at == std::string_view::npos ? email : email.substr(0, at);
}

}  // namespace

bool is_service_account_email(std::string_view email) {
  const std::string_view domain = domain_of(email);
  return !local_part_of(email).empty() && (domain == kServiceAccountDomain || ends_with(domain, std::string(".") + std::string(kServiceAccountDomain)));
}

std::string_view service_account_kind(std::string_view email) {
  const std::string_view domain = domain_of(email);
  const std::string_view local = local_part_of(email);
  if (domain == "developer.gserviceaccount.com" || domain == "appspot.gserviceaccount.com") {
    return kDefaultServiceAccountKind;
  }
  if (ends_with(domain, kIamDomainSuffix)) {
    const std::string_view project = domain.substr(0, domain.size() - kIamDomainSuffix.size());
    if (starts_with(project, "gcp-sa-")) return kServiceAgentKind;
    if (std::find(kAgentProjects.begin(), kAgentProjects.end(), project) != kAgentProjects.end()) return kServiceAgentKind;
    // Agents are named service-PROJECT_NUMBER (or service-org-/service-folder-NUMBER).
    if (starts_with(local, "service-") && all_digits(local.substr(local.rfind('-') + 1))) return kServiceAgentKind;
    return kServiceAccountKind;
  }
  // Every other gserviceaccount.com domain (cloudservices, cloudbuild, ...) is Google-managed.
  if (is_service_account_email(email)) return kServiceAgentKind;
  return kServiceAccountKind;
}

std::string project_of_service_account(std::string_view email) {
  const std::string_view domain = domain_of(email);
  if (domain == "appspot.gserviceaccount.com") return std::string(local_part_of(email));
  if (!ends_with(domain, kIamDomainSuffix) || service_account_kind(email) != kServiceAccountKind) return {};
  return std::string(domain.substr(0, domain.size() - kIamDomainSuffix.size()));
}

std::optional<KeyName> parse_key_name(std::string_view name) {
  if (starts_with(name, kIamPrefix)) name.remove_prefix(kIamPrefix.size());
  if (!starts_with(name, "projects/")) return std::nullopt;
  name.remove_prefix(std::string_view("projects/").size());
  const size_t accounts = name.find("/serviceAccounts/");
  if (accounts == std::string_view::npos || accounts == 0) return std::nullopt;
  KeyName parts;
  parts.project = std::string(name.substr(0, accounts));
  name.remove_prefix(accounts + std::string_view("/serviceAccounts/").size());
  const size_t keys = name.find("/keys/");
  if (keys == std::string_view::npos || keys == 0) return std::nullopt;
  parts.service_account = std::string(name.substr(0, keys));
  parts.key_id = std::string(name.substr(keys + std::string_view("/keys/").size()));
  if (parts.key_id.empty() || parts.key_id.find('/') != std::string::npos) return std::nullopt;
  return parts;
}

std::string service_account_of_resource(std::string_view name) {
  if (starts_with(name, kIamPrefix)) name.remove_prefix(kIamPrefix.size());
  const size_t accounts = name.find("/serviceAccounts/");
  if (!starts_with(name, "projects/") || accounts == std::string_view::npos) return {};
  name.remove_prefix(accounts + std::string_view("/serviceAccounts/").size());
  return std::string(name.substr(0, name.find('/')));
}

core::Identity observed_service_account(std::string_view email) {
  core::Identity identity;
  identity.platform = std::string(kPlatform);
  identity.id = std::string(email);
  identity.kind = std::string(service_account_kind(email));
  identity.name = std::string(local_part_of(email));
  identity.account = project_of_service_account(email);
  identity.classification = core::Classification::machine;
  identity.classification_reason = "GCP service account";
  if (identity.kind == kServiceAgentKind) identity.vendor = "Google";
  return identity;
}

core::Identity observed_workload_principal(std::string_view principal) {
  core::Identity identity;
  identity.platform = std::string(kPlatform);
  identity.id = std::string(principal);
  identity.kind = std::string(kWorkloadIdentityKind);
  // The name is the part after the pool: "subject/SUBJECT", "attribute.NAME/VALUE" or "*".
  const size_t pool = principal.find("/workloadIdentityPools/");
  std::string_view name = principal;
  if (pool != std::string_view::npos) {
    name = principal.substr(pool + std::string_view("/workloadIdentityPools/").size());
  }
  identity.name = std::string(name);
  identity.classification = core::Classification::machine;
  identity.classification_reason = "workload identity federation principal";
  return identity;
}

std::string owner_from_description(std::string_view description) {
  std::string lower(description);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t position = lower.find("owner");
  while (position != std::string::npos) {
    size_t value = position + std::string_view("owner").size();
    while (value < lower.size() && lower[value] == ' ') ++value;
    if (value < lower.size() && (lower[value] == ':' || lower[value] == '=')) {
      ++value;
      while (value < lower.size() && lower[value] == ' ') ++value;
      size_t end = value;
      while (end < lower.size() && lower[end] != ' ' && lower[end] != ',' && lower[end] != ';' && lower[end] != ')') ++end;
      std::string_view candidate = description.substr(value, end - value);
      while (!candidate.empty() && candidate.back() == '.') candidate.remove_suffix(1);
      if (candidate.find('@') != std::string_view::npos && candidate.size() <= 254) {
        std::string owner(candidate);
        std::transform(owner.begin(), owner.end(), owner.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return owner;
      }
    }
    position = lower.find("owner", position + 1);
  }
  return {};
}

std::optional<core::UnixTime> key_expiry(core::UnixTime valid_before) {
  if (valid_before >= kNoExpiry) return std::nullopt;
  return valid_before;
}

}  // namespace keyward::sources::gcp
