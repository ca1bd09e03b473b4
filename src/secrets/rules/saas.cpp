// Business SaaS tokens: Atlassian, Shopify, Twilio, Notion, Linear, Airtable, Asana, Figma,
// HubSpot, Zendesk, Contentful, Adobe, Mapbox, Dropbox, X (Twitter), Meta and others.

#include "secrets/rules/rule_lists.hpp"

namespace keyward::secrets {
namespace {

void add_atlassian_and_shopify_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "atlassian.api_token",
      .name = "Atlassian Cloud API token",
      .service = "Atlassian",
      .category = Category::saas,
      .pattern = R"(\b(ATATT3xFfGF0[A-Za-z0-9_=-]{100,300}=[A-Fa-f0-9]{8})(?:[^A-Za-z0-9_=-]|$))",
      .max_match_length = 330,
      .redact_prefix = 12,
      .examples = {"JIRA_API_TOKEN=ATATT3xFfGF0KwFakeSb6S0TU9p7_rgzil_NVgfAxh6X8ngAAssTP-8PXgv7egKGlpYBHq-uNm1CODXzirT-saKrBylYXBxA0p6dhSfGKvM4gtI4cetUV1YXvh2MNTQEcTUnwIOUgW0bWenoG685S02gc1PbLVFyGdEM2vM5Eya6hV7mOJUvax=5B9D8DD0"},
      .negative_examples = {"ATATT3xFfGF0KwFake_dMhsJKn5qdRQjucQsL85AKPST4_Crm5W-=068C72A2", "ATATT3xFfGF0KwFakeAxBBommugX38yZS1i_v2-M8OK4dBZIVDeIyAYP_QTlK9MibQUVqMB3z_Kc9MIAKSZqzLjHTIpGjoKxSgjTH-wC5Iv1yg5m44o_kbIOxC5X9rHKiixmJGHB7VEDChdcmac9GuhRlAiCfDOD-mduu9-av-Y5H0ar1OO9SL"},
      .reference = "https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/",
  });
  rules.push_back({
      .id = "atlassian.api_token_legacy",
      .name = "Atlassian API token (24-character format)",
      .service = "Atlassian",
      .category = Category::saas,
      .pattern = R"((?i:atlassian|jira|confluence)[A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9]{24})\b)",
      .max_match_length = 90,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"JIRA_API_TOKEN=KwFake8UGAw04l804UfvQsfv"},
      .negative_examples = {"JIRA_API_TOKEN=KwFakeCJlk0QPf2U", "JIRA_PROJECT=KwFakeMX2osyviHQpHh3Wb35"},
      .reference = "https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/",
  });
  // Shopify prefixes: shpat_ admin API (custom and public apps), shpca_ custom app, shppa_
  // private app, shpss_ app shared secret.
  rules.push_back({
      .id = "shopify.access_token",
      .name = "Shopify Admin API access token",
      .service = "Shopify",
      .category = Category::saas,
      .pattern = R"(\b(shp(?:at|ca|pa)_[a-fA-F0-9]{32})\b)",
      .max_match_length = 38,
      .redact_prefix = 6,
      .examples = {"SHOPIFY_ACCESS_TOKEN=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", "X-Shopify-Access-Token: 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", "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"},
      .negative_examples = {"shpat_7def4ff91dbc7ee07ab9", "shpxx_a9de8f310da74ddcc6824274c81f9789"},
      .reference = "https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/generate-app-access-tokens-admin",
  });
  rules.push_back({
      .id = "shopify.shared_secret",
      .name = "Shopify app shared secret",
      .service = "Shopify",
      .category = Category::saas,
      .pattern = R"(\b(shpss_[a-fA-F0-9]{32})\b)",
      .max_match_length = 38,
      .redact_prefix = 6,
      .examples = {"SHOPIFY_API_SECRET=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"},
      .negative_examples = {"shpss_3ef870e1b566bdbd"},
      .reference = "https://shopify.dev/docs/apps/build/authentication-authorization/client-secrets",
  });
}

void add_messaging_api_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "twilio.auth_token",
      .name = "Twilio auth token",
      .service = "Twilio",
      .category = Category::saas,
      .pattern = R"((?i:twilio)[A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([a-f0-9]{32})\b)",
      .max_match_length = 90,
      .min_entropy = 3.0,
      .examples = {"TWILIO_AUTH_TOKEN=eac8721cc7af3d14de9bae788bcbcde3"},
      .negative_examples = {"TWILIO_ACCOUNT_SID=AC06dab8dd0935ba8c9b47569dee04dd2d", "TWILIO_AUTH_TOKEN=efaa7fa5d4f629a355f5"},
      .reference = "https://www.twilio.com/docs/iam/api/authtoken",
  });
  rules.push_back({
      .id = "twilio.api_key_secret",
      .name = "Twilio API key secret",
      .service = "Twilio",
      .category = Category::saas,
      .pattern = R"((?i:twilio)[A-Za-z0-9_.-]{0,24}(?i:secret)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9]{32})\b)",
      .max_match_length = 90,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"TWILIO_API_SECRET=KwFakemfbEcihqNeZd7fOnPDzBQU0EWw"},
      .negative_examples = {"TWILIO_API_KEY=SK1f7514773bd74750ba92fdb205550f92", "TWILIO_API_SECRET=KwFake9fsaTny9i9JqhG"},
      .reference = "https://www.twilio.com/docs/iam/api-keys",
  });
}

void add_productivity_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "notion.integration_token",
      .name = "Notion integration token",
      .service = "Notion",
      .category = Category::saas,
      .pattern = R"(\b(ntn_[0-9]{11}[A-Za-z0-9]{35})\b)",
      .max_match_length = 50,
      .redact_prefix = 4,
      .examples = {"NOTION_TOKEN=ntn_19691450355KwFakekXsXZe3UT9i0ZkgeFqrJPzqLWonmM"},
      .negative_examples = {"ntn_KwFakekfeBUaeu61JlFp", "ntn_75949951340"},
      .reference = "https://developers.notion.com/docs/authorization",
  });
  rules.push_back({
      .id = "notion.integration_token_legacy",
      .name = "Notion integration token (secret_ format)",
      .service = "Notion",
      .category = Category::saas,
      .pattern = R"((?i:notion)[A-Za-z0-9_.-]{0,24}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?(secret_[A-Za-z0-9]{43})\b)",
      .max_match_length = 90,
      .redact_prefix = 7,
      .examples = {"NOTION_API_KEY=secret_KwFakexJrDMGhqNd80Tiqz2M1khWmH28ixaDXejpqMp"},
      .negative_examples = {"NOTION_API_KEY=secret_KwFakeA6kMGPGDQSSJf3", "SLACK_SIGNING=secret_KwFakeu3ckHAFihSgaRKLvrL4sW7Y0GplgTjBdam5jJ"},
      .reference = "https://developers.notion.com/docs/authorization",
  });
  rules.push_back({
      .id = "linear.api_key",
      .name = "Linear API key",
      .service = "Linear",
      .category = Category::saas,
      .pattern = R"(\b(lin_(?:api_[A-Za-z0-9]{40}|oauth_[a-f0-9]{64}))\b)",
      .max_match_length = 76,
      .redact_prefix = 8,
      .examples = {"LINEAR_API_KEY=lin_api_KwFake24p4Yx4tMfDMVo0okuDGV23YJhfvE1OeTC", "lin_oauth_c62d26aef29df2feee79a11f7545d9f7c7c29a94bb69bc87d31ee4a919e6a1e6"},
      .negative_examples = {"lin_api_KwFakeCftlWwCtH7bxmK", "lin_oauth_c552b5d25adb8a3ab35e857fee3ebea1"},
      .reference = "https://linear.app/developers/graphql#authentication",
  });
}

void add_workspace_tool_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "airtable.pat",
      .name = "Airtable personal access token",
      .service = "Airtable",
      .category = Category::saas,
      .pattern = R"(\b(pat[A-Za-z0-9]{14}\.[a-f0-9]{64})\b)",
      .max_match_length = 82,
      .redact_prefix = 3,
      .examples = {"AIRTABLE_TOKEN=patauMA4jOdhN8YCW.89beb281028f96a58fef1869b0f822d506c41a1d073da31edbef5c97f25dd607"},
      .negative_examples = {"patyynqZ8ywFtwx6c.e74697ca2e8a86c5dd9145be58da3d80", "patKBSOZGodoI.5668a64d86eb9a89828f97eed097948413cf4bd5bcdafe54ba38e296d356af31"},
      .reference = "https://airtable.com/developers/web/guides/personal-access-tokens",
  });
  rules.push_back({
      .id = "asana.pat",
      .name = "Asana personal access token",
      .service = "Asana",
      .category = Category::saas,
      .pattern = R"((?i:asana)[A-Za-z0-9_.-]{0,24}(?i:token|pat)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9]/[0-9]{16,17}(?:/[0-9]{16,17})?:[A-Za-z0-9]{32})\b)",
      .max_match_length = 120,
      .min_entropy = 3.0,
      .examples = {"ASANA_ACCESS_TOKEN=2/1551004698025955/8791857060640003:0c357e834e1554b7a7cc54d35b21d21e", "ASANA_PAT=1/0381455066685474:KwFakeKyWhTLUevINFUH3T8ofi7AVxF7"},
      .negative_examples = {"ASANA_ACCESS_TOKEN=2/0918148168462707", "ASANA_WORKSPACE=1/5903544174600662:x"},
      .reference = "https://developers.asana.com/docs/personal-access-token",
  });
  rules.push_back({
      .id = "figma.pat",
      .name = "Figma personal access token",
      .service = "Figma",
      .category = Category::saas,
      .pattern = R"(\b(figd_[A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 48,
      .redact_prefix = 5,
      .examples = {"FIGMA_TOKEN=figd_KwFakeT1a0gJwPw-_eO3GF3UQFrrW-Q1Zf2ZlDhU"},
      .negative_examples = {"figd_KwFakeG_vWp_QOauBsUC"},
      .reference = "https://www.figma.com/developers/api#access-tokens",
  });
  rules.push_back({
      .id = "hubspot.private_app_token",
      .name = "HubSpot private app access token",
      .service = "HubSpot",
      .category = Category::saas,
      .pattern = R"(\b(pat-(?:na|eu)[0-9]-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b)",
      .max_match_length = 50,
      .redact_prefix = 8,
      .examples = {"HUBSPOT_ACCESS_TOKEN=pat-na1-d12e556c-0e67-4050-8fb0-3307a857e965"},
      .negative_examples = {"pat-na1-c631feaaf8a6f20c952e42cfe2b5d8b7", "pat-xx1-c6278ed6-1d6e-4266-adf5-de1095cd693b"},
      .reference = "https://developers.hubspot.com/docs/api/private-apps",
  });
  rules.push_back({
      .id = "zendesk.api_token",
      .name = "Zendesk API token",
      .service = "Zendesk",
      .category = Category::saas,
      .pattern = R"((?i:zendesk)[A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9]{40})\b)",
      .max_match_length = 90,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"ZENDESK_API_TOKEN=KwFake7tU22tlwVdt9kZS3MqGuuQ2NaHtDR8dqCF"},
      .negative_examples = {"ZENDESK_API_TOKEN=KwFakegVcVHlE7W2gXps", "ZENDESK_SUBDOMAIN=KwFake6E9iFhB7miz51OIPcEr6zEqJMWqHXeFHYo"},
      .reference = "https://developer.zendesk.com/api-reference/introduction/security-and-auth/",
  });
}

void add_content_and_media_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "contentful.pat",
      .name = "Contentful personal access token",
      .service = "Contentful",
      .category = Category::saas,
      .pattern = R"(\b(CFPAT-[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 52,
      .redact_prefix = 6,
      .examples = {"CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-KwFakeDU7Nf7L6m8lo1ZUyC8WPNvOAMpnhaU010VCjE"},
      .negative_examples = {"CFPAT-KwFakefcXnEUrvN8gE0k"},
      .reference = "https://www.contentful.com/developers/docs/references/authentication/",
  });
  rules.push_back({
      .id = "adobe.client_secret",
      .name = "Adobe developer client secret",
      .service = "Adobe",
      .category = Category::saas,
      .pattern = R"(\b(p8e-[A-Za-z0-9_-]{32})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 40,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"ADOBE_CLIENT_SECRET=p8e-KwFakewFT_yKJfdscc05JadslnmmpNZv"},
      .negative_examples = {"p8e-KwFakeLkFNIYDocc", "xp8e-KwFakeLQ_xrdcs8Z_PwTjSuyRnV1I8yY"},
      .reference = "https://developer.adobe.com/developer-console/docs/guides/authentication/ServerToServerAuthentication/implementation",
  });
  rules.push_back({
      .id = "mapbox.secret_token",
      .name = "Mapbox secret access token",
      .service = "Mapbox",
      .category = Category::saas,
      .pattern = R"(\b(sk\.eyJ1Ijoi[A-Za-z0-9_-]{20,200}\.[A-Za-z0-9_-]{22})(?:[^A-Za-z0-9_.-]|$))",
      .max_match_length = 240,
      .redact_prefix = 3,
      .examples = {"MAPBOX_DOWNLOADS_TOKEN=sk.eyJ1IjoiKwFakeiHncC5b_K9r2lZYPdAblVB4tFHXHGfgMt52URHkU9ZmZU4qWS7wCns.KwFakepE94muX1AetzKqEN"},
      .negative_examples = {"pk.eyJ1IjoiKwFake3CaMzSuyWejrxf69pDQn_Tz2RYxIuBIarIJHOzr617ZN7x5bxMQf7j.KwFakeuoQ9UuaqbcW2FlR5", "sk.eyJ1IjoiKwFakeo1kKSfIaXqxssGRE95XidruoMzskvsUjwoNq4zyO_kl5-P013HzvkP"},
      .reference = "https://docs.mapbox.com/help/dive-deeper/access-tokens/",
  });
}

void add_consumer_platform_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "dropbox.access_token",
      .name = "Dropbox short-lived access token",
      .service = "Dropbox",
      .category = Category::saas,
      .pattern = R"(\b(sl\.(?:u\.)?[A-Za-z0-9_-]{130,})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 1410,
      .min_entropy = 4.0,
      .redact_prefix = 3,
      .examples = {"DROPBOX_TOKEN=sl.KwFakeGOGnTM5tPraHCG9LdxJv6qwUnFP4KPYVjBJGNIi3XRoP17yESw1m_Co-GosrOXpejCAthzjc6L7oFhZQQT4Aj8bMsQxYys1XaVttzJPWooJzjjlkEsXygHMY3yBL5mnmfMITaK", "Authorization: Bearer sl.u.KwFakeNJDK_YaR-sg2qkJrB-n8lN_HQf_UncBRfClgqIF682tM7-nAz-n_5Ul91r4ENNx9iB3kge3N99i0CUBe8_2ocHKbP-9w0w36rF7-t89zokeHP0k5ZmHBBE_YdXLGg6g3I5hZH2bbT1lVOAhK79GUMqz9FL1QBDhoLHKj9P7qnYGqOC3zpMD6riePJfC1d5n-p8eZqniRBYRoF1IiIz0fabCuiYn4qYnbhTTetRhxXAJzmZHeVbfOJidnRPdchZE7r9zQOkUnMqfsNtgrulARkegt0Wkfi9BZpPk-AtvCiqRTtJ1yUwHtin2Gi3T47mha8OX4EG0wPOf7lcj2gkrYDXmWi8RDT08rAodEksvncG8TzoEtK25chh2P94KPmrG1-RcADwnxry"},
      .negative_examples = {"sl.KwFaketN1s71cq026JPJc1YS20HOPOe9j8oCMmAJ"},
      .reference = "https://developers.dropbox.com/oauth-guide",
  });
  rules.push_back({
      .id = "twitter.bearer_token",
      .name = "X (Twitter) app-only bearer token",
      .service = "X",
      .category = Category::saas,
      .pattern = R"(\b(AAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{50,150})\b)",
      .max_match_length = 180,
      .min_entropy = 3.5,
      .redact_prefix = 0,
      .examples = {"TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAKwFakevlSz9dMP3Gg4Nq%3DKwFakeCr3JLPWdJoEgd09zMiONEnr1H6ZZUrcqw9HoqpCo4jmcQaIfgcKbpJ"},
      .negative_examples = {"AAAAAAAAAAAAAAAAAAAAAKwFakerZ1NyvkmBBles6", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
      .reference = "https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/bearer-tokens",
  });
  rules.push_back({
      .id = "facebook.access_token",
      .name = "Meta (Facebook) access token",
      .service = "Meta",
      .category = Category::saas,
      .pattern = R"(\b(EAA[BCDGIJ][A-Za-z0-9]{90,300})\b)",
      .max_match_length = 310,
      .min_entropy = 4.0,
      .redact_prefix = 4,
      .examples = {"FACEBOOK_ACCESS_TOKEN=EAABKwFakeLQBGCvmrTDbNvvCPthdMBGSbg2Etka2zO7WwNdkcWvWXKFEOFylJ21d88i9YdM6PwUno5HBGMKnqmj9t4kbPogk9AidlvAHyVOQ5b2h4zZVG4guuV9GXLinPKBtz5DboF7AiLXR9aDQdNBwNpO0V4txPFfFt3X5Q6b33DWfF1etztu"},
      .negative_examples = {"EAABKwFakeBi06i0DyDy7w9n7F9cdOlDmwBuKxpYlYFx", "EAAAKwFakenshMYJIRGvLFEPJQAlccXHHukrLnCdKOHo7r2VQfjJElY1kbH1QdnEyVu8NpjqDAMIgghYPvbruOcDNV4ezXKiIKQqmaeUHpM8uAFPGE944XrmK74qRmzdRMSnNwUWf60STzb2IoDRUnbSQ28O2pKYt19IBDBq83HOr6AGcb1gaNJ6"},
      .reference = "https://developers.facebook.com/docs/facebook-login/guides/access-tokens/",
  });
}

void add_developer_tool_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "frameio.token",
      .name = "Frame.io developer token",
      .service = "Frame.io",
      .category = Category::saas,
      .pattern = R"(\b(fio-u-[A-Za-z0-9_=-]{64})(?:[^A-Za-z0-9_=-]|$))",
      .max_match_length = 72,
      .redact_prefix = 6,
      .examples = {"FRAMEIO_TOKEN=fio-u-KwFakeD6RsYAK3YaSD_TILnuBeSwM3vfUTJa0G0c0UfGFY7loir3pOcy23Rivj1k"},
      .negative_examples = {"fio-u-KwFake7E8yutkPnZBzPapWKZOitOLT"},
      .reference = "https://developer.frame.io/docs/getting-started/authentication",
  });
  rules.push_back({
      .id = "readme.api_key",
      .name = "ReadMe API key",
      .service = "ReadMe",
      .category = Category::saas,
      .pattern = R"(\b(rdme_[a-z0-9]{70})\b)",
      .max_match_length = 76,
      .redact_prefix = 5,
      .examples = {"README_API_KEY=rdme_kwfaken9rakywxg5xkrb3w2psjmgevc3h6olztlabzda4021ioeyn111smxz3v2idwffnr"},
      .negative_examples = {"rdme_kwfake6z4cxubkir43l6jsvmpx3h3ut7h0poixbg"},
      .reference = "https://docs.readme.com/main/reference/intro/authentication",
  });
  rules.push_back({
      .id = "algolia.admin_key",
      .name = "Algolia admin API key",
      .service = "Algolia",
      .category = Category::saas,
      .pattern = R"((?i:algolia)[A-Za-z0-9_.-]{0,24}(?i:admin|write|secret)[A-Za-z0-9_.-]{0,16}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([a-f0-9]{32})\b)",
      .max_match_length = 100,
      .min_entropy = 3.0,
      .examples = {"ALGOLIA_ADMIN_API_KEY=1120f3efd4ecd665b2b18b8d78dbe202"},
      .negative_examples = {"ALGOLIA_SEARCH_API_KEY=ab07fead6fb9609e7d239f12f09c723a", "ALGOLIA_ADMIN_API_KEY=dd14c0c18c1fc8390c63"},
      .reference = "https://www.algolia.com/doc/guides/security/api-keys/",
  });
}

}  // namespace

void add_saas_rules(std::vector<SecretRule>& rules) {
  add_atlassian_and_shopify_rules(rules);
  add_messaging_api_rules(rules);
  add_productivity_rules(rules);
  add_workspace_tool_rules(rules);
  add_content_and_media_rules(rules);
  add_consumer_platform_rules(rules);
  add_developer_tool_rules(rules);
}

}  // namespace keyward::secrets
