// Credentials of cloud and hosting platforms other than AWS, Google Cloud and Azure.

#include "secrets/rules/rule_lists.hpp"

namespace keyward::secrets {
namespace {

void add_alibaba_and_tencent_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "alibaba.access_key_id",
      .name = "Alibaba Cloud AccessKey ID",
      .service = "Alibaba Cloud",
      .category = Category::cloud,
      .pattern = R"(\b(LTAI[A-Za-z0-9]{20})\b)",
      .max_match_length = 24,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIKwFakeJbCrBB8RVZZbTx"},
      .negative_examples = {"LTAIKwFakeG0RNW9lLLS", "LTAIKwFakef2ajiGrTlEXPzTap7F"},
      .reference = "https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair",
  });
  rules.push_back({
      .id = "alibaba.access_key_secret",
      .name = "Alibaba Cloud AccessKey secret",
      .service = "Alibaba Cloud",
      .category = Category::cloud,
      .pattern = R"((?i:alibaba|aliyun|alicloud)[A-Za-z0-9_.-]{0,24}(?i:secret)[A-Za-z0-9_.-]{0,16}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9]{30})\b)",
      .max_match_length = 120,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"ALIBABA_CLOUD_ACCESS_KEY_SECRET=KwFakeClE8fDciTafVdj51Px1BuH2H"},
      .negative_examples = {"ALIBABA_CLOUD_ACCESS_KEY_SECRET=KwFakeA1QomDcU1Zl2hV1zrC", "ACCESS_KEY_SECRET=KwFakeAxZJQjwToBpcgo6SQeDaapoG"},
      .reference = "https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair",
  });
  rules.push_back({
      .id = "tencent.secret_id",
      .name = "Tencent Cloud SecretId",
      .service = "Tencent Cloud",
      .category = Category::cloud,
      .pattern = R"(\b(AKID[A-Za-z0-9]{32})\b)",
      .max_match_length = 36,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"TENCENTCLOUD_SECRET_ID=AKIDKwFakedYylNvNKWQLHZ1emiIgyAg8VXb"},
      .negative_examples = {"AKIDKwFake9355yDfej8uGTj", "AKIDKwFakeUju58xvhQbnMeRbwFwOjyoWhDet2ph"},
      .reference = "https://www.tencentcloud.com/document/product/598/34228",
  });
}

void add_digitalocean_and_heroku_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "digitalocean.pat",
      .name = "DigitalOcean personal access token",
      .service = "DigitalOcean",
      .category = Category::cloud,
      .pattern = R"(\b(dop_v1_[a-f0-9]{64})\b)",
      .max_match_length = 72,
      .redact_prefix = 7,
      .examples = {"DIGITALOCEAN_TOKEN=dop_v1_403ebc3f3ee49bd3391581c3acb3686dbdf644407268f52769b47e73d5ac6938"},
      .negative_examples = {"dop_v1_dcd8680c00a1275049b81756b144386cd70abb0c", "dop_v2_ce39c118ce3ce5792a46c31f1d44abfc299573682564ea5d0c8923300189e67b"},
      .reference = "https://docs.digitalocean.com/reference/api/create-personal-access-token/",
  });
  rules.push_back({
      .id = "digitalocean.oauth_token",
      .name = "DigitalOcean OAuth access token",
      .service = "DigitalOcean",
      .category = Category::cloud,
      .pattern = R"(\b(doo_v1_[a-f0-9]{64})\b)",
      .max_match_length = 72,
      .redact_prefix = 7,
      .examples = {R"({"access_token": "doo_v1_d10e684dda3e886fd909ad049e2721e4110de54313687f1019b1c55ff6731776"})"},
      .negative_examples = {"doo_v1_9a41fa9c4f94c2766538169a22a64fe91aedda07b826a60aeba4a69eff492e0", "doo_v1_5b483d8d6a507212b5793737a2af353dbbe705ebd15444fb2b57d15469681c610"},
      .reference = "https://docs.digitalocean.com/reference/api/oauth/",
  });
  rules.push_back({
      .id = "digitalocean.refresh_token",
      .name = "DigitalOcean OAuth refresh token",
      .service = "DigitalOcean",
      .category = Category::cloud,
      .pattern = R"(\b(dor_v1_[a-f0-9]{64})\b)",
      .max_match_length = 72,
      .redact_prefix = 7,
      .examples = {R"({"refresh_token": "dor_v1_81c081c8f3fb4d32c306a2ca2c44d082a8b901dff0fa69eed60f823c0afc8091"})"},
      .negative_examples = {"dor_v1_336a5ad6aafdfe9e70c0df4deee75ce3", "dor_v1_KwFakepjTgcwHMwx6ZUWYK2ISVEEn6uoZZItwhpHtGsAmouAIdTVUrArO9HMQnBH"},
      .reference = "https://docs.digitalocean.com/reference/api/oauth/",
  });
  rules.push_back({
      .id = "heroku.api_key",
      .name = "Heroku API key",
      .service = "Heroku",
      .category = Category::cloud,
      .pattern = R"(\b(HRKU-AA[0-9A-Za-z_-]{58})(?:[^0-9A-Za-z_-]|$))",
      .max_match_length = 68,
      .redact_prefix = 7,
      .examples = {"HEROKU_API_KEY=HRKU-AAKwFakeARFnnrM6cTGNWXlGNZniiJ-dAlEM04-IB6G-oDrt3UhWKlpBI01H"},
      .negative_examples = {"HRKU-AAKwFakeYjfyWlkqLnrkeuuy0_uqy0t2BGGP8YdOV8", "HRKU-ABKwFakeMPWFPo1HIEJrWvjOjmc0nT-DPos_5bNUKSuRIN79W-q7t0uDxN9H"},
      .reference = "https://devcenter.heroku.com/articles/authentication",
  });
  rules.push_back({
      .id = "heroku.api_key_legacy",
      .name = "Heroku API key (UUID format)",
      .service = "Heroku",
      .category = Category::cloud,
      .pattern = R"((?i:heroku)[A-Za-z0-9_.-]{0,24}(?i:key|token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\b)",
      .max_match_length = 110,
      .min_entropy = 3.0,
      .examples = {"HEROKU_API_KEY=2fceeaee-7f77-4842-8ab1-87b424696c65"},
      .negative_examples = {"HEROKU_APP_ID=10974c4c-0fbc-4268-84e3-585d594ae66b", "HEROKU_API_KEY=8ae314c0abf9609fb6d3d5733f65d6da"},
      .reference = "https://devcenter.heroku.com/articles/authentication",
  });
}

void add_cloudflare_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "cloudflare.origin_ca_key",
      .name = "Cloudflare Origin CA key",
      .service = "Cloudflare",
      .category = Category::cloud,
      .pattern = R"(\b(v1\.0-[0-9a-f]{24}-[0-9a-f]{146})\b)",
      .max_match_length = 180,
      .redact_prefix = 5,
      .examples = {"CF_ORIGIN_CA_KEY=v1.0-17daada2d80bc7ea174d39ac-da43f2af6a5a578f5c58b559fc2756105c301013201f03e30b21249c9c5b8c07816b45665401546afbacb1e955da3d90862fef17528089d7f71b9a6f9085e36839bef769f164a624a3"},
      .negative_examples = {"v1.0-b0c9b30012919426fd09ffcf-f73dd9a19d765474d302f98ba6e7f0b94f89b8d01a3e30672713c654c93a21f6de2bf7bbfcd8af7db2550a767370b3c53919", "version v1.0-beta"},
      .reference = "https://developers.cloudflare.com/fundamentals/api/get-started/ca-keys/",
  });
  rules.push_back({
      .id = "cloudflare.api_token",
      .name = "Cloudflare API token",
      .service = "Cloudflare",
      .category = Category::cloud,
      .pattern = R"((?i:cloudflare[_.-]?(?:api[_.-]?)?token|cf[_.-]api[_.-]?token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9_-]{40})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 100,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"CLOUDFLARE_API_TOKEN=KwFakeIJZD3G9m9AYlrMmmCZDRDsUDuo7R46QtHx", "cf_api_token: KwFakeDMK57V0iLEaHhsColhDNmhB6WGdmrSXt5x"},
      .negative_examples = {"CLOUDFLARE_API_TOKEN=KwFakeSS6KEglOMK6pTnkEXxcaduqxsU", "CLOUDFLARE_ZONE_ID=1e873fe2b97bb9686c3cd7236effc4d6"},
      .reference = "https://developers.cloudflare.com/fundamentals/api/get-started/create-token/",
  });
  rules.push_back({
      .id = "cloudflare.global_api_key",
      .name = "Cloudflare global API key",
      .service = "Cloudflare",
      .category = Category::cloud,
      .pattern = R"((?i:cloudflare[_.-]?(?:api[_.-]?)?key|cf[_.-]api[_.-]?key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{37})\b)",
      .max_match_length = 96,
      .min_entropy = 3.0,
      .examples = {"CLOUDFLARE_API_KEY=b4385c7865affdbbbe6472dcff3931a9d9caf", "X-Auth-Key used with CF_API_KEY: c20ebbee3a41f9694f173b4e217a95bb346fe"},
      .negative_examples = {"CLOUDFLARE_API_KEY=3f2d3c7cb1eaa2843245eb99223b37d7", "CLOUDFLARE_ACCOUNT=bc40db0185ab92d386d4e364b4d6c94ee8a3c"},
      .reference = "https://developers.cloudflare.com/fundamentals/api/get-started/keys/",
  });
}

void add_data_platform_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "databricks.pat",
      .name = "Databricks personal access token",
      .service = "Databricks",
      .category = Category::cloud,
      .pattern = R"(\b(dapi[0-9a-f]{32}(?:-[0-9])?)\b)",
      .max_match_length = 40,
      .redact_prefix = 4,
      .examples = {"DATABRICKS_TOKEN=dapi13f62a28238f275e100f9203ad812957", "token = dapi280df9ed68e84b8aebc13c851c2d2656-2"},
      .negative_examples = {"dapi04f100b01cebfc2d3827", "dapiKwFakeP37Pc2aLIMTuQcooxIJjY71AMb"},
      .reference = "https://docs.databricks.com/en/dev-tools/auth/pat.html",
  });
  rules.push_back({
      .id = "ibm.cloud_api_key",
      .name = "IBM Cloud API key",
      .service = "IBM Cloud",
      .category = Category::cloud,
      .pattern = R"((?i:(?:ibm|bluemix)[_.-]?(?:cloud)?[_.-]?api[_.-]?key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9_-]{44})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 110,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"IBMCLOUD_API_KEY=KwFakeIn_LgGODy3lid-Fqi4uJRgoOCtlnk0Mnc0fw1E", R"("ibm_api_key": "KwFakeVcfnY3ldERtz1zDhViQ1t9Mfvo4R5ealQPVKZO")"},
      .negative_examples = {"IBMCLOUD_API_KEY=KwFakeHrYG4gB7saEwg2fmbEsjiICLwiLv59givL", "API_KEY=KwFakeK3anZsq8vrGA4l4w14flCj8uzZMTSEXmCTxu_s"},
      .reference = "https://cloud.ibm.com/docs/account?topic=account-userapikey",
  });
  rules.push_back({
      .id = "oracle.oci_customer_secret_key",
      .name = "Oracle Cloud Infrastructure customer secret key",
      .service = "Oracle Cloud",
      .category = Category::cloud,
      .pattern = R"((?i:oci[_.-]|oracle)[A-Za-z0-9_.-]{0,24}(?i:secret)[A-Za-z0-9_.-]{0,16}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9+/]{43}=))",
      .max_match_length = 120,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"OCI_SECRET_ACCESS_KEY=NKCJr4zp/z3Z7RuPt3I3Pu1gyP1s+P/9CBij7ZCFeTw="},
      .negative_examples = {"OCI_SECRET_ACCESS_KEY=99ER77bhjpWB+BusB55u7g==", "SECRET_ACCESS_KEY=5SOOpoAx82gKJkFHGd7QZV67xVwxN/N4rSLZyU3s570="},
      .reference = "https://docs.oracle.com/en-us/iaas/Content/Identity/access/managing-user-credentials.htm",
  });
}

void add_hosting_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "linode.api_token",
      .name = "Linode (Akamai) API token",
      .service = "Linode",
      .category = Category::cloud,
      .pattern = R"((?i:linode)[A-Za-z0-9_.-]{0,24}(?i:token|key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{64})\b)",
      .max_match_length = 130,
      .min_entropy = 3.0,
      .examples = {"LINODE_TOKEN=ec773a5b5fa6550f16779421959af79de66c9dc3b497e7ea29ace6aa4c8f0840"},
      .negative_examples = {"LINODE_TOKEN=c99eb1613588af0be57b49fc20d756b4432b0c7c", "TOKEN=9f81e7fba1a82eed22aa5167405b6ff1383d269c19e126166e4c1e254bbdbe39"},
      .reference = "https://techdocs.akamai.com/linode-api/reference/get-started",
  });
  rules.push_back({
      .id = "scaleway.access_key",
      .name = "Scaleway API access key",
      .service = "Scaleway",
      .category = Category::cloud,
      .pattern = R"(\b(SCW[A-Z0-9]{17})\b)",
      .max_match_length = 20,
      .min_entropy = 3.0,
      .redact_prefix = 3,
      .examples = {"SCW_ACCESS_KEY=SCWKWFAKEE5QKG59P4E3"},
      .negative_examples = {"SCWGWJWY8YU9R9F", "SCWkwfakeprww0xv48xk"},
      .reference = "https://www.scaleway.com/en/docs/iam/concepts/#api-key",
  });
  rules.push_back({
      .id = "scaleway.secret_key",
      .name = "Scaleway API secret key",
      .service = "Scaleway",
      .category = Category::cloud,
      .pattern = R"((?i:scw[_.-]?secret|scaleway[_.-]?secret)[A-Za-z0-9_.-]{0,16}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b)",
      .max_match_length = 90,
      .min_entropy = 3.0,
      .examples = {"SCW_SECRET_KEY=76389746-d52c-4832-9904-f0cbe627ed25"},
      .negative_examples = {"SCW_DEFAULT_PROJECT_ID=46d1ec78-6fb0-4f0a-bdc8-0aaf357c2f32", "SCW_SECRET_KEY=2f5d9f9475e414288913ae5c06391ff8"},
      .reference = "https://www.scaleway.com/en/docs/iam/concepts/#api-key",
  });
  rules.push_back({
      .id = "hetzner.api_token",
      .name = "Hetzner Cloud API token",
      .service = "Hetzner",
      .category = Category::cloud,
      .pattern = R"((?i:hcloud|hetzner)[A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9]{64})\b)",
      .max_match_length = 130,
      .min_entropy = 3.5,
      .examples = {"HCLOUD_TOKEN=KwFakeKxt1vNvTXz0aqULcGJ2sDrUpI1nsNJ9UAXvJORg6u1bJnVIDudVd8RsyuE"},
      .negative_examples = {"HCLOUD_TOKEN=KwFakeEqjhFwQVV2frWcfl6nAa4rt3xczZBTYGJ0", "HCLOUD_ENDPOINT=KwFakekiHZDWdmxz2GuixjWXPrNYsPiI71X4ShBnRKAd1yPeQPx0FPYrcPQUwm6u"},
      .reference = "https://docs.hetzner.cloud/#authentication",
  });
}

void add_app_platform_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "flyio.access_token",
      .name = "Fly.io access token",
      .service = "Fly.io",
      .category = Category::cloud,
      .pattern = R"(\b(fo1_[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 48,
      .redact_prefix = 4,
      .examples = {"FLY_API_TOKEN=fo1_KwFakepo_7UFN08qi1cTw_XinRTdDds5ko-HkMpA3dL"},
      .negative_examples = {"fo1_KwFakeqIIyLaszVQnySPq8V54Bx8Kl", "fo2_KwFake4-m7A0XKIZtavPc9djkNxGjeJ6e3rNo3_driq"},
      .reference = "https://fly.io/docs/security/tokens/",
  });
  rules.push_back({
      .id = "netlify.pat",
      .name = "Netlify personal access token",
      .service = "Netlify",
      .category = Category::cloud,
      .pattern = R"(\b(nfp_[A-Za-z0-9]{36})\b)",
      .max_match_length = 40,
      .redact_prefix = 4,
      .examples = {"NETLIFY_AUTH_TOKEN=nfp_KwFakeb4HSAeOFBdngmjJcf1HsNE5svk0MZi"},
      .negative_examples = {"nfp_KwFakeH9TyFpUHo54ffq", "nfp_KwFake8wYlUGBNYsx57dYSLwYLbDCO1qcNzqfgU5"},
      .reference = "https://docs.netlify.com/api/get-started/#authentication",
  });
  rules.push_back({
      .id = "supabase.access_token",
      .name = "Supabase personal access token",
      .service = "Supabase",
      .category = Category::cloud,
      .pattern = R"(\b(sbp_[a-f0-9]{40})\b)",
      .max_match_length = 44,
      .redact_prefix = 4,
      .examples = {"SUPABASE_ACCESS_TOKEN=sbp_1da5a46d9f17d6ecf4855718d05d37d160971c22"},
      .negative_examples = {"sbp_885364998f17dd789f1912e4908851e7", "sbp_KwFakeBEC0czZ2aoM1I3jrL01cqMSDIA7HBnNk36"},
      .reference = "https://supabase.com/docs/reference/api/introduction",
  });
  rules.push_back({
      .id = "planetscale.token",
      .name = "PlanetScale service token, password or OAuth token",
      .service = "PlanetScale",
      .category = Category::database,
      .pattern = R"(\b(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.=-]{32,64})(?:[^A-Za-z0-9_.=-]|$))",
      .max_match_length = 80,
      .min_entropy = 3.5,
      .redact_prefix = 7,
      .examples = {"PLANETSCALE_SERVICE_TOKEN=pscale_tkn_KwFakeaKF_CvEBcJqqA1LZdVTbuhPuEqwsHztaltEiJ", "password: pscale_pw_KwFakeq_nIHQrr96MnOV1FrJMo-L1iG3YY9MAiXLNYN"},
      .negative_examples = {"pscale_tkn_KwFakeZqWv-2l5X7MvNV", "pscale_xyz_KwFakeuDeJU3IfMY7n8P9JqX4eEsbTez8DajNJIqUaY"},
      .reference = "https://planetscale.com/docs/concepts/service-tokens",
  });
  rules.push_back({
      .id = "yandex.cloud_api_key",
      .name = "Yandex Cloud API key",
      .service = "Yandex Cloud",
      .category = Category::cloud,
      .pattern = R"(\b(AQVN[A-Za-z0-9_-]{35,38})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 44,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"YC_API_KEY=AQVNKwFakehCFednIk2rgqUY_1yLgpCYtFR7ecqW"},
      .negative_examples = {"AQVNKwFakeHUc7VLUuF_SWYN", "AQVNKwFakeJsllmTqhd-F2CZgevp36zkHasbJbe1C7j42Fe6Z"},
      .reference = "https://yandex.cloud/en/docs/iam/concepts/authorization/api-key",
  });
}

}  // namespace

void add_cloud_platform_rules(std::vector<SecretRule>& rules) {
  add_alibaba_and_tencent_rules(rules);
  add_digitalocean_and_heroku_rules(rules);
  add_cloudflare_rules(rules);
  add_data_platform_rules(rules);
  add_hosting_rules(rules);
  add_app_platform_rules(rules);
}

}  // namespace keyward::secrets
