#include "secrets/rules/rule_lists.hpp"

namespace keyward::secrets {
namespace {

std::vector<SecretRule> build_catalogue() {
  std::vector<SecretRule> rules;
  rules.reserve(256);
  add_aws_rules(rules);
  add_gcp_rules(rules);
  add_azure_rules(rules);
  add_cloud_platform_rules(rules);
  add_github_rules(rules);
  add_gitlab_rules(rules);
  add_source_control_rules(rules);
  add_ci_cd_rules(rules);
  add_infrastructure_rules(rules);
  add_package_registry_rules(rules);
  add_chat_rules(rules);
  add_payment_rules(rules);
  add_email_rules(rules);
  add_observability_rules(rules);
  add_ai_rules(rules);
  add_saas_rules(rules);
  add_identity_saas_rules(rules);
  add_database_rules(rules);
  add_private_key_rules(rules);
  add_web_token_rules(rules);
  // Keyword-anchored fallbacks come after every specific format.
  add_generic_rules(rules);
  return rules;
}

}  // namespace

const std::vector<SecretRule>& builtin_rules() {
  // A function-local static is initialized once, and thread-safely, on first use.
  static const std::vector<SecretRule> kRules = build_catalogue();
  return kRules;
}

std::string_view to_string(Category category) {
  switch (category) {
    case Category::cloud: return "cloud";
    case Category::source_control: return "source_control";
    case Category::ci_cd: return "ci_cd";
    case Category::package_registry: return "package_registry";
    case Category::chat: return "chat";
    case Category::payments: return "payments";
    case Category::email: return "email";
    case Category::observability: return "observability";
    case Category::ai: return "ai";
    case Category::database: return "database";
    case Category::private_key: return "private_key";
    case Category::url_credential: return "url_credential";
    case Category::saas: return "saas";
    case Category::generic: return "generic";
  }
  return "unknown";
}

}  // namespace keyward::secrets
