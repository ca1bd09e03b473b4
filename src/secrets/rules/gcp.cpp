// Google Cloud and Google account credentials: API keys, service account key files and OAuth
// client secrets and tokens.

#include "secrets/rules/rule_lists.hpp"
#include "secrets/validators/structure.hpp"

namespace keyward::secrets {

void add_gcp_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "gcp.api_key",
      .name = "Google API key",
      .service = "Google Cloud",
      .category = Category::cloud,
      .pattern = R"(\b(AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$))",
      .max_match_length = 40,
      .redact_prefix = 4,
      .examples = {"GOOGLE_API_KEY=AIzaKwFakeysmbg6_GCYK_z5SKIAjvT3xU13xTU", R"(const firebaseConfig = { apiKey: "AIzaKwFakejC2HebqnLqY-IGYJnpvMfFjt3pjkb" };)"},
      .negative_examples = {"AIzaKwFakeqa3KzEQC7lsC1cxmyCmpPkiM", "AIzaKwFake7f__ZHA9Zh1jQ9vezUmHG181VSab_W"},
      .reference = "https://cloud.google.com/docs/authentication/api-keys",
  });
  // The key file Google generates lists type, project_id, private_key_id, private_key and
  // client_email in this order.
  // TODO: match key files whose fields were reordered (for example sorted by a tool).
  rules.push_back({
      .id = "gcp.service_account_key",
      .name = "Google Cloud service account key file",
      .service = "Google Cloud",
      .category = Category::cloud,
      .pattern = R"("type"\s{0,4}:\s{0,4}"service_account"\s{0,4},[^{}]{0,300}?"private_key"\s{0,4}:\s{0,4}"(-----BEGIN PRIVATE KEY-----[A-Za-z0-9+/=\\\s]{60,}?-----END PRIVATE KEY-----)(?:\\n)?"[^{}]{0,200}?"client_email"\s{0,4}:\s{0,4}"[^"]{1,128}")",
      .max_match_length = 5300,
      .validate = validate_gcp_service_account_key,
      .platform = "gcp",
      .credential_kind = "gcp_service_account_key",
      .identifier = gcp_private_key_id,
      .examples = {R"({
  "type": "service_account",
  "project_id": "keyward-fake-project",
  "private_key_id": "8b1299f5efc5ba147034ace0a0de9416ca4e187f",
  "private_key": "-----BEGIN PRIVATE KEY-----\nMIIErGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZLCBub3Qg\nYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBQUklWQVRF\nIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZh\na2UgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBm\naXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3\nYXJkIHRlc3QgZml4dHVyZTogZmFrZSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxl\nIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUFJJVkFURSBLRVksIG5v\ndCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZB\nVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTog\nZmFrZSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0\nIGZpeHR1cmU6IGZha2UgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtl\neXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZLCBub3QgYSB1c2Fi\nbGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBQUklWQVRFIEtFWSwg\nbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUFJJ\nVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJl\nOiBmYWtlIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRl\nc3QgZml4dHVyZTogZmFrZSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4g\na2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUFJJVkFURSBLRVksIG5vdCBhIHVz\nYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZ\nLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBQ\nUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1\ncmU6IGZha2UgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQg\ndGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5\nLiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBQUklWQVRFIEtFWSwgbm90IGEg\ndXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUFJJVkFURSBL\n-----END PRIVATE KEY-----\n",
  "client_email": "ci-deployer@keyward-fake-project.iam.gserviceaccount.com",
  "client_id": "108511924507957013369",
  "token_uri": "https://oauth2.googleapis.com/token"
})"},
      .negative_examples = {R"({
  "type": "service_account",
  "project_id": "keyward-fake-project",
  "private_key_id": "not-a-key-id",
  "private_key": "-----BEGIN PRIVATE KEY-----\nMIIErGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZLCBub3Qg\nYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBQUklWQVRF\nIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZh\na2UgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBm\naXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3\nYXJkIHRlc3QgZml4dHVyZTogZmFrZSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxl\nIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUFJJVkFURSBLRVksIG5v\ndCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZB\nVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTog\nZmFrZSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0\nIGZpeHR1cmU6IGZha2UgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtl\neXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZLCBub3QgYSB1c2Fi\nbGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBQUklWQVRFIEtFWSwg\nbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUFJJ\nVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJl\nOiBmYWtlIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRl\nc3QgZml4dHVyZTogZmFrZSBQUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4g\na2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUFJJVkFURSBLRVksIG5vdCBhIHVz\nYWJsZSBrZXkuIGtleXdhcmQgdGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZ\nLCBub3QgYSB1c2FibGUga2V5LiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBQ\nUklWQVRFIEtFWSwgbm90IGEgdXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1\ncmU6IGZha2UgUFJJVkFURSBLRVksIG5vdCBhIHVzYWJsZSBrZXkuIGtleXdhcmQg\ndGVzdCBmaXh0dXJlOiBmYWtlIFBSSVZBVEUgS0VZLCBub3QgYSB1c2FibGUga2V5\nLiBrZXl3YXJkIHRlc3QgZml4dHVyZTogZmFrZSBQUklWQVRFIEtFWSwgbm90IGEg\ndXNhYmxlIGtleS4ga2V5d2FyZCB0ZXN0IGZpeHR1cmU6IGZha2UgUFJJVkFURSBL\n-----END PRIVATE KEY-----\n",
  "client_email": "ci-deployer@example.com"
})",
                            R"({"type": "service_account", "private_key": "", "client_email": "a@b.iam.gserviceaccount.com"})"},
      .reference = "https://cloud.google.com/iam/docs/keys-create-delete",
  });
  rules.push_back({
      .id = "google.oauth_client_secret",
      .name = "Google OAuth client secret",
      .service = "Google",
      .category = Category::cloud,
      .pattern = R"(\b(GOCSPX-[0-9A-Za-z_-]{28})(?:[^0-9A-Za-z_-]|$))",
      .max_match_length = 40,
      .redact_prefix = 7,
      .examples = {R"({"web":{"client_id":"1234567890-abc.apps.googleusercontent.com","client_secret":"GOCSPX-KwFakew5c7R3G2Emfzb-w9e4gMfE"}})"},
      .negative_examples = {"GOCSPX-KwFake4wqAe4e0d1keXn", "GOCSPX-KwFakeHjxhBLdjYYFfeGUwK-npqky"},
      .reference = "https://developers.google.com/identity/protocols/oauth2",
  });
  rules.push_back({
      .id = "google.oauth_access_token",
      .name = "Google OAuth access token",
      .service = "Google",
      .category = Category::cloud,
      .pattern = R"(\b(ya29\.[0-9A-Za-z_-]{30,1000})(?:[^0-9A-Za-z_-]|$))",
      .max_match_length = 1010,
      .min_entropy = 3.5,
      .redact_prefix = 5,
      .examples = {"Authorization: Bearer ya29.a0KwFake9ik4Xfo46UXbkYlbHpIXvjDoNhg1RAYueavv0Sx0wTlrMj419q6sA1TkZDKStPR7vM0_k_mswv2WQcCMlJbg5AsvunUUR6tB5KPOB8wgQB5xBSDBvndlRsT2mkHbUXnKdgCza7wRpEHj4xbL"},
      .negative_examples = {"ya29.short", "xya29.KwFake3e7PwVEMXKBIDw8jvltJVwaGSk7XRbDDrOXwea3UfvC92reV6fiYaV"},
      .reference = "https://developers.google.com/identity/protocols/oauth2",
  });
  rules.push_back({
      .id = "google.oauth_refresh_token",
      .name = "Google OAuth refresh token",
      .service = "Google",
      .category = Category::cloud,
      .pattern = R"(\b(1//0[0-9A-Za-z_-]{40,512})(?:[^0-9A-Za-z_-]|$))",
      .max_match_length = 520,
      .min_entropy = 3.5,
      .redact_prefix = 4,
      .examples = {R"({"refresh_token": "1//0KwFakeFvZg1WfDuYUHbuyEbU89p8-oyd0dmnZLn6rUlUAyuFC9x8KB3K4FpdHXW9j1F218-4JVMX6isho1wKuH1QlUAgpqZhrf-", "token_uri": "https://oauth2.googleapis.com/token"})"},
      .negative_examples = {"see https://example.com/1//0 for the path", "1//0KwFakeR9QQ1NDQEVE17M"},
      .reference = "https://developers.google.com/identity/protocols/oauth2",
  });
  rules.push_back({
      .id = "google.fcm_server_key",
      .name = "Firebase Cloud Messaging legacy server key",
      .service = "Firebase",
      .category = Category::cloud,
      .pattern = R"(\b(AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 160,
      .redact_prefix = 4,
      .examples = {"Authorization: key=AAAA14y6Ua-:APA91bKwFakeqqOw1RkbRj8iP60GK8TofcbWbTKcbaN-mXCCfkgObAzt7Jalevy9qHCVjzTX5V3MIg3iRXswb61yFXMmCUPaVcuxErfgRIrLZ9INWdhxtz7lNGzNemnqo-bEBziRqKDv"},
      .negative_examples = {"AAAAzY0X3DQ:APA91bKwFakeeyZbK04Qp5r2vfMl0Hg--gmxpzxY8mDj_SfUjjkVtQNiVd3ULDpwyuXuVAikaQSLH97bQIELIGzEY6_aVhDBRcywErDVnn"},
      .reference = "https://firebase.google.com/docs/cloud-messaging/auth-server",
  });
}

}  // namespace keyward::secrets
