#pragma once

// One function per rule file: each appends its provider's rules in a fixed order.
// registry.cpp calls them all to build the built-in catalogue.

#include <vector>

#include "secrets/rule.hpp"

// Rules are written as designated initializers that leave out the fields a rule does not use.
// GCC 12 warns about every omitted member without a default member initializer (platform,
// credential_kind, reference), although the language value-initializes them to empty. Only the
// files that define rules include this header, so the warning stays on everywhere else.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace keyward::secrets {

void add_aws_rules(std::vector<SecretRule>& rules);
void add_gcp_rules(std::vector<SecretRule>& rules);
void add_azure_rules(std::vector<SecretRule>& rules);
void add_cloud_platform_rules(std::vector<SecretRule>& rules);
void add_github_rules(std::vector<SecretRule>& rules);
void add_gitlab_rules(std::vector<SecretRule>& rules);
void add_source_control_rules(std::vector<SecretRule>& rules);
void add_ci_cd_rules(std::vector<SecretRule>& rules);
void add_infrastructure_rules(std::vector<SecretRule>& rules);
void add_package_registry_rules(std::vector<SecretRule>& rules);
void add_chat_rules(std::vector<SecretRule>& rules);
void add_payment_rules(std::vector<SecretRule>& rules);
void add_email_rules(std::vector<SecretRule>& rules);
void add_observability_rules(std::vector<SecretRule>& rules);
void add_ai_rules(std::vector<SecretRule>& rules);
void add_saas_rules(std::vector<SecretRule>& rules);
void add_identity_saas_rules(std::vector<SecretRule>& rules);
void add_database_rules(std::vector<SecretRule>& rules);
void add_private_key_rules(std::vector<SecretRule>& rules);
void add_web_token_rules(std::vector<SecretRule>& rules);
void add_generic_rules(std::vector<SecretRule>& rules);

}  // namespace keyward::secrets
