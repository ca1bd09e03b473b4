#include "sources/aws/authorization_details_principals.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/time.hpp"

namespace keyward::sources::aws {
namespace {

using nlohmann::json;

constexpr std::string_view kServiceLinkedPath = "/aws-service-role/";

// Principals named by the Allow statements of a trust policy, by principal type.
struct TrustedPrincipals {
  std::vector<std::string> services;
  std::vector<std::string> federated;
  bool others = false;  // AWS accounts, roles, users, "*" or anything not understood
};

void add_principal_values(const json& value, std::vector<std::string>& out, bool& others) {
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      } else {
        others = true;
      }
    }
  } else {
    others = true;
  }
}

void add_statement_principals(const json& statement, TrustedPrincipals& trusted) {
  if (!statement.is_object() || string_field(statement, "Effect") != "Allow") return;
  auto principal = statement.find("Principal");
  if (principal == statement.end() || !principal->is_object()) {
    trusted.others = true;  // "Principal": "*", NotPrincipal, or a malformed entry
    return;
  }
  for (const auto& [type, value] : principal->items()) {
    if (type == "Service") {
      add_principal_values(value, trusted.services, trusted.others);
    } else if (type == "Federated") {
      add_principal_values(value, trusted.federated, trusted.others);
    } else {
      trusted.others = true;
    }
  }
}

TrustedPrincipals read_trusted_principals(const json& trust_policy) {
  TrustedPrincipals trusted;
  if (!trust_policy.is_object()) {
    trusted.others = true;
    return trusted;
  }
  auto statements = trust_policy.find("Statement");
  if (statements == trust_policy.end()) {
    trusted.others = true;
  } else if (statements->is_array()) {
    for (const auto& statement : *statements) add_statement_principals(statement, trusted);
  } else {
    add_statement_principals(*statements, trusted);
  }
  return trusted;
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) text += ", ";
    text += item;
  }
  return text;
}

bool is_saml_provider(const std::string& principal) {
  return principal.find(":saml-provider/") != std::string::npos;
}

bool is_workload_oidc_provider(const std::string& principal) {
  return principal.find(":oidc-provider/token.actions.githubusercontent.com") != std::string::npos ||
         principal.find(":oidc-provider/oidc.eks.") != std::string::npos;
}

json tags_object(const json& entry) {
  json tags = json::object();
  auto list = entry.find("Tags");
  if (list == entry.end() || !list->is_array()) return tags;
  for (const auto& tag : *list) {
    if (!tag.is_object()) continue;
    std::string key = string_field(tag, "Key");
    if (!key.empty()) tags[key] = string_field(tag, "Value");
  }
  return tags;
}

std::string permissions_boundary(const json& entry) {
  auto boundary = entry.find("PermissionsBoundary");
  if (boundary == entry.end() || !boundary->is_object()) return {};
  return string_field(*boundary, "PermissionsBoundaryArn");
}

// Fills what users and roles share: id, name, account, created, path, tags and boundary.
core::Identity read_common(const json& entry, const char* name_key, std::string kind) {
  core::Identity identity;
  identity.platform = "aws";
  identity.id = string_field(entry, "Arn");
  identity.kind = std::move(kind);
  identity.name = string_field(entry, name_key);
  if (identity.name.empty()) identity.name = identity.id.substr(identity.id.rfind('/') + 1);
  identity.account = account_from_arn(identity.id);
  identity.created = core::parse_time(string_field(entry, "CreateDate"));
  identity.attributes["path"] = string_field(entry, "Path");
  identity.attributes["tags"] = tags_object(entry);
  std::string boundary = permissions_boundary(entry);
  if (!boundary.empty()) identity.attributes["permissions_boundary"] = boundary;
  return identity;
}

}  // namespace

std::string string_field(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto value = object.find(key);
  if (value == object.end() || !value->is_string()) return {};
  return value->get<std::string>();
}

std::string account_from_arn(std::string_view arn) {
  // arn:partition:service:region:account:resource
  std::size_t start = 0;
  for (int field = 0; field < 4; ++field) {
    start = arn.find(':', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  std::size_t end = arn.find(':', start);
  if (end == std::string_view::npos) return {};
  return std::string(arn.substr(start, end - start));
}

RoleClassification classify_role(std::string_view path, const json& trust_policy) {
  if (path.starts_with(kServiceLinkedPath)) {
    std::string_view service = path.substr(kServiceLinkedPath.size());
    service = service.substr(0, service.find('/'));
    return {core::Classification::machine,
            fmt::format("service-linked role: only the AWS service {} can assume it", service)};
  }

  TrustedPrincipals trusted = read_trusted_principals(trust_policy);
  if (trusted.others) return {};
  if (!trusted.services.empty() && trusted.federated.empty()) {
    return {core::Classification::machine,
            fmt::format("trust policy lets only AWS services assume it: {}", join(trusted.services))};
  }
  if (trusted.federated.empty() || !trusted.services.empty()) return {};
  if (std::all_of(trusted.federated.begin(), trusted.federated.end(), is_workload_oidc_provider)) {
    return {core::Classification::machine,
            fmt::format("trust policy lets only workload identity providers assume it: {}",
                        join(trusted.federated))};
  }
  if (std::all_of(trusted.federated.begin(), trusted.federated.end(), is_saml_provider)) {
    return {core::Classification::human,
            fmt::format("trust policy allows only SAML sign-in through {}, which people use",
                        join(trusted.federated))};
  }
  return {};
}

core::Identity read_user_identity(const json& user) {
  core::Identity identity = read_common(user, "UserName", "iam_user");
  identity.attributes["user_id"] = string_field(user, "UserId");
  json groups = json::array();
  auto list = user.find("GroupList");
  if (list != user.end() && list->is_array()) {
    for (const auto& group : *list) {
      if (group.is_string()) groups.push_back(group);
    }
  }
  identity.attributes["groups"] = std::move(groups);
  return identity;
}

core::Identity read_role_identity(const json& role, const json& trust_policy) {
  std::string path = string_field(role, "Path");
  bool service_linked = std::string_view(path).starts_with(kServiceLinkedPath);
  core::Identity identity = read_common(role, "RoleName", service_linked ? "service_linked_role" : "iam_role");
  identity.attributes["role_id"] = string_field(role, "RoleId");
  identity.attributes["trust_policy"] = trust_policy;

  json profiles = json::array();
  auto list = role.find("InstanceProfileList");
  if (list != role.end() && list->is_array()) {
    for (const auto& profile : *list) {
      std::string arn = string_field(profile, "Arn");
      if (!arn.empty()) profiles.push_back(arn);
    }
  }
  identity.attributes["instance_profiles"] = std::move(profiles);

  auto last_used = role.find("RoleLastUsed");
  if (last_used != role.end() && last_used->is_object()) {
    identity.last_used = core::parse_time(string_field(*last_used, "LastUsedDate"));
    std::string region = string_field(*last_used, "Region");
    if (!region.empty()) identity.attributes["last_used_region"] = region;
  }
  auto session = role.find("MaxSessionDuration");
  if (session != role.end() && session->is_number_integer()) {
    identity.attributes["max_session_duration"] = *session;
  }

  RoleClassification classification = classify_role(path, trust_policy);
  identity.classification = classification.classification;
  identity.classification_reason = std::move(classification.reason);
  return identity;
}

}  // namespace keyward::sources::aws
