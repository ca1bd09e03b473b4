#include "sources/workspace/scope_levels.hpp"

#include "sources/workspace/fields.hpp"

#include <algorithm>
#include <array>

namespace keyward::sources::workspace {
namespace {

constexpr std::string_view kAuthPrefix = "https://www.googleapis.com/auth/";

struct ScopeRule {
  std::string_view name;  // scope without kAuthPrefix; a trailing '*' matches any suffix
  std::string_view level;
  std::string_view resource_type;
};

// Full access to a person's data is "write": the app acts as the user on that data but cannot
// administer the domain. Admin SDK and Cloud Platform scopes that change settings are "admin".
// Rules are checked in order, so the read-only variants come before their prefixes.
constexpr std::array kRules = {
    ScopeRule{"gmail.readonly", "read", "mailbox"},
    ScopeRule{"gmail.metadata", "read", "mailbox"},
    ScopeRule{"gmail.*", "write", "mailbox"},
    ScopeRule{"drive.readonly", "read", "drive"},
    ScopeRule{"drive.metadata.readonly", "read", "drive"},
    ScopeRule{"drive.photos.readonly", "read", "drive"},
    ScopeRule{"drive*", "write", "drive"},
    ScopeRule{"documents.readonly", "read", "drive"},
    ScopeRule{"documents*", "write", "drive"},
    ScopeRule{"spreadsheets.readonly", "read", "drive"},
    ScopeRule{"spreadsheets*", "write", "drive"},
    ScopeRule{"presentations.readonly", "read", "drive"},
    ScopeRule{"presentations*", "write", "drive"},
    ScopeRule{"calendar.readonly", "read", "calendar"},
    ScopeRule{"calendar.events.readonly", "read", "calendar"},
    ScopeRule{"calendar*", "write", "calendar"},
    ScopeRule{"contacts.readonly", "read", "contacts"},
    ScopeRule{"contacts.other.readonly", "read", "contacts"},
    ScopeRule{"contacts*", "write", "contacts"},
    ScopeRule{"directory.readonly", "read", "contacts"},
    ScopeRule{"admin.*.readonly", "read", "directory"},
    ScopeRule{"admin.reports.*", "read", "directory"},
    ScopeRule{"admin.*", "admin", "directory"},
    ScopeRule{"apps.groups.settings", "admin", "directory"},
    ScopeRule{"ediscovery.readonly", "read", "vault"},
    ScopeRule{"ediscovery", "admin", "vault"},
    ScopeRule{"cloud-platform.read-only", "read", "project"},
    ScopeRule{"cloud-platform", "admin", "project"},
    ScopeRule{"script.*", "write", "script"},
    ScopeRule{"chat.*.readonly", "read", "chat"},
    ScopeRule{"chat.*", "write", "chat"},
    ScopeRule{"tasks.readonly", "read", "tasks"},
    ScopeRule{"tasks", "write", "tasks"},
    ScopeRule{"userinfo.*", "read", "profile"},
};

bool matches(std::string_view pattern, std::string_view name) {
  const size_t star = pattern.find('*');
  if (star == std::string_view::npos) return pattern == name;
  const std::string_view before = pattern.substr(0, star);
  const std::string_view after = pattern.substr(star + 1);
  if (name.size() < before.size() + after.size()) return false;
  return name.substr(0, before.size()) == before && name.substr(name.size() - after.size()) == after;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

ScopeLevel level_of_scope(std::string_view scope) {
  if (scope == "https://mail.google.com/" || scope == "https://mail.google.com") return {"write", "mailbox"};
  if (scope == "openid" || scope == "email" || scope == "profile") return {"read", "profile"};
  std::string_view name = scope;
  if (name.substr(0, kAuthPrefix.size()) == kAuthPrefix) {
    name.remove_prefix(kAuthPrefix.size());
  } else if (name.find("://") != std::string_view::npos) {
    // Scopes of other Google APIs (e.g. https://www.google.com/m8/feeds) are not in the table.
    return {ends_with(name, ".readonly") ? "read" : "", ""};
  }
  for (const ScopeRule& rule : kRules) {
    if (matches(rule.name, name)) return {std::string(rule.level), std::string(rule.resource_type)};
  }
  return {ends_with(name, ".readonly") ? "read" : "", ""};
}

std::vector<std::string> split_scopes(std::string_view text, size_t max_scopes) { return split_list(text, max_scopes); }

}  // namespace keyward::sources::workspace
