#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <string>

#include "sources/entra/entra_sources.hpp"
#include "sources/testing/source_testing.hpp"

namespace keyward::sources::entra {
namespace {

using sources::testing::find_credential;
using sources::testing::find_identity;
using sources::testing::expect_golden;
using sources::testing::normalized_json;
using sources::testing::parse_with_source;
using sources::testing::ParsedInput;

std::filesystem::path fixture(const std::string& relative) {
  return sources::testing::source_testdata("entra") / relative;
}

// Parses inline text as `keyward ingest --source NAME` would; the copy adds simdjson's padding.
std::unique_ptr<ParsedInput> parse_text(const std::string& source_name, const std::string& text) {
  auto parsed = std::make_unique<ParsedInput>();
  const Source* source = find_source(source_name);
  if (source == nullptr) {
    ADD_FAILURE() << "no source named " << source_name;
    return parsed;
  }
  static std::string buffer;
  buffer = text + std::string(simdjson::SIMDJSON_PADDING, '\0');
  ParseContext context{parsed->batch, parsed->sink, parsed->errors, 1795996800, std::nullopt, 0, {}};
  parsed->status = source->parse(Input{"inline.json", std::string_view(buffer.data(), text.size())}, context);
  parsed->records = context.records;
  return parsed;
}

void expect_golden_fixture(const std::string& source_name, const std::string& relative) {
  const ParsedInput parsed = parse_with_source(source_name, fixture(relative));
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front().message;
  std::filesystem::path golden = fixture(relative);
  golden.replace_extension(".golden.json");
  // core::to_json leaves out attributes, which carry most of what these sources read.
  nlohmann::json actual = normalized_json(parsed);
  for (size_t i = 0; i < parsed.batch.identities.size(); ++i) {
    actual["identities"][i]["attributes"] = parsed.batch.identities[i].attributes;
  }
  for (size_t i = 0; i < parsed.batch.credentials.size(); ++i) {
    actual["credentials"][i]["attributes"] = parsed.batch.credentials[i].attributes;
  }
  expect_golden(actual, golden);
}

TEST(EntraApplications, Golden) { expect_golden_fixture("entra-applications", "entra-applications/applications_page.json"); }

TEST(EntraApplications, ReadsCredentialsOfEveryPage) {
  const ParsedInput parsed =
      parse_with_source("entra-applications", fixture("entra-applications/applications_page.json"));
  ASSERT_EQ(parsed.batch.identities.size(), 3u);
  EXPECT_EQ(parsed.records, 3);

  const core::Identity* billing = find_identity(parsed.batch, "5a1c9e7b-2d3f-4a8b-b6c1-7e9f0a2b4c6d");
  ASSERT_NE(billing, nullptr);
  EXPECT_EQ(billing->kind, "entra_application");
  EXPECT_EQ(billing->owner, "dana.whitfield@contoso.com");
  EXPECT_EQ(billing->attributes["aliases"], nlohmann::json::array({"0d7c8a1e-3b4f-4c2d-9e8a-1f2b3c4d5e6f"}));
  EXPECT_EQ(billing->attributes["third_party"], false);
  EXPECT_EQ(billing->created, core::parse_time("2024-03-11T09:15:42Z"));

  const core::Credential* secret = find_credential(parsed.batch, "b3e1c2d4-5f6a-4b7c-8d9e-0f1a2b3c4d5e");
  ASSERT_NE(secret, nullptr);
  EXPECT_EQ(secret->kind, "entra_client_secret");
  EXPECT_EQ(secret->identity_id, billing->id);
  EXPECT_EQ(secret->expires, core::parse_time("2026-03-11T09:15:42Z"));
  EXPECT_EQ(secret->attributes["hint"], "Q~8");

  const core::Credential* certificate = find_credential(parsed.batch, "c4f2d3e5-6a7b-4c8d-9e0f-1a2b3c4d5e6f");
  ASSERT_NE(certificate, nullptr);
  EXPECT_EQ(certificate->kind, "entra_certificate");
  EXPECT_EQ(certificate->attributes["type"], "AsymmetricX509Cert");

  const core::Credential* federated = find_credential(parsed.batch, "2f9e0c3a-5d6b-4e4f-9a0c-3b4d5e6f7081");
  ASSERT_NE(federated, nullptr);
  EXPECT_EQ(federated->kind, "entra_federated_credential");
  EXPECT_EQ(federated->attributes["ci_cd"], "github_actions");
  EXPECT_EQ(federated->attributes["repository"], "contoso/infrastructure");
  EXPECT_FALSE(federated->expires.has_value());
}

TEST(EntraApplications, NullFieldsAreEmpty) {
  const ParsedInput parsed =
      parse_with_source("entra-applications", fixture("entra-applications/applications_page.json"));
  const core::Identity* legacy = find_identity(parsed.batch, "9c3e1a0d-4f5b-4cad-b8e3-9a1b2c4d6e8f");
  ASSERT_NE(legacy, nullptr);
  EXPECT_FALSE(legacy->created.has_value());
  EXPECT_EQ(legacy->owner, "");
  EXPECT_FALSE(legacy->attributes.contains("publisher_domain"));
  const core::Credential* expired = find_credential(parsed.batch, "d5a3e4f6-7b8c-4d9e-8f0a-2b3c4d5e6f70");
  ASSERT_NE(expired, nullptr);
  EXPECT_FALSE(expired->attributes.contains("display_name"));
}

TEST(EntraApplications, BadRecordsAreReported) {
  const ParsedInput parsed = parse_with_source("entra-applications", fixture("bad/bad_records.json"));
  ASSERT_TRUE(parsed.status.ok());
  ASSERT_EQ(parsed.batch.identities.size(), 2u);
  EXPECT_EQ(parsed.batch.identities.back().id, "0000bbbb-0000-4000-8000-000000000005");
  ASSERT_EQ(parsed.errors.size(), 4u);
  EXPECT_NE(parsed.errors[0].message.find("appId"), std::string::npos);
  EXPECT_NE(parsed.errors[1].message.find("createdDateTime"), std::string::npos);
  EXPECT_NE(parsed.errors[2].message.find("not a JSON object"), std::string::npos);
  EXPECT_NE(parsed.errors[3].message.find("appId"), std::string::npos);
  for (const auto& error : parsed.errors) EXPECT_GT(error.offset, 0);
}

TEST(EntraApplications, SecretTextIsNeverStored) {
  const ParsedInput parsed = parse_with_source("entra-applications", fixture("bad/bad_records.json"));
  const std::string output = normalized_json(parsed).dump();
  EXPECT_EQ(output.find("CANARY-SECRET"), std::string::npos);
  // Only the documented three-character hint survives.
  EXPECT_EQ(output.find("Q~CANARY"), std::string::npos);
  const core::Credential* secret = find_credential(parsed.batch, "0000cccc-0000-4000-8000-000000000002");
  ASSERT_NE(secret, nullptr);
  EXPECT_EQ(secret->attributes["hint"], "Q~C");
  EXPECT_FALSE(secret->expires.has_value());
}

TEST(EntraApplications, RejectsNonJson) {
  auto parsed = parse_text("entra-applications", "   ");
  EXPECT_FALSE(parsed->status.ok());
}

TEST(EntraServicePrincipals, Golden) {
  expect_golden_fixture("entra-service-principals", "entra-service-principals/service_principals_page.json");
}

TEST(EntraServicePrincipals, ClassifiesOwners) {
  const ParsedInput parsed =
      parse_with_source("entra-service-principals", fixture("entra-service-principals/service_principals_page.json"));
  ASSERT_EQ(parsed.batch.identities.size(), 6u);

  const core::Identity* graph = find_identity(parsed.batch, "00000003-0000-0000-c000-000000000000");
  ASSERT_NE(graph, nullptr);
  EXPECT_EQ(graph->vendor, "Microsoft");
  EXPECT_EQ(graph->attributes["third_party"], false);

  const core::Identity* internal = find_identity(parsed.batch, "5a1c9e7b-2d3f-4a8b-b6c1-7e9f0a2b4c6d");
  ASSERT_NE(internal, nullptr);
  EXPECT_EQ(internal->kind, "entra_application");
  EXPECT_EQ(internal->attributes["third_party"], false);
  EXPECT_EQ(internal->account, "8d2c0a64-5b0e-4f3a-9c1d-2e7f6a4b3c21");
  EXPECT_EQ(internal->attributes["aliases"], nlohmann::json::array({"a1b2c3d4-0002-4000-8000-000000000002"}));

  const core::Identity* zapier = find_identity(parsed.batch, "4e6f8a0b-1c2d-4e3f-a5b6-c7d8e9f0a1b2");
  ASSERT_NE(zapier, nullptr);
  EXPECT_EQ(zapier->kind, "entra_service_principal");
  EXPECT_EQ(zapier->vendor, "Zapier");
  EXPECT_EQ(zapier->attributes["publisher"], "Zapier, Inc.");
  EXPECT_EQ(zapier->attributes["publisher_verified"], true);
  EXPECT_EQ(zapier->attributes["third_party"], true);

  const core::Identity* unverified = find_identity(parsed.batch, "6a8c0e2f-3b4d-4f5a-b7c8-d9e0f1a2b3c4");
  ASSERT_NE(unverified, nullptr);
  EXPECT_EQ(unverified->attributes["publisher_verified"], false);
  EXPECT_EQ(unverified->vendor, "mailmergepro.example");
  EXPECT_EQ(unverified->status, "disabled");
  ASSERT_NE(find_credential(parsed.batch, "e6b4f5a7-8c9d-4e0f-9a1b-3c4d5e6f7081"), nullptr);

  const core::Identity* managed = find_identity(parsed.batch, "8b0d2f4a-5c6e-4a7b-9c8d-0e1f2a3b4c5d");
  ASSERT_NE(managed, nullptr);
  EXPECT_EQ(managed->kind, "entra_managed_identity");
  EXPECT_EQ(managed->attributes["third_party"], false);
}

TEST(EntraServicePrincipals, AmbiguousHomeTenantMeansThirdParty) {
  auto parsed = parse_text("entra-service-principals", R"([
    {"id": "s1", "appId": "a1", "appOwnerOrganizationId": "t1", "servicePrincipalType": "Application"},
    {"id": "s2", "appId": "a2", "appOwnerOrganizationId": "t2", "servicePrincipalType": "Application"},
    {"appId": "a3", "servicePrincipalType": null, "verifiedPublisher": null, "tags": null}
  ])");
  ASSERT_TRUE(parsed->status.ok());
  EXPECT_TRUE(parsed->errors.empty());
  ASSERT_EQ(parsed->batch.identities.size(), 3u);
  EXPECT_EQ(parsed->batch.identities[0].attributes["third_party"], true);
  EXPECT_EQ(parsed->batch.identities[0].account, "");
  EXPECT_EQ(parsed->batch.identities[2].attributes["aliases"], nlohmann::json::array());
}

TEST(EntraPermissionGrants, Golden) {
  expect_golden_fixture("entra-oauth2-permission-grants", "entra-oauth2-permission-grants/grants_page.json");
}

TEST(EntraPermissionGrants, OneGrantPerScope) {
  const ParsedInput parsed = parse_with_source("entra-oauth2-permission-grants",
                                               fixture("entra-oauth2-permission-grants/grants_page.json"));
  ASSERT_EQ(parsed.batch.grants.size(), 9u);
  ASSERT_EQ(parsed.batch.grant_replacements.size(), 2u);
  EXPECT_EQ(parsed.batch.grant_replacements[0].origin, "entra.oauth2PermissionGrants");

  const core::Grant& directory = parsed.batch.grants[5];
  EXPECT_EQ(directory.actions, std::vector<std::string>{"Directory.ReadWrite.All"});
  EXPECT_EQ(directory.level, "admin");
  EXPECT_EQ(directory.via, "admin_consent");
  EXPECT_EQ(directory.granted_by, "");
  EXPECT_EQ(directory.identity_id, "a1b2c3d4-0004-4000-8000-000000000004");

  const core::Grant& files = parsed.batch.grants[7];
  EXPECT_EQ(files.actions, std::vector<std::string>{"Files.ReadWrite.All"});
  EXPECT_EQ(files.level, "write");
  EXPECT_EQ(files.granted_by, "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
  EXPECT_EQ(parsed.batch.grants[8].level, "");
}

TEST(EntraPermissionGrants, MissingClientIdIsReported) {
  auto parsed = parse_text("entra-oauth2-permission-grants",
                           R"({"value": [{"id": "g1", "consentType": "Principal", "scope": "User.Read"},
                                        {"id": "g2", "clientId": "c2", "scope": null}]})");
  ASSERT_TRUE(parsed->status.ok());
  ASSERT_EQ(parsed->errors.size(), 1u);
  EXPECT_NE(parsed->errors[0].message.find("clientId"), std::string::npos);
  EXPECT_TRUE(parsed->batch.grants.empty());
  // A grant with no scopes still replaces the identity's earlier grants of this origin.
  ASSERT_EQ(parsed->batch.grant_replacements.size(), 1u);
}

TEST(EntraAppRoleAssignments, Golden) {
  expect_golden_fixture("entra-app-role-assignments", "entra-app-role-assignments/assignments_page.json");
}

TEST(EntraAppRoleAssignments, NamesKnownRoles) {
  const ParsedInput parsed = parse_with_source("entra-app-role-assignments",
                                               fixture("entra-app-role-assignments/assignments_page.json"));
  // The user assignment is access to the app, not an app permission.
  ASSERT_EQ(parsed.batch.grants.size(), 3u);
  EXPECT_EQ(parsed.batch.grants[0].actions, std::vector<std::string>{"Mail.ReadWrite"});
  EXPECT_EQ(parsed.batch.grants[0].level, "write");
  EXPECT_EQ(parsed.batch.grants[1].actions, std::vector<std::string>{"RoleManagement.ReadWrite.Directory"});
  EXPECT_EQ(parsed.batch.grants[1].level, "admin");
  EXPECT_EQ(parsed.batch.grants[2].actions, std::vector<std::string>{"4b9c2d1e-7f8a-4e6b-9c0d-1e2f3a4b5c6d"});
  EXPECT_EQ(parsed.batch.grants[2].level, "");
  EXPECT_EQ(parsed.batch.grants[2].resources, std::vector<std::string>{"Contoso Orders API"});
  ASSERT_EQ(parsed.batch.grant_replacements.size(), 2u);
  EXPECT_EQ(parsed.batch.grant_replacements[1].identity_id, "a1b2c3d4-0003-4000-8000-000000000003");
}

TEST(EntraUsers, Golden) { expect_golden_fixture("entra-users", "entra-users/users_page.json"); }

TEST(EntraUsers, KeysAndStatus) {
  const ParsedInput parsed = parse_with_source("entra-users", fixture("entra-users/users_page.json"));
  ASSERT_EQ(parsed.batch.identities.size(), 2u);
  const core::Identity& dana = parsed.batch.identities[0];
  EXPECT_EQ(dana.id, "dana.whitfield@contoso.com");
  EXPECT_EQ(dana.kind, "entra_user");
  EXPECT_EQ(dana.classification, core::Classification::human);
  EXPECT_EQ(dana.attributes["login"], "Dana.Whitfield@contoso.com");
  EXPECT_EQ(dana.attributes["aliases"], nlohmann::json::array({"6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"}));
  const core::Identity& lee = parsed.batch.identities[1];
  EXPECT_EQ(lee.status, "disabled");
  EXPECT_EQ(lee.attributes["email"], "lee.ortiz@contoso.com");
  EXPECT_FALSE(lee.created.has_value());
}

TEST(EntraSignIns, GraphGolden) { expect_golden_fixture("entra-sign-ins", "entra-sign-ins/graph_sign_ins.json"); }

TEST(EntraSignIns, DiagnosticGolden) {
  expect_golden_fixture("entra-sign-ins", "entra-sign-ins/diagnostic_sign_ins.jsonl");
}

TEST(EntraSignIns, GraphEvents) {
  const ParsedInput parsed = parse_with_source("entra-sign-ins", fixture("entra-sign-ins/graph_sign_ins.json"));
  ASSERT_EQ(parsed.sink.events.size(), 3u);
  const auto& first = parsed.sink.events[0];
  EXPECT_EQ(first["identity_id"], "5a1c9e7b-2d3f-4a8b-b6c1-7e9f0a2b4c6d");
  EXPECT_EQ(first["credential_id"], "b3e1c2d4-5f6a-4b7c-8d9e-0f1a2b3c4d5e");
  EXPECT_EQ(first["event_source"], "Microsoft Graph");
  EXPECT_EQ(first["event_name"], "ServicePrincipalSignIn");
  EXPECT_EQ(first["error_code"], "");
  EXPECT_EQ(parsed.sink.events[1]["error_code"], "7000215");
  EXPECT_EQ(parsed.sink.events[2]["event_name"], "ManagedIdentitySignIn");
  EXPECT_EQ(parsed.sink.events[2]["source_ip"], "");
  ASSERT_EQ(parsed.batch.observed_identities.size(), 2u);
  EXPECT_EQ(parsed.batch.observed_identities[1].kind, "entra_managed_identity");
}

TEST(EntraSignIns, DiagnosticEvents) {
  const ParsedInput parsed =
      parse_with_source("entra-sign-ins", fixture("entra-sign-ins/diagnostic_sign_ins.jsonl"));
  ASSERT_EQ(parsed.sink.events.size(), 3u);
  EXPECT_EQ(parsed.sink.events[0]["credential_id"], "2f9e0c3a-5d6b-4e4f-9a0c-3b4d5e6f7081");
  EXPECT_EQ(parsed.sink.events[0]["time"], "2026-11-27T22:10:03Z");
  // Without properties.createdDateTime the record's time is used.
  EXPECT_EQ(parsed.sink.events[1]["time"], "2026-11-27T23:00:00Z");
  EXPECT_EQ(parsed.sink.events[2]["identity_id"], "dana.whitfield@contoso.com");
  EXPECT_EQ(parsed.sink.events[2]["event_name"], "UserSignIn");
  EXPECT_EQ(parsed.sink.events[2]["error_code"], "50126");
}

TEST(EntraSignIns, BadRecordsAreReported) {
  const ParsedInput parsed = parse_with_source("entra-sign-ins", fixture("bad/bad_sign_ins.jsonl"));
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_TRUE(parsed.sink.events.empty());
  ASSERT_EQ(parsed.errors.size(), 5u);
  EXPECT_NE(parsed.errors[0].message.find("not a sign-in log"), std::string::npos);
  EXPECT_EQ(parsed.errors[0].line, 1);
  EXPECT_NE(parsed.errors[1].message.find("not a sign-in"), std::string::npos);
  EXPECT_NE(parsed.errors[2].message.find("createdDateTime"), std::string::npos);
  EXPECT_NE(parsed.errors[3].message.find("createdDateTime"), std::string::npos);
  EXPECT_NE(parsed.errors[4].message.find("appId"), std::string::npos);
  EXPECT_EQ(parsed.errors[4].line, 5);
}

// Real Azure logs from Panther's public rule tests: the Entra sign-in records are ingested,
// Azure Activity records (Key Vault, storage keys, Automation webhooks) are not sign-ins.
TEST(EntraSignIns, RealPantherSamples) {
  const std::filesystem::path folder = sources::testing::shared_data() / "azure" / "panther";
  if (!std::filesystem::is_directory(folder)) GTEST_SKIP() << "real samples not found at " << folder;
  int sign_ins = 0;
  int others = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name.find(".expect.") != std::string::npos) continue;
    auto loaded = ingest::load_input(entry.path().string());
    ASSERT_TRUE(loaded) << loaded.error().describe();
    const Source* detected = detect_source(loaded->data(), entry.path().string());
    const ParsedInput parsed = parse_with_source("entra-sign-ins", entry.path());
    ASSERT_TRUE(parsed.status.ok()) << name;
    const bool sign_in = name.find("device_code") != std::string::npos || name.find("graph_session") != std::string::npos;
    if (sign_in) {
      ++sign_ins;
      ASSERT_NE(detected, nullptr) << name;
      EXPECT_EQ(detected->name(), "entra-sign-ins") << name;
      EXPECT_TRUE(parsed.errors.empty()) << name << ": " << parsed.errors.front().message;
      ASSERT_EQ(parsed.sink.events.size(), 1u) << name;
      EXPECT_NE(parsed.sink.events[0]["identity_id"], "") << name;
      EXPECT_NE(parsed.sink.events[0]["source_ip"], "") << name;
      EXPECT_EQ(parsed.sink.events[0]["error_code"], "") << name;
    } else {
      ++others;
      if (detected != nullptr) {
        EXPECT_NE(std::string(detected->name()).rfind("entra-", 0), 0u) << name;
      }
      EXPECT_TRUE(parsed.sink.events.empty()) << name;
      ASSERT_EQ(parsed.errors.size(), 1u) << name;
      EXPECT_NE(parsed.errors[0].message.find("not a sign-in log"), std::string::npos) << parsed.errors[0].message;
    }
  }
  EXPECT_EQ(sign_ins, 5);
  EXPECT_GT(others, 0);
}

TEST(EntraSignIns, RealDeviceCodeSample) {
  const std::filesystem::path path =
      sources::testing::shared_data() / "azure" / "panther" / "azure_device_code_broker_client__00.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "real sample not found at " << path;
  const ParsedInput parsed = parse_with_source("entra-sign-ins", path);
  ASSERT_EQ(parsed.sink.events.size(), 1u);
  const auto& event = parsed.sink.events[0];
  EXPECT_EQ(event["identity_id"], "aragorn@lotr.com");
  EXPECT_EQ(event["time"], "2025-01-15T09:30:45Z");
  EXPECT_EQ(event["event_source"], "Microsoft Graph");
  EXPECT_EQ(event["event_name"], "UserSignIn");
  EXPECT_EQ(event["source_ip"], "2.2.2.2");
  EXPECT_EQ(event["event_id"], "device-code-001");
  EXPECT_TRUE(parsed.batch.observed_identities.empty());
}

TEST(EntraDetection, EachFixtureOnlyByItsSource) {
  const std::pair<std::string, std::string> fixtures[] = {
      {"entra-applications", "entra-applications/applications_page.json"},
      {"entra-service-principals", "entra-service-principals/service_principals_page.json"},
      {"entra-oauth2-permission-grants", "entra-oauth2-permission-grants/grants_page.json"},
      {"entra-app-role-assignments", "entra-app-role-assignments/assignments_page.json"},
      {"entra-users", "entra-users/users_page.json"},
      {"entra-sign-ins", "entra-sign-ins/graph_sign_ins.json"},
      {"entra-sign-ins", "entra-sign-ins/diagnostic_sign_ins.jsonl"},
  };
  for (const auto& [owner, relative] : fixtures) {
    auto loaded = ingest::load_input(fixture(relative).string());
    ASSERT_TRUE(loaded);
    for (const auto& source : all_sources()) {
      if (std::string(source->name()).rfind("entra-", 0) != 0) continue;
      const int score = source->detect(loaded->data(), relative);
      if (source->name() == owner) {
        EXPECT_GE(score, 80) << relative;
      } else {
        EXPECT_EQ(score, 0) << source->name() << " claims " << relative;
      }
    }
  }
}

}  // namespace
}  // namespace keyward::sources::entra
