// Payment provider keys: Stripe, Square, PayPal Braintree, Adyen, Plaid, Flutterwave, Shippo,
// EasyPost and Duffel.

#include "secrets/rules/rule_lists.hpp"

namespace keyward::secrets {
namespace {

void add_stripe_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "stripe.secret_key",
      .name = "Stripe live secret key",
      .service = "Stripe",
      .category = Category::payments,
      .pattern = R"(\b(sk_live_[A-Za-z0-9]{24,247})\b)",
      .max_match_length = 256,
      .redact_prefix = 8,
      .examples = {"STRIPE_SECRET_KEY=sk_live_KwFakeLL0FM23U6IdZcrvN8BgKO7lqo0ARdx9rAi9Y3zHvsHfOPL5E0gAUzPm1QkgN25LUKe4lq2q1CtFOOr5SqtswwCvnaUHED", "Stripe.api_key = 'sk_live_KwFakeoGTeqjFo6uaxLAcSUZ'"},
      .negative_examples = {"sk_live_C98rRqHKtxti", "pk_live_KwFakeDm4zAmek0qEFAQJ2eisfMPOqKiFWnkEeBCr2TBlmhumXe5pa46D5HTUbv5BRVzEyP6VFTuW2v3hAEtmzEaUuDyB5dU8oY"},
      .reference = "https://docs.stripe.com/keys",
  });
  rules.push_back({
      .id = "stripe.test_secret_key",
      .name = "Stripe test-mode secret key",
      .service = "Stripe",
      .category = Category::payments,
      .pattern = R"(\b(sk_test_[A-Za-z0-9]{24,247})\b)",
      .max_match_length = 256,
      .redact_prefix = 8,
      .examples = {"STRIPE_SECRET_KEY=sk_test_KwFakerdGStTJ5FbbcZQ6nzimDDdEvl8eSr5t3QnNPsHrB3YWc7xcZjzZU2BzprZOcmcTFS6e2dZXW3YbyEYohMUC2Eo8GEnB1n"},
      .negative_examples = {"sk_test_aFGW8oOW2VZW", "pk_test_KwFakeg9sw3qlKfmQgUGMwyTujZMU3pBCeLhkRebZrxwQVUCsPn6jeMr82jUDjE9cB9qFLu4DD6Pe119HX8ttRrt2BylEGbdx0h"},
      .reference = "https://docs.stripe.com/keys",
  });
  rules.push_back({
      .id = "stripe.restricted_key",
      .name = "Stripe restricted API key",
      .service = "Stripe",
      .category = Category::payments,
      .pattern = R"(\b(rk_(?:live|test)_[A-Za-z0-9]{24,247})\b)",
      .max_match_length = 256,
      .redact_prefix = 8,
      .examples = {"STRIPE_RESTRICTED_KEY=rk_live_KwFakejIjG5BpHXH7rIfkeSbOGbuFPQrzwd0U15u7v2SU54JiGezsnYJ46v5Dq3f0kuGHKBgSD5Mll3SVEdhmAyBIFpO7vyl2yp"},
      .negative_examples = {"rk_live_tgzC8eRJw5zM", "rk_prod_KwFakeqwkEnu7Wi8zxUFCRMx2Fb5JBwE08V5HzPmJs5Nn0ghln43p6sA5JzPfDYEVxnUgEOheqB7kDkt0u4frFInTvD7FbiY1hL"},
      .reference = "https://docs.stripe.com/keys#limit-access",
  });
  rules.push_back({
      .id = "stripe.webhook_secret",
      .name = "Stripe webhook signing secret",
      .service = "Stripe",
      .category = Category::payments,
      .pattern = R"(\b(whsec_[A-Za-z0-9+/=]{32,88})(?:[^A-Za-z0-9+/=]|$))",
      .max_match_length = 96,
      .min_entropy = 3.5,
      .redact_prefix = 6,
      .examples = {"STRIPE_WEBHOOK_SECRET=whsec_KwFakeAT9H0014BnhWL7kvyCRu6hhOlP"},
      .negative_examples = {"whsec_KwFakesS2aX2bv9p", "whsec_1234"},
      .reference = "https://docs.stripe.com/webhooks#verify-official-libraries",
  });
}

void add_card_processor_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "square.access_token",
      .name = "Square access token",
      .service = "Square",
      .category = Category::payments,
      .pattern = R"(\b((?:sq0atp-[0-9A-Za-z_-]{22}|EAAA[A-Za-z0-9_-]{60}))(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 68,
      .redact_prefix = 4,
      .examples = {"SQUARE_ACCESS_TOKEN=EAAAKwFakeAsuL6gVJrFq-JU3guHLFKmKJBaAjQm9YFV2lRgXY5gV61WnkxD7btH", "square.access_token=sq0atp-KwFakeS2FMfOeQxueS48uP"},
      .negative_examples = {"EAAAKwFakeHOMez51sT1gsGrmm8Z9dEPUqO-dWAojOMo", "sq0atp-F3iR-0zqHW"},
      .reference = "https://developer.squareup.com/docs/build-basics/access-tokens",
  });
  rules.push_back({
      .id = "square.oauth_secret",
      .name = "Square OAuth application secret",
      .service = "Square",
      .category = Category::payments,
      .pattern = R"(\b(sq0csp-[0-9A-Za-z_-]{43})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 52,
      .redact_prefix = 7,
      .examples = {"SQUARE_APPLICATION_SECRET=sq0csp-KwFake_DJG41dzKRJFzxAFBqQpQVDKEMUfmDMUzsSxp"},
      .negative_examples = {"sq0csp-KwFakeTn6haWDjmH7yGB"},
      .reference = "https://developer.squareup.com/docs/oauth-api/overview",
  });
  rules.push_back({
      .id = "braintree.access_token",
      .name = "PayPal Braintree access token",
      .service = "PayPal Braintree",
      .category = Category::payments,
      .pattern = R"(\b(access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32})\b)",
      .max_match_length = 80,
      .redact_prefix = 13,
      .examples = {"BRAINTREE_ACCESS_TOKEN=access_token$production$kwfake1wtoifwphp$64af493faff8916b8f955db5e4157eba"},
      .negative_examples = {"access_token$production$kwfakeiogg7y7q4t$d714421cea20bec5", "access_token$staging$kwfakehpel55ho1r$63dd2f45ec6e4bdf368d0d6f0f3e8257"},
      .reference = "https://developer.paypal.com/braintree/docs/guides/authorization/overview",
  });
  rules.push_back({
      .id = "adyen.api_key",
      .name = "Adyen API key",
      .service = "Adyen",
      .category = Category::payments,
      .pattern = R"((?i:adyen)[A-Za-z0-9_.-]{0,24}(?i:key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?(AQE[A-Za-z0-9+/=._-]{60,300})(?:[^A-Za-z0-9+/=._-]|$))",
      .max_match_length = 360,
      .min_entropy = 4.0,
      .redact_prefix = 3,
      .examples = {"ADYEN_API_KEY=AQEKwFakeSzRPcI4UvZyPu7ThdnLwFWmz9CMteR3gHQAY/FocBo2WSkz0FJI0vy98nBIxmLTMd+6MHYYXbo=-KwFakeWCYHFaOsDGZyklwOleWNF0Vaq+2pKwwsHS"},
      .negative_examples = {"ADYEN_API_KEY=AQEKwFakelPmJFF55f6xqjk", "ADYEN_MERCHANT_ACCOUNT=KwFakeMerchantECOM"},
      .reference = "https://docs.adyen.com/development-resources/api-credentials/",
  });
  rules.push_back({
      .id = "flutterwave.secret_key",
      .name = "Flutterwave secret key",
      .service = "Flutterwave",
      .category = Category::payments,
      .pattern = R"(\b(FLWSECK(?:_TEST)?-[a-f0-9]{32}-X)\b)",
      .max_match_length = 50,
      .redact_prefix = 8,
      .examples = {"FLW_SECRET_KEY=FLWSECK-9d1d86915d8533a0caa136f35edaf7c9-X", "FLW_SECRET_KEY=FLWSECK_TEST-45031e0c5eb130ba08eece77b8cd0b0b-X"},
      .negative_examples = {"FLWPUBK-a088bcade2a61926ecf9ef9b6de0711f-X", "FLWSECK-1ece75b0f1f2634cdb10-X"},
      .reference = "https://developer.flutterwave.com/docs/authentication",
  });
}

void add_commerce_api_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "plaid.access_token",
      .name = "Plaid access token",
      .service = "Plaid",
      .category = Category::payments,
      .pattern = R"(\b(access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b)",
      .max_match_length = 60,
      .redact_prefix = 7,
      .examples = {R"({"access_token": "access-production-bbde1e3d-c772-404e-a832-037421b3163a"})"},
      .negative_examples = {"access-production-ed8f427a6dbf71cfe06f19960aad37fb", "access-staging-33e7ecb4-e7d5-406c-814a-a3ac3eeb4262"},
      .reference = "https://plaid.com/docs/api/items/",
  });
  rules.push_back({
      .id = "plaid.secret",
      .name = "Plaid API secret",
      .service = "Plaid",
      .category = Category::payments,
      .pattern = R"((?i:plaid)[A-Za-z0-9_.-]{0,24}(?i:secret)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([a-f0-9]{30})\b)",
      .max_match_length = 90,
      .min_entropy = 3.0,
      .examples = {"PLAID_SECRET=6ebd2481915a50656433b1485816d4"},
      .negative_examples = {"PLAID_CLIENT_ID=b4e31c4d48dd8ebf883a034a", "PLAID_SECRET=9e2e337a7e6020157b84"},
      .reference = "https://plaid.com/docs/api/#api-keys-and-access",
  });
  rules.push_back({
      .id = "shippo.api_token",
      .name = "Shippo live API token",
      .service = "Shippo",
      .category = Category::payments,
      .pattern = R"(\b(shippo_live_[a-f0-9]{40})\b)",
      .max_match_length = 52,
      .redact_prefix = 12,
      .examples = {"Authorization: ShippoToken shippo_live_a3361c6688b0d92a161b0d68b09ec36637f11900"},
      .negative_examples = {"shippo_live_54e20ab9d19628597c0f", "shippo_test_622015ffa2fc2a9076dbed7cb27d70bd1fd0d624"},
      .reference = "https://docs.goshippo.com/docs/guides_general/authentication/",
  });
  rules.push_back({
      .id = "easypost.api_key",
      .name = "EasyPost API key",
      .service = "EasyPost",
      .category = Category::payments,
      .pattern = R"(\b(EZ[AT]K[A-Za-z0-9]{54})\b)",
      .max_match_length = 58,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {"EASYPOST_API_KEY=EZAKKwFakeioRd7JStMZ5XRJHAw2ViUYSnrjY8e0uRbwQYUQH8xdGLM5Zg", "EASYPOST_TEST_KEY=EZTKKwFakeeWdKeAYskEBkgweD8LwXgIaOCv1fQKalbJI4EjvZB6onMwXb"},
      .negative_examples = {"EZAKKwFakeCDOFdECCARY4xIZMsUo1Ri9s", "EZXKKwFaken8zEnQD2ZPfpo98AcFz9N8IrpSO0zmZ6uPaoymI4ovc2e1Fw"},
      .reference = "https://docs.easypost.com/docs/authentication",
  });
  rules.push_back({
      .id = "duffel.access_token",
      .name = "Duffel live access token",
      .service = "Duffel",
      .category = Category::payments,
      .pattern = R"(\b(duffel_live_[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 60,
      .redact_prefix = 12,
      .examples = {"DUFFEL_ACCESS_TOKEN=duffel_live_KwFake2hP7HPrYDwauFC4LzzwRrbn87dpRrY07h92T7"},
      .negative_examples = {"duffel_live_KwFakep5Ij4GHVZrdX4L", "duffel_test_KwFakefvul3_x3Og5ySS_IouvjAorKKpHp_wURfulY8"},
      .reference = "https://duffel.com/docs/api/overview/making-requests/authentication",
  });
}

}  // namespace

void add_payment_rules(std::vector<SecretRule>& rules) {
  add_stripe_rules(rules);
  add_card_processor_rules(rules);
  add_commerce_api_rules(rules);
}

}  // namespace keyward::secrets
