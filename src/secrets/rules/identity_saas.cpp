// Credentials of the SaaS platforms keyward inventories or that guard other secrets: Okta,
// Salesforce, Snowflake, 1Password and Auth0.

#include "secrets/rules/rule_lists.hpp"
#include "secrets/validators/structure.hpp"

namespace keyward::secrets {
namespace {

void add_okta_and_salesforce_rules(std::vector<SecretRule>& rules) {
  // Okta API tokens are 42 characters starting "00", sent in the SSWS authorization scheme.
  rules.push_back({
      .id = "okta.api_token",
      .name = "Okta API token (SSWS)",
      .service = "Okta",
      .category = Category::saas,
      .pattern = R"(\bSSWS\s{1,4}(00[A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 52,
      .platform = "okta",
      .credential_kind = "okta_ssws_token",
      .redact_prefix = 2,
      .examples = {"curl -H \"Authorization: SSWS 00KwFakeUxJPNCcz-pK_rw3Y0I2thcd7ByTaf4ONtc\" https://kwfake.okta.com/api/v1/users"},
      .negative_examples = {"Authorization: SSWS ${OKTA_API_TOKEN}", "Authorization: SSWS 00KwFakeV07rPrx4_SYXIR"},
      .reference = "https://developer.okta.com/docs/guides/create-an-api-token/main/",
  });
  rules.push_back({
      .id = "okta.api_token_labelled",
      .name = "Okta API token",
      .service = "Okta",
      .category = Category::saas,
      .pattern = R"((?i:okta)[A-Za-z0-9_.-]{0,24}(?i:token|key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?(00[A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 100,
      .min_entropy = 3.5,
      .platform = "okta",
      .credential_kind = "okta_ssws_token",
      .redact_prefix = 2,
      .examples = {"OKTA_API_TOKEN=00KwFake4DvLnE14uenfzgEkbKoMQoJaw7py_B3dpH", "okta.client.token=00KwFakesUi19Dyv9vSFZM80fkSZ2LSFYXjFTyETvn"},
      .negative_examples = {"OKTA_API_TOKEN=00KwFakePt-4v9m4J-Q7Gf", "OKTA_CLIENT_ID=0oaKwFake15JXv84M-f6"},
      .reference = "https://developer.okta.com/docs/guides/create-an-api-token/main/",
  });
  // A Salesforce session or OAuth access token starts with the 15-character org id (00D...).
  rules.push_back({
      .id = "salesforce.access_token",
      .name = "Salesforce session or OAuth access token",
      .service = "Salesforce",
      .category = Category::saas,
      .pattern = R"(\b(00D[A-Za-z0-9]{12}![A-Za-z0-9._]{80,120})(?:[^A-Za-z0-9._]|$))",
      .max_match_length = 140,
      .min_entropy = 4.0,
      .platform = "salesforce",
      .credential_kind = "salesforce_oauth_token",
      .redact_prefix = 15,
      .examples = {"SF_ACCESS_TOKEN=00D1rOOLpl6Vr3K!AQKwFakevin96eTXM7DM7ZXGyAjdbxBBkky4XZF20pJ9bRBFEV3HDw8ZBD5OeKKOpjbVrHXCixqqZWiJqKIJsnBCtDgdk9x2"},
      .negative_examples = {"00DP6UdYyRHrjOL!short", "00DpX5zkRio6H6l"},
      .reference = "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_access_tokens.htm",
  });
  rules.push_back({
      .id = "auth0.client_secret",
      .name = "Auth0 application client secret",
      .service = "Auth0",
      .category = Category::saas,
      .pattern = R"((?i:auth0)[A-Za-z0-9_.-]{0,24}(?i:secret)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9_-]{64})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 120,
      .min_entropy = 4.0,
      .placeholder_filter = true,
      .examples = {"AUTH0_CLIENT_SECRET=KwFakeIaO7pWwSZ0nWfZuJmZVAs_k3qNQ8Z30U73O65I8f7eHolVMzyjvHFfXAKA"},
      .negative_examples = {"AUTH0_CLIENT_SECRET=KwFakewkBu36Ar_ZVd0BY66W6YHVTZEW", "AUTH0_CLIENT_ID=KwFake0_AnfyONoGQ_pvcnzctGep_oHhJe3jNW7LCcxEZ0pcfPnYPUJvA0irQJcj"},
      .reference = "https://auth0.com/docs/get-started/applications/application-settings",
  });
}

// TODO: add Snowflake programmatic access tokens once their format is documented; until then
// only passwords in connection URLs are found (key-pair keys fall to the PEM rules).
void add_snowflake_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "snowflake.connection_url_password",
      .name = "Snowflake password in a connection URL",
      .service = "Snowflake",
      .category = Category::database,
      .pattern = R"(\bsnowflake://[^:@/\s"'<>]{1,128}:([^@/\s"'<>]{4,128})@[A-Za-z0-9._-]{1,253})",
      .max_match_length = 420,
      .placeholder_filter = true,
      .platform = "snowflake",
      .credential_kind = "snowflake_password",
      .examples = {"SNOWFLAKE_URL=snowflake://etl_service:Pq7%23vX2mL9kR@kwfake-ab12345/analytics/public?warehouse=etl_wh"},
      .negative_examples = {"snowflake://etl_service:${SNOWFLAKE_PASSWORD}@kwfake-ab12345/analytics",
                            "snowflake://etl_service@kwfake-ab12345/analytics?authenticator=externalbrowser"},
      .reference = "https://docs.snowflake.com/en/developer-guide/python-connector/sqlalchemy",
  });
  rules.push_back({
      .id = "snowflake.jdbc_password",
      .name = "Snowflake password in a JDBC URL",
      .service = "Snowflake",
      .category = Category::database,
      .pattern = R"(\bjdbc:snowflake://[A-Za-z0-9._-]{1,200}\.snowflakecomputing\.com[^\s"'<>]{0,300}?[?&](?i:password)=([^&\s"'<>]{4,128}))",
      .max_match_length = 680,
      .placeholder_filter = true,
      .platform = "snowflake",
      .credential_kind = "snowflake_password",
      .examples = {"jdbc:snowflake://kwfake-ab12345.snowflakecomputing.com/?user=etl_service&password=Lx8%21qW3zT6vN&warehouse=etl_wh"},
      .negative_examples = {"jdbc:snowflake://kwfake-ab12345.snowflakecomputing.com/?user=etl_service&authenticator=snowflake_jwt",
                            "jdbc:snowflake://kwfake-ab12345.snowflakecomputing.com/?user=etl&password=${SNOWFLAKE_PASSWORD}"},
      .reference = "https://docs.snowflake.com/en/developer-guide/jdbc/jdbc-parameters",
  });
}

void add_onepassword_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "onepassword.service_account_token",
      .name = "1Password service account token",
      .service = "1Password",
      .category = Category::saas,
      .pattern = R"(\b(ops_eyJ[A-Za-z0-9+/=_-]{250,})(?:[^A-Za-z0-9+/=_-]|$))",
      .max_match_length = 1510,
      .validate = validate_onepassword_service_account_token,
      .redact_prefix = 4,
      .examples = {"OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoia2V5d2FyZC1mYWtlLjFwYXNzd29yZC5jb20iLCJ1c2VyQXV0aCI6eyJtZXRob2QiOiJTUlBnLTQwOTYiLCJhbGciOiJQQkVTMmctSFMyNTYiLCJpdGVyYXRpb25zIjo2NTAwMDAsInNhbHQiOiJLd0Zha2VSYWJ3cWQ3NDNBV0llMVBTIn0sImVtYWlsIjoiZmFrZUBrZXl3YXJkLmludmFsaWQiLCJzcnBYIjoiNjBkYjg5MWVhZDhkMzU4Y2ZlZWM3NDM2NDI4Y2I1YzgzNzlkOTNiZmZlMDgyODc5MjYyMzE0YmNlOTA5ZjEzZCIsIm11ayI6eyJhbGciOiJBMjU2R0NNIiwiZXh0Ijp0cnVlLCJrIjoiS3dGYWtlcFNEal9NR05ZbDQyUEpVbHR0R2tCTE44M19nMFRMSldyXzN6YiIsImtleV9vcHMiOlsiZW5jcnlwdCIsImRlY3J5cHQiXSwia3R5Ijoib2N0Iiwia2lkIjoibXAifSwic2VjcmV0S2V5IjoiQTMtS1dGQUtFLUtXRkFLRS1LV0ZBSy1LV0ZBSy1LV0ZBSy1LV0ZBSyIsInRocm90dGxlU2VjcmV0Ijp7InNlZWQiOiJjNzBlZGFhM2I0ZTBhNDRkNzFmN2NkOGU0MzU5NWUxM2QxOGI1NGQ2NmI4OTc5MzA3NjM1ZjIzNDIwYjMyOTMyIiwidXVpZCI6IktXRkFLRUI2VEJTSDYzSllFUUdOQ0FNQTFNIn0sImRldmljZVV1aWQiOiJrd2Zha2VwaDVzOGU3cnQ2eDMzcGZkZHE1aiJ9"},
      .negative_examples = {"OP_SERVICE_ACCOUNT_TOKEN=ops_eyJKwFakeavUFlPxSyj3IiIZfsI0hZnAuQy4kzpKyabUN1S+HETSqBtAp1pgsvpnZsVwD4/vFS9xOg+aZx3daAOLcZEt0RWQH+GoPqfd2Arh1lPv1tknDQZANSZdk/h5hyJQAfao22fY5C6DwraqT8F3UgUqZ9dj0ogCJrK722JKMkwYm6djqAnVDOZ+rFAEYYVXOj1H14RJ88hBqnp4qs/kh/ZgSEP8vyauvGG1xGZbykTPFIx8RL3yVE4X59cNoI5mRozxgsz4DrTMSXVw5tvtrikKPK6qzMAzscqQl5yKpj/", "ops_eyJKwFakeyvlHl+NhwTbUlArjK7A6eJDVbjynfGQccaKDCgt23ORVxisQiqm1yBUbZ0Z6y0kODdCHvHP6jqRkc79rGHVtuD8BW3kmtD"},
      .reference = "https://developer.1password.com/docs/service-accounts/use-with-1password-cli/",
  });
  // The Secret Key is the second factor of a 1Password account: "A3-", the account id and five
  // more groups of letters and digits.
  rules.push_back({
      .id = "onepassword.secret_key",
      .name = "1Password account Secret Key",
      .service = "1Password",
      .category = Category::saas,
      .pattern = R"(\b(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b)",
      .max_match_length = 40,
      .min_entropy = 3.0,
      .redact_prefix = 3,
      .examples = {"Secret Key: A3-KWFAKE-DKU6IZ-IX68P-SYEB3-MCYP6-A8GH1"},
      .negative_examples = {"A3-KWFAKE-S9WKEB-W5AGI", "A4-KWFAKE-ZX1EOV-RITPL-B3IJ9-9BAUY-45IFJ"},
      .reference = "https://support.1password.com/secret-key/",
  });
}

}  // namespace

void add_identity_saas_rules(std::vector<SecretRule>& rules) {
  add_okta_and_salesforce_rules(rules);
  add_snowflake_rules(rules);
  add_onepassword_rules(rules);
}

}  // namespace keyward::secrets
