// Monitoring, logging and incident tools: Datadog, New Relic, Sentry, Grafana, Dynatrace,
// Honeycomb, PagerDuty, Splunk, Opsgenie, Rollbar and Bugsnag.

#include "secrets/rules/rule_lists.hpp"
#include "secrets/validators/structure.hpp"

namespace keyward::secrets {
namespace {

constexpr std::string_view kNewRelicKeys = "https://docs.newrelic.com/docs/apis/intro-apis/new-relic-api-keys/";

void add_datadog_and_newrelic_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "datadog.api_key",
      .name = "Datadog API key",
      .service = "Datadog",
      .category = Category::observability,
      .pattern = R"((?i:datadog[_.-]?api[_.-]?key|dd[_.-]api[_.-]?key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{32})\b)",
      .max_match_length = 80,
      .min_entropy = 3.0,
      .examples = {"DD_API_KEY=2e52f073901b76d2013866045e73e71d", R"(datadog_api_key: "43dc220b7e94978f0826ba538f358cd4")"},
      .negative_examples = {"DD_API_KEY=3d77bdcebf0f031ccacf697662de37ac62f1e841", "DD_SITE=c78fc4846ab2485feceb1a6401c870bb"},
      .reference = "https://docs.datadoghq.com/account_management/api-app-keys/",
  });
  rules.push_back({
      .id = "datadog.app_key",
      .name = "Datadog application key",
      .service = "Datadog",
      .category = Category::observability,
      .pattern = R"((?i:datadog[_.-]?app(?:lication)?[_.-]?key|dd[_.-]app(?:lication)?[_.-]?key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{40})\b)",
      .max_match_length = 96,
      .min_entropy = 3.0,
      .examples = {"DD_APP_KEY=7b45ec22cad3410f2de0d502db7cb610fac2e548", "DATADOG_APPLICATION_KEY: 9e640f7b72b0840741a9d6ee02789a46fc5341aa"},
      .negative_examples = {"DD_APP_KEY=6b40db5e6f72611dcddb920f24c7f85c", "DD_API_KEY=90b2ef9364aa5b223fa398e5c3439778ced6b812"},
      .reference = "https://docs.datadoghq.com/account_management/api-app-keys/",
  });
}

void add_newrelic_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "newrelic.user_api_key",
      .name = "New Relic user API key",
      .service = "New Relic",
      .category = Category::observability,
      .pattern = R"(\b(NRAK-[A-Z0-9]{27})\b)",
      .max_match_length = 32,
      .redact_prefix = 5,
      .examples = {"NEW_RELIC_API_KEY=NRAK-KWFAKE8J4GAWDEL05WXHL8Z5Q8X"},
      .negative_examples = {"NRAK-KWFAKE2GH7ZQPAHMBVWJ", "NRAK-kwfakeut3hnsuaq8dvodoidkfj6"},
      .reference = kNewRelicKeys,
  });
  rules.push_back({
      .id = "newrelic.insert_key",
      .name = "New Relic insert or query key",
      .service = "New Relic",
      .category = Category::observability,
      .pattern = R"(\b(NRI[IQ]-[A-Za-z0-9_-]{32})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 40,
      .redact_prefix = 5,
      .examples = {"NEW_RELIC_INSERT_KEY=NRII-KwFakedSCaYb-wX92h45tdTt6TeMP_QF", "X-Query-Key: NRIQ-KwFakeE-g21sCLiGjZaxhvek96At1jHz"},
      .negative_examples = {"NRII-KwFakejnike8t8jn-vQy", "NRIX-KwFake2gzBxsWLlj4abBCTlLYyj5uL9a"},
      .reference = kNewRelicKeys,
  });
  rules.push_back({
      .id = "newrelic.rest_api_key",
      .name = "New Relic REST API key",
      .service = "New Relic",
      .category = Category::observability,
      .pattern = R"(\b(NRRA-[a-f0-9]{42})\b)",
      .max_match_length = 48,
      .redact_prefix = 5,
      .examples = {"X-Api-Key: NRRA-3c89402d123977325ba1f840389654b372c29f32eb"},
      .negative_examples = {"NRRA-3de4c97cdbc671aa0f8f7e2e6b6c29"},
      .reference = kNewRelicKeys,
  });
  rules.push_back({
      .id = "newrelic.browser_key",
      .name = "New Relic browser API key",
      .service = "New Relic",
      .category = Category::observability,
      .pattern = R"(\b(NRJS-[a-f0-9]{19})\b)",
      .max_match_length = 24,
      .redact_prefix = 5,
      .examples = {R"(licenseKey: "NRJS-30944753649f9ea9e7f")"},
      .negative_examples = {"NRJS-7bc07c2248"},
      .reference = kNewRelicKeys,
  });
  rules.push_back({
      .id = "newrelic.license_key",
      .name = "New Relic license (ingest) key",
      .service = "New Relic",
      .category = Category::observability,
      .pattern = R"(\b([a-f0-9]{36}NRAL)\b)",
      .max_match_length = 40,
      .min_entropy = 3.0,
      .examples = {"NEW_RELIC_LICENSE_KEY=ec06d02b4b527cb76ad30a50d5d6ebd7d4b4NRAL"},
      .negative_examples = {"c6cd2766398b292f381b43f9ff09f1NRAL", "94a20a1d05bac85acb2484ddf83e665e18c5NRXX"},
      .reference = kNewRelicKeys,
  });
}

void add_sentry_and_grafana_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "sentry.user_token",
      .name = "Sentry user auth token",
      .service = "Sentry",
      .category = Category::observability,
      .pattern = R"(\b(sntryu_[a-f0-9]{64})\b)",
      .max_match_length = 72,
      .redact_prefix = 7,
      .examples = {"SENTRY_AUTH_TOKEN=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"},
      .negative_examples = {"sntryu_88187d2a7aed8cc2b723555d35872b8cb94fe2eb"},
      .reference = "https://docs.sentry.io/account/auth-tokens/",
  });
  rules.push_back({
      .id = "sentry.org_token",
      .name = "Sentry organization auth token",
      .service = "Sentry",
      .category = Category::observability,
      .pattern = R"(\b(sntrys_eyJ[A-Za-z0-9+/=]{40,400}_[A-Za-z0-9+/]{43})(?:[^A-Za-z0-9+/=_]|$))",
      .max_match_length = 460,
      .validate = validate_sentry_org_token,
      .redact_prefix = 7,
      .examples = {"SENTRY_AUTH_TOKEN=sntrys_eyJpYXQiOjE3MDAwMDAwMDAuNSwidXJsIjoiaHR0cHM6Ly9zZW50cnkuaW8iLCJyZWdpb25fdXJsIjoiaHR0cHM6Ly91cy5zZW50cnkuaW8iLCJvcmciOiJrZXl3YXJkLWZha2UifQ_KwFake3bitrNeKEYU7xRn532tyq0KUurXOuCPw/gBSO"},
      .negative_examples = {"SENTRY_AUTH_TOKEN=sntrys_eyJKwFakeBomuy88A3mrfxiAS5C5bZUM2t1KiTdHbT49gXF3WBLAwTGl6nL0UIz_KwFakeZYQfU1/ZcyRkj2a0KPX9WSJIOwAOv+qMjpv/k"},
      .reference = "https://docs.sentry.io/account/auth-tokens/",
  });
  rules.push_back({
      .id = "grafana.service_account_token",
      .name = "Grafana service account token",
      .service = "Grafana",
      .category = Category::observability,
      .pattern = R"(\b(glsa_[A-Za-z0-9]{32}_[a-f0-9]{8})\b)",
      .max_match_length = 48,
      .redact_prefix = 5,
      .examples = {"GRAFANA_TOKEN=glsa_KwFakeEuac58zPMSW2ndRHrcqnNhc6MV_c6c05906"},
      .negative_examples = {"glsa_KwFakeUPYFwP7OEFJTu0Xitti4zRAR5y", "glsa_KwFakeFS1ScavQTfZOwZ_05db217e"},
      .reference = "https://grafana.com/docs/grafana/latest/administration/service-accounts/",
  });
  rules.push_back({
      .id = "grafana.cloud_token",
      .name = "Grafana Cloud access policy token",
      .service = "Grafana",
      .category = Category::observability,
      .pattern = R"(\b(glc_[A-Za-z0-9+/]{32,400}={0,2})(?:[^A-Za-z0-9+/=]|$))",
      .max_match_length = 410,
      .min_entropy = 4.0,
      .redact_prefix = 4,
      .examples = {"GRAFANA_CLOUD_TOKEN=glc_eyJvIjoiKwFakeKKrLf/PbEE3ObGBjj3EZNkb0GpLpDgzvjy3Ihpos1E3E5KVJtsYOgwXsWThnKLNOIRME512LM+ZpR6NIpF9ac51R7O8lIy"},
      .negative_examples = {"glc_KwFakejoDnY4C/41RKAp"},
      .reference = "https://grafana.com/docs/grafana-cloud/security-and-account-management/authentication-and-permissions/access-policies/",
  });
  rules.push_back({
      .id = "grafana.api_key",
      .name = "Grafana API key (deprecated format)",
      .service = "Grafana",
      .category = Category::observability,
      .pattern = R"(\b(eyJrIjoi[A-Za-z0-9+/]{40,400}={0,2})(?:[^A-Za-z0-9+/=]|$))",
      .max_match_length = 410,
      .validate = validate_grafana_api_key,
      .redact_prefix = 8,
      .examples = {"Authorization: Bearer eyJrIjoiS3dGYWtlaktDNXBpMktMeFEzN1R5RW05a1VrODQ2ajQiLCJuIjoia2V5d2FyZC1mYWtlIiwiaWQiOjF9"},
      .negative_examples = {"eyJrIjoiKwFake8EfEx3KNMYO+FG3c0O9zFAJQzU6UE5e0AN8+uWKgLOOwsrZgEq/RfC"},
      .reference = "https://grafana.com/docs/grafana/latest/administration/service-accounts/migrate-api-keys/",
  });
}

void add_monitoring_service_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "dynatrace.api_token",
      .name = "Dynatrace API token",
      .service = "Dynatrace",
      .category = Category::observability,
      .pattern = R"(\b(dt0[a-z][0-9]{2}\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b)",
      .max_match_length = 100,
      .redact_prefix = 7,
      .examples = {"DT_API_TOKEN=dt0c01.KWFAKEZ3AD9ED688TLZZ3LW2.KWFAKEAKA7XQB4554HOKBNAJUSJF0DPST5K5JYLQ1F4WLXFO98LZD4O526G3GNOB"},
      .negative_examples = {"dt0c01.KWFAKEVGGW362ANLFWPSHE2S.KWFAKE0250NMC30VOS3SLJYQDS9GSOIW", "dt0c01.kwfakegjhnmeze91bt2c6kov.kwfake7ho0v29z46gsainjlggaost1a5xrof7kq75pa44l6yc1os357dojyt5z63"},
      .reference = "https://docs.dynatrace.com/docs/manage/identity-access-management/access-tokens-and-oauth-clients/access-tokens",
  });
  rules.push_back({
      .id = "honeycomb.api_key",
      .name = "Honeycomb API key",
      .service = "Honeycomb",
      .category = Category::observability,
      .pattern = R"((?i:honeycomb)[A-Za-z0-9_.-]{0,24}(?i:key|team)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?((?:hc[a-z]{2}[a-z]_[a-z0-9]{58}|[A-Za-z0-9]{22}|[a-f0-9]{32}))\b)",
      .max_match_length = 110,
      .min_entropy = 3.0,
      .placeholder_filter = true,
      .examples = {"HONEYCOMB_API_KEY=KwFakeS3kF1Fh8qliTeGGv", "HONEYCOMB_API_KEY=hcaik_kwfakef6hhepin2qoumgdve3uw5vzic497ya9hs2ii68lvddqwok3kyia9"},
      .negative_examples = {"HONEYCOMB_DATASET=KwFakeXPgCpRqG1X58wLQa", "HONEYCOMB_API_KEY=pxc5k3XtB25j"},
      .reference = "https://docs.honeycomb.io/configure/environments/manage-api-keys/",
  });
}

void add_incident_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "pagerduty.api_key",
      .name = "PagerDuty REST API key",
      .service = "PagerDuty",
      .category = Category::observability,
      .pattern = R"((?i:pagerduty[_.-]?(?:api|rest|user)?[_.-]?(?:key|token))[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9_+-]{20})(?:[^A-Za-z0-9_+-]|$))",
      .max_match_length = 70,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"PAGERDUTY_TOKEN=u+KwFakeBPBPiW3bBMID", "PAGERDUTY_API_KEY=KwFake6l2_w8BEkqPdlR"},
      .negative_examples = {"PAGERDUTY_SERVICE_ID=P9QECX8", "PAGERDUTY_TOKEN=fBiXlqJQbs3H"},
      .reference = "https://support.pagerduty.com/main/docs/api-access-keys",
  });
  rules.push_back({
      .id = "pagerduty.integration_key",
      .name = "PagerDuty Events API integration key",
      .service = "PagerDuty",
      .category = Category::observability,
      .pattern = R"((?i:pagerduty[_.-]?(?:integration|routing|service|events?)[_.-]?key|pd[_.-](?:integration|routing)[_.-]?key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([a-f0-9]{32})\b)",
      .max_match_length = 90,
      .min_entropy = 3.0,
      .examples = {"PAGERDUTY_ROUTING_KEY=d294e90e8dd5ae417e5c4f3d4df55912", R"("pd_integration_key": "7b2b904506e4548296280b7561cf4c4b")"},
      .negative_examples = {"PAGERDUTY_ROUTING_KEY=22eba79e454937e34dd1", "PAGERDUTY_SERVICE=0cdbe57f274d5e0f08fabafe6cf4563d"},
      .reference = "https://developer.pagerduty.com/docs/events-api-v2-overview",
  });
  rules.push_back({
      .id = "splunk.hec_token",
      .name = "Splunk HTTP Event Collector token",
      .service = "Splunk",
      .category = Category::observability,
      .pattern = R"((?:(?i:Authorization)\s{0,4}:\s{0,4}Splunk\s{1,4}|(?i:splunk[_.-]?hec[_.-]?token|hec[_.-]?token)["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?)([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\b)",
      .max_match_length = 90,
      .min_entropy = 3.0,
      .examples = {"curl -H \"Authorization: Splunk 01abf391-83a7-4901-a0a7-c5b37bb1859e\" https://splunk.kwfake.invalid:8088/services/collector",
                   "SPLUNK_HEC_TOKEN=d98bb299-93b6-411d-a740-251dd0e680d7"},
      .negative_examples = {"Authorization: Splunk 10be51e8d00c30d2c10efb420b49beca", "SPLUNK_INDEX=cdb113b2-2a0b-476e-9e99-90b6d986edf2"},
      .reference = "https://docs.splunk.com/Documentation/Splunk/latest/Data/UsetheHTTPEventCollector",
  });
}

void add_alerting_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "opsgenie.api_key",
      .name = "Opsgenie API key",
      .service = "Opsgenie",
      .category = Category::observability,
      .pattern = R"((?:(?i:opsgenie)[A-Za-z0-9_.-]{0,24}(?i:key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?|GenieKey\s{1,4})([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b)",
      .max_match_length = 100,
      .min_entropy = 3.0,
      .examples = {"OPSGENIE_API_KEY=cf6ba4fa-aa50-4d54-a211-a34156afed5c", "Authorization: GenieKey d8c60c0c-557f-464c-bf78-4049054f38a9"},
      .negative_examples = {"OPSGENIE_TEAM_ID=f2ff9e22-e24a-42dd-9a3a-a3863b35d760", "GenieKey e56ae07210b66ab59f436d7e263752a9"},
      .reference = "https://support.atlassian.com/opsgenie/docs/api-key-management/",
  });
  rules.push_back({
      .id = "rollbar.access_token",
      .name = "Rollbar access token",
      .service = "Rollbar",
      .category = Category::observability,
      .pattern = R"((?i:rollbar)[A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([a-f0-9]{32})\b)",
      .max_match_length = 90,
      .min_entropy = 3.0,
      .examples = {"ROLLBAR_ACCESS_TOKEN=3a8dd9044d889f6159807823435cd33d"},
      .negative_examples = {"ROLLBAR_ENV=82ee1c2304e0ddff82e3337afe150fad", "ROLLBAR_ACCESS_TOKEN=ce6e4fa75303d733d05a"},
      .reference = "https://docs.rollbar.com/docs/access-tokens",
  });
  rules.push_back({
      .id = "bugsnag.api_key",
      .name = "Bugsnag API key",
      .service = "Bugsnag",
      .category = Category::observability,
      .pattern = R"((?i:bugsnag)[A-Za-z0-9_.-]{0,24}(?i:key|token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([a-f0-9]{32})\b)",
      .max_match_length = 90,
      .min_entropy = 3.0,
      .examples = {"BUGSNAG_API_KEY=118986b248e49bb626514960f2766221"},
      .negative_examples = {"BUGSNAG_RELEASE_STAGE=f3536eb0e2a7565ba7f7b7f8670c94da", "BUGSNAG_API_KEY=b762f9f4d42d95bcb942"},
      .reference = "https://docs.bugsnag.com/product/getting-started/",
  });
}

}  // namespace

void add_observability_rules(std::vector<SecretRule>& rules) {
  add_datadog_and_newrelic_rules(rules);
  add_newrelic_rules(rules);
  add_sentry_and_grafana_rules(rules);
  add_monitoring_service_rules(rules);
  add_incident_rules(rules);
  add_alerting_rules(rules);
}

}  // namespace keyward::secrets
