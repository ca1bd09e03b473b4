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

// Signs a Google account out of every session and OAuth token (Admin SDK Directory users.signOut),
// the containment step for a person's account, which gcloud cannot disable.
std::string google_sign_out(std::string_view user) {
  return fmt::format(
      "curl -X POST -H \"Authorization: Bearer $(gcloud auth print-access-token)\" "
      "https://admin.googleapis.com/admin/directory/v1/users/{}/signOut",
      shell_word(user));
}

std::string gcp_containment(const core::Event& event) {
  if (event.actor_kind == core::ActorKind::human) return google_sign_out(event.identity_id);
  if (!event.credential_id.empty()) {
    return fmt::format("gcloud iam service-accounts keys disable {} --iam-account={}", shell_word(event.credential_id),
                       shell_word(event.identity_id));
  }
  return fmt::format("gcloud iam service-accounts disable {}", shell_word(event.identity_id));
}

std::string entra_containment(const core::Event& event) {
  if (event.identity_id.empty()) {
    return "find the caller in the Entra sign-in logs by the record's correlation id, then revoke its credentials";
  }
  if (event.actor_kind == core::ActorKind::human) {
    return fmt::format(
        "az rest --method POST --url https://graph.microsoft.com/v1.0/users/{}/revokeSignInSessions && "
        "az ad user update --id {} --account-enabled false",
        shell_word(event.identity_id), shell_word(event.identity_id));
  }
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
    // The GitHub source prefixes token ids with "token:"; the REST path takes the bare id.
    std::string_view token_id = event.credential_id;
    if (token_id.starts_with("token:")) token_id.remove_prefix(6);
    return fmt::format("gh api -X POST /orgs/{}/personal-access-tokens/{} -f action=revoke", organization,
                       shell_word(token_id));
  }
  // NOTE: keyward does not map the audit log's token_id to an authorization's credential_id, so
  // the command lists the user's token authorizations, with last eight characters and last use,
  // to pick the token from.
  return fmt::format(
      "gh api --paginate /orgs/{}/credential-authorizations --jq '.[] | select(.login == \"{}\" and "
      ".credential_type == \"personal access token\") | {{credential_id, token_last_eight, credential_accessed_at}}' "
      "to find the token's credential_id, then gh api -X DELETE /orgs/{}/credential-authorizations/CREDENTIAL_ID",
      organization, event.user_name.empty() ? std::string(event.identity_id) : std::string(event.user_name),
      organization);
}

std::string workspace_containment(const core::Event& event) {
  // Admin and login events name a person and no OAuth client.
  if (event.credential_id.empty()) return google_sign_out(event.user_name.empty() ? event.identity_id : event.user_name);
  const std::string user = event.user_name.empty() ? std::string("USER_EMAIL") : shell_word(event.user_name);
  const std::string client = event.credential_id.empty() ? shell_word(event.identity_id) : shell_word(event.credential_id);
  return fmt::format(
      "curl -X DELETE -H \"Authorization: Bearer $(gcloud auth print-access-token)\" "
      "https://admin.googleapis.com/admin/directory/v1/users/{}/tokens/{}",
      user, client);
}

std::string slack_containment(const core::Event& event) {
  // Slack user ids start with U or W; a person's sessions are reset, an app is uninstalled.
  if (event.actor_kind == core::ActorKind::human || event.identity_id.starts_with("U") ||
      event.identity_id.starts_with("W")) {
    return fmt::format(
        "curl -X POST https://slack.com/api/admin.users.session.reset -H \"Authorization: Bearer $SLACK_ADMIN_TOKEN\" "
        "-d user_id={}",
        shell_word(event.identity_id));
  }
  return fmt::format(
      "curl -X POST https://slack.com/api/admin.apps.uninstall -H \"Authorization: Bearer $SLACK_ADMIN_TOKEN\" -d "
      "app_id={}",
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
