// Chat platform tokens and webhooks: Slack, Microsoft Teams, Discord and Telegram.

#include "secrets/rules/rule_lists.hpp"
#include "secrets/validators/structure.hpp"

namespace keyward::secrets {
namespace {

constexpr std::string_view kSlackTokenTypes = "https://docs.slack.dev/authentication/tokens";

void add_slack_token_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "slack.bot_token",
      .name = "Slack bot token",
      .service = "Slack",
      .category = Category::chat,
      .pattern = R"(\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{23,25})\b)",
      .max_match_length = 60,
      .redact_prefix = 5,
      .examples = {"SLACK_BOT_TOKEN=xoxb-450764540821-6793393243852-KwFake6ZvizQaHwyFopSf3W3"},
      .negative_examples = {"xoxb-339499939372-KwFakeIXsQDRELjDv91oFfiN", "xoxb-your-token-here"},
      .reference = kSlackTokenTypes,
  });
  rules.push_back({
      .id = "slack.user_token",
      .name = "Slack user token",
      .service = "Slack",
      .category = Category::chat,
      .pattern = R"(\b(xoxp-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{32})\b)",
      .max_match_length = 80,
      .redact_prefix = 5,
      .examples = {"SLACK_USER_TOKEN=xoxp-677283627479-416488188933-0999213299593-a4d70a6d53a39a2ce537dcca35b058c1"},
      .negative_examples = {"xoxp-845440532617-140771288676-9b2ee719ef412489f221a42c8443224d"},
      .reference = kSlackTokenTypes,
  });
  rules.push_back({
      .id = "slack.app_token",
      .name = "Slack app-level token",
      .service = "Slack",
      .category = Category::chat,
      .pattern = R"(\b(xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[a-f0-9]{64})\b)",
      .max_match_length = 100,
      .redact_prefix = 5,
      .examples = {"SLACK_APP_TOKEN=xapp-1-AHP2R79TAGA-4451790538523-25d64a9dc971273b552e28f67850188fe28cf8084ad90c376c629161b7ca461a"},
      .negative_examples = {"xapp-1-AGD1JSQLJRW-9952019544815-a265acc9ab09a1d88b743fe87cca1a21"},
      .reference = kSlackTokenTypes,
  });
}

void add_slack_config_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "slack.config_token",
      .name = "Slack app configuration access token",
      .service = "Slack",
      .category = Category::chat,
      .pattern = R"(\b(xoxe\.xox[bp]-1-[A-Za-z0-9]{140,180})\b)",
      .max_match_length = 200,
      .redact_prefix = 10,
      .examples = {"SLACK_CONFIG_TOKEN=xoxe.xoxp-1-KwFake66KJ3X4kgDC0rkU6iwqoE2l4yL5rFrxwd8aE14vQbCqpfYBa3UuvxW8skLvtRtf8NvhgfiwHhMWlm5sNGagNELwoTooMP9E2UYMshBA3BBYXsD5ag2Sy1V3pWJCCxnwQShRIuXlQtWV3srASoGVSAVR4nh"},
      .negative_examples = {"xoxe.xoxp-1-KwFakeQWlDYAhyYMEu4dp2JZDp7heXtEsmW8ooSpYuLd9HQw7XVnsSefOIKB"},
      .reference = "https://docs.slack.dev/app-manifests/configuring-apps-with-app-manifests",
  });
  rules.push_back({
      .id = "slack.config_refresh_token",
      .name = "Slack app configuration refresh token",
      .service = "Slack",
      .category = Category::chat,
      .pattern = R"(\b(xoxe-1-[A-Za-z0-9]{130,160})\b)",
      .max_match_length = 170,
      .redact_prefix = 7,
      .examples = {"SLACK_CONFIG_REFRESH_TOKEN=xoxe-1-KwFakeIa9eVse7DCgJYv73sPG034bBfyFHJRr1fFHEUK8csCibr9A606h0fgcMsky4p1gUjvem5lvHWyEakk6QSx2i0w2E70RuRZDzTldlssRUu6OKHtQInDVa8roypZaShz8S3QUlNf3xiauK"},
      .negative_examples = {"xoxe-1-KwFakeyZvCjUjhRApjeCZgKgn7QFDn3PV5SrUvH0"},
      .reference = "https://docs.slack.dev/app-manifests/configuring-apps-with-app-manifests",
  });
  rules.push_back({
      .id = "slack.legacy_token",
      .name = "Slack legacy workspace, refresh or session token",
      .service = "Slack",
      .category = Category::chat,
      .pattern = R"(\b(xox[aors]-(?:[0-9]{1,13}-){1,4}[A-Za-z0-9]{24,64})\b)",
      .max_match_length = 130,
      .redact_prefix = 5,
      .examples = {"token=xoxa-2-485668289771-3452558640734-KwFakeZYrdUubQ5xB6K6F8Qs63i58MVl", "xoxs-32293433399-137308439980-KwFake2xnu07MaIq2xO7HRTUZE6pN1KVQCJa47RS"},
      .negative_examples = {"xoxa-2-801158195647-SFPbWYYTnt5e", "xoxz-2-297867339232-KwFakeOj71QjPHKxlDWXCzdj39jrXzVB"},
      .reference = kSlackTokenTypes,
  });
  rules.push_back({
      .id = "slack.browser_token",
      .name = "Slack browser session token",
      .service = "Slack",
      .category = Category::chat,
      .pattern = R"(\b(xoxc-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[a-f0-9]{64})\b)",
      .max_match_length = 120,
      .redact_prefix = 5,
      .examples = {"xoxc-111968843221-655246079777-3071166973285-2b17370a0a4c0d0709e617ec8a3d32a00cb0573705e8381c170fbf524ef5ed4f"},
      .negative_examples = {"xoxc-829811637897-965276208758-0902796429852-7801cab38c9a631d9c98fd00b390ec81"},
      .reference = kSlackTokenTypes,
  });
}

void add_webhook_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "slack.webhook_url",
      .name = "Slack incoming webhook URL",
      .service = "Slack",
      .category = Category::chat,
      .pattern = R"((https://hooks\.slack\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24})\b)",
      .max_match_length = 100,
      .redact_prefix = 33,
      .examples = {"SLACK_WEBHOOK_URL=https://hooks.slack.com/services/TRE814CX34M/BSXE2V61VGS/KwFakerZAL4FgSVjA58GhV9L"},
      .negative_examples = {"https://hooks.slack.com/services/T00000000/B00000000/", "https://hooks.slack.com/services/TM86K784MAM/BG7G7J0SVY8/fiyj49kZYxk7"},
      .reference = "https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks",
  });
  rules.push_back({
      .id = "slack.workflow_webhook_url",
      .name = "Slack workflow webhook URL",
      .service = "Slack",
      .category = Category::chat,
      .pattern = R"((https://hooks\.slack\.com/(?:workflows|triggers)/T[A-Z0-9]{8,12}/A[A-Z0-9]{8,12}/[0-9]{17,19}/[A-Za-z0-9]{32})\b)",
      .max_match_length = 130,
      .redact_prefix = 24,
      .examples = {"https://hooks.slack.com/triggers/TMZIDYTZF5I/AMKWEQU6VXZ/126116783194594289/KwFakeWtgrve7JmCG6EXM8ifDUJcwHda"},
      .negative_examples = {"https://hooks.slack.com/triggers/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"},
      .reference = "https://slack.com/help/articles/360041352714-Build-a-workflow--Create-a-workflow-that-starts-outside-of-Slack",
  });
  rules.push_back({
      .id = "teams.webhook_url",
      .name = "Microsoft Teams incoming webhook URL",
      .service = "Microsoft Teams",
      .category = Category::chat,
      .pattern = R"((https://[A-Za-z0-9-]{1,60}\.webhook\.office\.com/webhookb2/[0-9a-f-]{36}@[0-9a-f-]{36}/IncomingWebhook/[0-9a-f]{32}/[0-9a-f-]{36}(?:/[A-Za-z0-9_-]{20,80})?)(?:[^A-Za-z0-9_/-]|$))",
      .max_match_length = 320,
      .redact_prefix = 30,
      .examples = {"https://kwfake.webhook.office.com/webhookb2/6e301e13-09f7-4178-8c12-6803af03be3c@b636757a-2e4a-4c2e-872d-f3267f9e6aca/IncomingWebhook/29ad892e74de472753f9c22a6ada5d17/05b83c3d-aba5-4e19-a5cc-d2ef6edfc80f"},
      .negative_examples = {"https://kwfake.webhook.office.com/webhookb2/f18666c3-4614-439b-be0e-e5eda3b620cd@e3d0f19f-bcde-4cd1-a859-051a8d3fe691/IncomingWebhook/"},
      .reference = "https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook",
  });
  rules.push_back({
      .id = "microsoft.power_automate_webhook_url",
      .name = "Power Automate workflow webhook URL (Teams workflows)",
      .service = "Microsoft Power Automate",
      .category = Category::chat,
      .pattern = R"((https://[A-Za-z0-9.-]{1,100}\.logic\.azure\.com(?::443)?/workflows/[0-9a-f]{32}/triggers/[A-Za-z0-9_]{1,64}/paths/invoke\?[A-Za-z0-9%&=._-]{0,200}?sig=[A-Za-z0-9_-]{43}))",
      .max_match_length = 420,
      .redact_prefix = 30,
      .examples = {"https://prod-12.westus.logic.azure.com:443/workflows/a8be4719bc01b5e51e6980a0e4f856af/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=KwFakejw0lMVg8iabojuqMoTBm90srRx9Oi6EC-MnAH"},
      .negative_examples = {"https://prod-12.westus.logic.azure.com:443/workflows/48f4f24ae83223500040cf55285f00d2/triggers/manual/paths/invoke?api-version=2016-06-01"},
      .reference = "https://learn.microsoft.com/en-us/power-automate/triggers-introduction",
  });
  rules.push_back({
      .id = "discord.webhook_url",
      .name = "Discord webhook URL",
      .service = "Discord",
      .category = Category::chat,
      .pattern = R"((https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,80})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 140,
      .redact_prefix = 33,
      .examples = {"DISCORD_WEBHOOK=https://discord.com/api/webhooks/1247275562080989528/KwFakeGhH8-A_k9LlGIeUzbxAm2R_HxTDYBhyCAjSQZnLiMJkmJYRgxO0LPF2t7iPw4W"},
      .negative_examples = {"https://discord.com/api/webhooks/5040988198969209170/"},
      .reference = "https://discord.com/developers/docs/resources/webhook",
  });
}

void add_bot_token_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "discord.bot_token",
      .name = "Discord bot token",
      .service = "Discord",
      .category = Category::chat,
      .pattern = R"((?i:discord)[A-Za-z0-9_.-]{0,24}(?i:token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 130,
      .validate = validate_discord_bot_token,
      .examples = {"DISCORD_BOT_TOKEN=MTE4MDQxMjM0NTY3ODkwMTIzNA.8IfCy-.KwFakeTcDr-DHRAtKZD0jtJEKouH3rXv-MnzZQ"},
      .negative_examples = {"DISCORD_BOT_TOKEN=KwFake3JDEHTkS-Qhi3EETMu-m.eQnxXO.KwFakeNYUpyOaeIocht2VOE7DAMQGIscmxQWeG"},
      .reference = "https://discord.com/developers/docs/reference#authentication",
  });
  rules.push_back({
      .id = "telegram.bot_token",
      .name = "Telegram bot token",
      .service = "Telegram",
      .category = Category::chat,
      .pattern = R"((?:\bbot|\b)([0-9]{8,10}:AA[A-Za-z0-9_-]{33})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 52,
      .examples = {"TELEGRAM_BOT_TOKEN=3691592028:AAKwFakefU83aMGy1UuTE1Q4ALsK1XldM-p", "https://api.telegram.org/bot368312252:AAKwFakeQXqYa6E3Bj-GKpHlpfHwtB5KwEq/getMe"},
      .negative_examples = {"9714364455:AAKwFakeOGB1KgVuhY6ka_", "7645129264:ABKwFakejtm33ejtPRAC9baCSrjhx_N2HZl"},
      .reference = "https://core.telegram.org/bots/api#authorizing-your-bot",
  });
}

}  // namespace

void add_chat_rules(std::vector<SecretRule>& rules) {
  add_slack_token_rules(rules);
  add_slack_config_rules(rules);
  add_webhook_rules(rules);
  add_bot_token_rules(rules);
}

}  // namespace keyward::secrets
