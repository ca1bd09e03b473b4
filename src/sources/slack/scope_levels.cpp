#include "sources/slack/scope_levels.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace keyward::sources::slack {
namespace {

// Scopes whose level does not follow from their suffix. Legacy workspace-app and classic-app
// scopes are included because old apps still hold them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kExactLevels = {{
    {"admin", "admin"},
    {"client", "admin"},  // classic full-access scope of legacy tokens
    {"bot", "write"},     // classic bot scope: post, read and react as the bot
    {"commands", "write"},
    {"incoming-webhook", "write"},
    {"identify", "read"},
    {"post", "write"},
    {"read", "read"},
    {"links:embed:write", "write"},
    {"users:read.email", "read"},
    {"identity.basic", "read"},
    {"identity.email", "read"},
    {"identity.team", "read"},
    {"identity.avatar", "read"},
}};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

int rank(std::string_view level) {
  if (level == "admin") return 3;
  if (level == "write") return 2;
  if (level == "read") return 1;
  return 0;
}

}  // namespace

std::string scope_level(std::string_view scope) {
  for (const auto& [name, level] : kExactLevels) {
    if (scope == name) return std::string(level);
  }
  if (scope.substr(0, 6) == "admin." || scope.substr(0, 6) == "admin:") return "admin";
  if (ends_with(scope, ":read") || ends_with(scope, ":history") || ends_with(scope, ".read")) return "read";
  if (ends_with(scope, ":write") || ends_with(scope, ".write") || scope.find(":write.") != std::string_view::npos) {
    return "write";
  }
  return "";
}

std::string app_privilege(const std::vector<std::string>& scopes) {
  const auto has = [&](std::string_view name) { return std::find(scopes.begin(), scopes.end(), name) != scopes.end(); };
  if (has("files:write") && has("users:read.email")) return "admin";
  std::string best;
  for (const auto& scope : scopes) {
    const std::string level = scope_level(scope);
    if (rank(level) > rank(best)) best = level;
  }
  return best;
}

}  // namespace keyward::sources::slack
