#include "sources/gcp/role_levels.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace keyward::sources::gcp {
namespace {

// Roles whose level the name rules below would get wrong. The impersonation roles let a member
// act as (or mint tokens for) a service account with all its grants, so they count as admin.
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kExactRoles = {{
    {"roles/owner", "admin"},
    {"roles/editor", "write"},
    {"roles/viewer", "read"},
    {"roles/browser", "read"},
    {"roles/iam.serviceAccountTokenCreator", "admin"},
    {"roles/iam.serviceAccountUser", "admin"},
    {"roles/iam.workloadIdentityUser", "admin"},
    {"roles/iam.serviceAccountKeyAdmin", "admin"},
    {"roles/resourcemanager.projectIamAdmin", "admin"},
    {"roles/iam.securityReviewer", "read"},
}};

// Words at the end of a predefined role's name, lower-cased, from the strongest level down.
constexpr std::array<std::string_view, 2> kAdminSuffixes = {"admin", "owner"};
constexpr std::array<std::string_view, 6> kReadSuffixes = {"viewer", "reader", "browser", "getter", "lister", "accessor"};
constexpr std::array<std::string_view, 12> kWriteSuffixes = {"editor",  "writer",    "developer", "user",
                                                             "creator", "invoker",   "publisher", "subscriber",
                                                             "client",  "deployer",  "updater",   "agent"};

bool ends_with_any(std::string_view text, const auto& suffixes) {
  return std::any_of(suffixes.begin(), suffixes.end(), [&](std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
  });
}

}  // namespace

std::string_view role_level(std::string_view role) {
  for (const auto& [name, level] : kExactRoles) {
    if (role == name) return level;
  }
  if (role.substr(0, 6) != "roles/") return "";  // custom role or not a role at all
  std::string name(role.substr(role.rfind('.') == std::string_view::npos ? 6 : role.rfind('.') + 1));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ends_with_any(name, kAdminSuffixes)) return "admin";
  if (ends_with_any(name, kReadSuffixes)) return "read";
  if (ends_with_any(name, kWriteSuffixes)) return "write";
  return "";
}

}  // namespace keyward::sources::gcp
