// Containment commands per platform, for detect::containment_command. Each names the smallest
// step that stops the actor: the credential when the log names one, else the identity. The
// commands use each vendor's documented CLI or REST endpoint; $VARIABLES are the operator's own
// admin credentials and organization, which keyward never holds.

#include <fmt/format.h>

#include "detect/detectors/aws_event_helpers.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

using aws::shell_word;

std::string gcp_containment(const core::Event& event) {
  if (!event.credential_id.empty()) {
    return fmt::format("gcloud iam service-accounts keys disable {} --iam-account={}", shell_word(event.credential_id),
                       shell_word(event.identity_id));
  }
  return fmt::format("gcloud iam service-accounts disable {}", shell_word(event.identity_id));
}

std::string entra_containment(const core::Event& event) {
  if (!event.credential_id.empty()) {
    return fmt::format("az ad sp credential delete --id {} --key-id {}", shell_word(event.identity_id),
                       shell_word(event.credential_id));
  }
  return fmt::format("az ad sp update --id {} --set accountEnabled=false", shell_word(event.identity_id));
}

std::string okta_containment(const core::Event& event) {
  if (event.identity_type == "ApiToken" || (!event.credential_id.empty() && event.credential_id == event.identity_id)) {
    return fmt::format(
        "curl -X DELETE \"https://$OKTA_DOMAIN/api/v1/api-tokens/{}\" -H \"Authorization: SSWS $OKTA_ADMIN_TOKEN\"",
        shell_word(event.credential_id.empty() ? std::string_view(event.identity_id) : event.credential_id));
  }
  if (event.identity_type == "PublicClientApp") {
    return fmt::format(
        "curl -X POST \"https://$OKTA_DOMAIN/api/v1/apps/{}/lifecycle/deactivate\" -H \"Authorization: SSWS "
        "$OKTA_ADMIN_TOKEN\"",
        shell_word(event.identity_id));
  }
  return fmt::format(
      "curl -X DELETE \"https://$OKTA_DOMAIN/api/v1/users/{}/sessions?oauthTokens=true\" -H \"Authorization: SSWS "
      "$OKTA_ADMIN_TOKEN\"",
      shell_word(event.identity_id));
}

std::string github_containment(const core::Event& event) {
  const std::string organization = event.account_id.empty() ? std::string("$GITHUB_ORG") : shell_word(event.account_id);
  if (event.identity_type.find("ine-grained") != std::string_view::npos && !event.credential_id.empty()) {
    return fmt::format("gh api -X POST /orgs/{}/personal-access-tokens/{} -f action=revoke", organization,
                       shell_word(event.credential_id));
  }
  return fmt::format(
      "gh api /orgs/{}/credential-authorizations --jq '.[] | select(.login == \"{}\")' to find the token's "
      "credential_id, then gh api -X DELETE /orgs/{}/credential-authorizations/CREDENTIAL_ID",
      organization, event.user_name.empty() ? std::string(event.identity_id) : std::string(event.user_name),
      organization);
}

std::string workspace_containment(const core::Event& event) {
  const std::string user = event.user_name.empty() ? std::string("USER_EMAIL") : shell_word(event.user_name);
  const std::string client = event.credential_id.empty() ? shell_word(event.identity_id) : shell_word(event.credential_id);
  return fmt::format(
      "curl -X DELETE -H \"Authorization: Bearer $(gcloud auth print-access-token)\" "
      "https://admin.googleapis.com/admin/directory/v1/users/{}/tokens/{}",
      user, client);
}

std::string slack_containment(const core::Event& event) {
  return fmt::format(
      "curl -X POST https://slack.com/api/admin.apps.uninstall -H \"Authorization: Bearer $SLACK_ADMIN_TOKEN\" -d "
      "app_id={}  # for a user token: admin.users.session.reset with user_id",
      shell_word(event.identity_id));
}

// Doubles `quote` inside `value`, the escape of SQL identifiers and string literals.
std::string escape_quotes(std::string_view value, char quote) {
  std::string escaped;
  for (char c : value) {
    escaped += c;
    if (c == quote) escaped += c;
  }
  return escaped;
}

std::string snowflake_containment(const core::Event& event) {
  const std::string sql = fmt::format("ALTER USER \"{}\" SET DISABLED = TRUE", escape_quotes(event.identity_id, '"'));
  return fmt::format("snowsql -q {}", shell_word(sql));
}

std::string salesforce_containment(const core::Event& event) {
  const std::string where = fmt::format("UserId='{}'", escape_quotes(event.identity_id, '\''));
  return fmt::format("sf data update record --sobject UserLogin --where {} --values IsFrozen=true", shell_word(where));
}

}  // namespace

std::string containment_command(const core::Event& event) {
  const std::string_view platform = event.platform;
  if (platform == "aws") return aws::containment_command(event);
  if (platform == "gcp") return gcp_containment(event);
  if (platform == "entra") return entra_containment(event);
  if (platform == "okta") return okta_containment(event);
  if (platform == "github") return github_containment(event);
  if (platform == "workspace") return workspace_containment(event);
  if (platform == "slack") return slack_containment(event);
  if (platform == "snowflake") return snowflake_containment(event);
  if (platform == "salesforce") return salesforce_containment(event);
  return fmt::format("identify who controls {} on {} and revoke its credentials", event.identity_id, platform);
}

}  // namespace keyward::detect
