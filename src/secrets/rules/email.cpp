// Email delivery services: SendGrid, Mailgun, Mailchimp and Mandrill, Postmark, Mailjet, Brevo and
// Resend.

#include "secrets/rules/rule_lists.hpp"

namespace keyward::secrets {
namespace {

void add_prefixed_email_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "sendgrid.api_key",
      .name = "SendGrid API key",
      .service = "SendGrid",
      .category = Category::email,
      .pattern = R"(\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 72,
      .redact_prefix = 3,
      .examples = {"SENDGRID_API_KEY=SG.KwFake0biOahOzIM_c8k7D.KwFake90A9FC4C8jZcvgyeBP99IOrJiBi80MVoy2uBk"},
      .negative_examples = {"SG.KwFake3qeHhyOFfXDf2qqY.KwFakeArvWogPhjM4FBf", "SG.tdPgADRhvO.KwFake0tOHbDR6RrPL1lAN1WXkrKc_-Ga-uwb_FGAPE"},
      .reference = "https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys",
  });
  rules.push_back({
      .id = "mailgun.api_key",
      .name = "Mailgun API key",
      .service = "Mailgun",
      .category = Category::email,
      .pattern = R"(\b(key-[0-9a-f]{32})\b)",
      .max_match_length = 36,
      .min_entropy = 3.0,
      .redact_prefix = 4,
      .examples = {"MAILGUN_API_KEY=key-d21138f8589ca283af06c65948a4185b"},
      .negative_examples = {"key-79ac79a5a22badb4559d", "pubkey-f3945498d653670a01a4f612265c2b19"},
      .reference = "https://documentation.mailgun.com/docs/mailgun/api-reference/authentication",
  });
  rules.push_back({
      .id = "mailgun.api_key_labelled",
      .name = "Mailgun API key (hex format)",
      .service = "Mailgun",
      .category = Category::email,
      .pattern = R"((?i:mailgun)[A-Za-z0-9_.-]{0,24}(?i:key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})\b)",
      .max_match_length = 100,
      .min_entropy = 3.0,
      .examples = {"MAILGUN_API_KEY=0f862fc98e61304e1a69d313e7ab349a-6d4601e3-29e2d709"},
      .negative_examples = {"MAILGUN_DOMAIN=84802e78309cb7e4b3522e39d15af118-f2a45630-a2dea3d7", "MAILGUN_API_KEY=74ce8046e90b481fde2a998249731c36"},
      .reference = "https://documentation.mailgun.com/docs/mailgun/api-reference/authentication",
  });
}

void add_marketing_email_rules(std::vector<SecretRule>& rules) {
  // The data center suffix ("-us6") names the API host that serves the account.
  rules.push_back({
      .id = "mailchimp.api_key",
      .name = "Mailchimp Marketing API key",
      .service = "Mailchimp",
      .category = Category::email,
      .pattern = R"(\b([0-9a-f]{32}-us[0-9]{1,2})\b)",
      .max_match_length = 40,
      .min_entropy = 3.0,
      .examples = {"MAILCHIMP_API_KEY=4cd3114df541d9bfa2af5e5be13ba80c-us6"},
      .negative_examples = {"b2f476f6deee044e6018839f35eecda4-eu6", "03a289500f6ab0c30f6cc318-us6"},
      .reference = "https://mailchimp.com/developer/marketing/guides/quick-start/",
  });
  rules.push_back({
      .id = "mandrill.api_key",
      .name = "Mailchimp Transactional (Mandrill) API key",
      .service = "Mailchimp",
      .category = Category::email,
      .pattern = R"((?i:mandrill)[A-Za-z0-9_.-]{0,24}(?i:key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?((?:md-)?[A-Za-z0-9_-]{22})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 80,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"MANDRILL_API_KEY=md-KwFakeuJNaA2a-EWbbmekZ"},
      .negative_examples = {"MANDRILL_API_KEY=md-meWrx3L6ce", "MAILCHIMP_KEY=md-KwFakeEQKvlS31GaZmI_0D"},
      .reference = "https://mailchimp.com/developer/transactional/guides/quick-start/",
  });
  rules.push_back({
      .id = "brevo.api_key",
      .name = "Brevo (Sendinblue) API or SMTP key",
      .service = "Brevo",
      .category = Category::email,
      .pattern = R"(\b(x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16})\b)",
      .max_match_length = 96,
      .redact_prefix = 8,
      .examples = {"BREVO_API_KEY=xkeysib-d080550646c344bdb8553d977c3d0bf092dfaf422340d2cf49dd52347b247178-KwFakezDFn6Y2P1d", "SMTP_PASSWORD=xsmtpsib-4e97a668a2d79b5d4ed52e036ca6b0b59c9ce8cbe564ef8e6f2cf5df93405b52-KwFakezC5Pe9FnEa"},
      .negative_examples = {"xkeysib-9ea101ad04fdfcdd278582ccdd25697d21d2808653b401a3f698dc557186a970", "xkeysib-2c590269868540f416e87341f02852bfd49416e0-KwFakeff1rbGjkR0"},
      .reference = "https://developers.brevo.com/docs/getting-started",
  });
  rules.push_back({
      .id = "resend.api_key",
      .name = "Resend API key",
      .service = "Resend",
      .category = Category::email,
      .pattern = R"(\b(re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24})\b)",
      .max_match_length = 36,
      .min_entropy = 3.5,
      .redact_prefix = 3,
      .examples = {"RESEND_API_KEY=re_qrBknB8a_KwFakeOay3AAlju1DGkqlIw7"},
      .negative_examples = {"re_ue71gwiR_NrxZwWMCs6", "are_TWgFNCpS_KwFake8bUItx5bUQKPwgB4He"},
      .reference = "https://resend.com/docs/dashboard/api-keys/introduction",
  });
}

void add_labelled_email_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "postmark.server_token",
      .name = "Postmark server or account token",
      .service = "Postmark",
      .category = Category::email,
      .pattern = R"((?i:postmark)[A-Za-z0-9_.-]{0,24}(?i:token|key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b)",
      .max_match_length = 100,
      .min_entropy = 3.0,
      .examples = {"POSTMARK_SERVER_TOKEN=f7ed3a48-23a6-4c18-b5e3-32abe279811a", "X-Postmark-Server-Token: dd231ad5-1192-4597-a366-5ad656723543"},
      .negative_examples = {"POSTMARK_MESSAGE_STREAM=6cb39fc4-7021-4ae2-af5b-a5f04c6355c4", "POSTMARK_SERVER_TOKEN=d67c9245c3c8987624e124f4674bd335"},
      .reference = "https://postmarkapp.com/developer/api/overview#authentication",
  });
  rules.push_back({
      .id = "mailjet.api_secret",
      .name = "Mailjet API secret key",
      .service = "Mailjet",
      .category = Category::email,
      .pattern = R"((?i:mailjet|mj[_.-]apikey)[A-Za-z0-9_.-]{0,24}(?i:secret|private)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([0-9a-f]{32})\b)",
      .max_match_length = 100,
      .min_entropy = 3.0,
      .examples = {"MAILJET_SECRET_KEY=ba6eab6e8961ccde691da624419ca155", "MJ_APIKEY_PRIVATE=4e795c6bb3ca337111fd6b697dfe9423"},
      .negative_examples = {"MAILJET_API_KEY=5fe6a100e59515d26616640895fa284c", "MAILJET_SECRET_KEY=0fe19e6f6d74fb218365"},
      .reference = "https://dev.mailjet.com/email/guides/",
  });
}

}  // namespace

void add_email_rules(std::vector<SecretRule>& rules) {
  add_prefixed_email_rules(rules);
  add_marketing_email_rules(rules);
  add_labelled_email_rules(rules);
}

}  // namespace keyward::secrets
