#include "secrets/validators/placeholder.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace keyward::secrets {
namespace {

void expect_placeholders(const std::vector<std::string_view>& values) {
  for (std::string_view value : values) EXPECT_TRUE(is_placeholder(value)) << value;
}

TEST(Placeholder, RejectsStandInWords) {
  expect_placeholders({"changeme", "CHANGE_ME_PLEASE", "example-key-123", "your-api-key-here", "<your-key>",
                       "REDACTED", "dummy-token-value", "xxxxxxxxxxxx", "********", "password123", "null", "hunter2"});
}

TEST(Placeholder, RejectsTemplatesAndVariableReferences) {
  expect_placeholders({"${DB_PASSWORD}", "{{ vault_secret }}", "{{token}}", "$API_KEY", "%APPDATA%", "@db.password@",
                       "__TOKEN__", "<%= secret %>", "#{ENV['KEY']}", "$(cat /run/secret)"});
}

TEST(Placeholder, RejectsRepeatedAndSequentialCharacters) {
  expect_placeholders({"aaaaaaaaaaaa", "abcabcabcabc", "1212121212", "Kx9aaaaaaQ2v", "12345678", "abcdefgh", "fedcba98",
                       "qwertyuiop", "Zx-asdfgh-42"});
}

TEST(Placeholder, RejectsWordsAndIdentifiers) {
  expect_placeholders({"production", "getApiKey", "ApiKey", "myAccessToken", "DB_PASSWORD", "self.password",
                       "db-pass-word", "process.env.SERVICE_API_KEY", "settings.SECRET_KEY", "&credential",
                       "*config.token"});
}

TEST(Placeholder, RejectsHashesCiphertextReferencesAndPaths) {
  expect_placeholders({"sha512-9wKq3bT0JxYpR2vLm4sN8cD1fG6hZ5aE7uI0oP3qW2eR4tY6uI8oP0aS2dF4gH6jK8lZ0xC2vB4n==",
                       "sha256-Xb8uI2oP4aS6dF8gH0jK2lZ4xC6vB8nM0qW2eR4tY6u=", "ENC[AES256_GCM,data:Zp0Xo9Ci8Vu7==,type:str]",
                       "arn:aws:secretsmanager:us-east-1:123456789012:secret:db", "op://vault/item/password",
                       "vault:secret/data/app#token", "/etc/keyward/tls/server.key", "./config/prod.yaml", "~/.ssh/id_rsa",
                       "C:\\secrets\\app.pfx", "prod/db/credentials", "https://example.com/token", "1700000000"});
}

TEST(Placeholder, RejectsPdfMetadataIdentifiers) {
  expect_placeholders({"uuid:5f2b8c1e-3d4a-4b6c-9e8f-7a1b2c3d4e5f", "xmp.did:8F3A1B2C4D5E11E9A6B7C8D9E0F1A2B3",
                       "xmp.iid:7C2D9E4F1A3B11EBB8C6D4E2F0A1B3C5", "adobe:docid:photoshop:3c7a1b2e-9d8f-11e9"});
}

TEST(Placeholder, KeepsRandomLookingSecrets) {
  for (std::string_view value : {"Qm7/xT2+vL9kR4wZ", "Hn4@wq8Zr!2Lc", "v8Q+2mZk/Lr5Tx9wPa3N", "Kd9!pW2x@Lq7Rz4M",
                                 "wJ8rXUtnFEMI/K7MDENG/bPxRfiCYq4m9Tb2+Lw", "tR6+Yp1/wE3uQ8sZ", "9f86d081884c7d65",
                                 "Tq3wE8rY5uIo", "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"}) {
    EXPECT_FALSE(is_placeholder(value)) << value;
  }
}

TEST(GenericAssignment, RejectsKeysThatNameNoSecret) {
  EXPECT_FALSE(validate_generic_assignment("Qm7/xT2+vL9kR4wZ", R"(hashed_token": "Qm7/xT2+vL9kR4wZ")"));
  EXPECT_FALSE(validate_generic_assignment("Qm7xT2vL9kR4wZpq", "TokenId = Qm7xT2vL9kR4wZpq"));
  EXPECT_FALSE(validate_generic_assignment("Qm7xT2vL9kR4wZpq", "token_id: Qm7xT2vL9kR4wZpq"));
  EXPECT_FALSE(validate_generic_assignment("Qm7xT2vL9kR4wZpq", "password_length=Qm7xT2vL9kR4wZpq"));
  EXPECT_FALSE(validate_generic_assignment("Qm7xT2vL9kR4wZpq", "secret_name: Qm7xT2vL9kR4wZpq"));
  EXPECT_FALSE(validate_generic_assignment("changeme", "password=changeme"));
}

TEST(GenericAssignment, KeepsSecretKeys) {
  EXPECT_TRUE(validate_generic_assignment("Qm7/xT2+vL9kR4wZ", R"(client_secret = "Qm7/xT2+vL9kR4wZ")"));
  EXPECT_TRUE(validate_generic_assignment("Qm7xT2vL9kR4wZpq", "refresh_token: Qm7xT2vL9kR4wZpq"));
  EXPECT_TRUE(validate_generic_assignment("Qm7xT2vL9kR4wZpq", "DB_PASSWORD=Qm7xT2vL9kR4wZpq"));
  EXPECT_TRUE(validate_generic_assignment("Qm7xT2vL9kR4wZpq", "paid_token=Qm7xT2vL9kR4wZpq"));
}

}  // namespace
}  // namespace keyward::secrets
