#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/input_reader.hpp"
#include "sources/entra/directory_audit_source.hpp"
#include "sources/testing/source_testing.hpp"

namespace keyward::sources::entra {
namespace {

constexpr const char* kApp = "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d";
constexpr const char* kApplicationObject = "2c3d4e5f-6071-4829-3a4b-5c6d7e8f9001";
constexpr const char* kExistingKey = "7d3e1f20-3a4b-4c5d-8e9f-0a1b2c3d4e5f";
constexpr const char* kAddedSecret = "c41f9a2e-8b7d-4e6f-a5c3-1d2e3f4a5b6c";
constexpr const char* kAddedCertificate = "e5a6b7c8-d9e0-4f1a-8b2c-3d4e5f6a7b8c";

// Copies what detectors read from each event during on_event.
struct AuditEvent {
  std::string event_name, event_id, identity_id, identity_type, user_name, source_ip, user_agent, error_code,
      error_message, account_id, scopes;
  core::ActorKind actor_kind = core::ActorKind::unknown;
  core::UnixTime time = 0;
  nlohmann::json parameters;
};

class CopyingSink : public core::EventSink {
 public:
  void on_event(core::Event& event) override {
    AuditEvent copy;
    copy.event_name = std::string(event.event_name);
    copy.event_id = std::string(event.event_id);
    copy.identity_id = event.identity_id;
    copy.identity_type = std::string(event.identity_type);
    copy.user_name = std::string(event.user_name);
    copy.source_ip = std::string(event.source_ip);
    copy.user_agent = std::string(event.user_agent);
    copy.error_code = std::string(event.error_code);
    copy.error_message = std::string(event.error_message);
    copy.account_id = std::string(event.account_id);
    copy.scopes = std::string(event.scopes);
    copy.actor_kind = event.actor_kind;
    copy.time = event.time;
    copy.parameters = nlohmann::json::parse(event.request_parameters, nullptr, false);
    raw_parameters.push_back(std::string(event.request_parameters));
    events.push_back(std::move(copy));
  }
  std::vector<AuditEvent> events;
  std::vector<std::string> raw_parameters;
};

struct Parsed {
  store::Batch batch;
  CopyingSink sink;
  std::vector<RecordError> errors;
  bool ok = false;
};

std::filesystem::path fixture(const std::string& relative) {
  return sources::testing::source_testdata("entra") / relative;
}

std::unique_ptr<Parsed> parse_file(const std::string& relative) {
  auto parsed = std::make_unique<Parsed>();
  const std::filesystem::path path = fixture(relative);
  auto loaded = ingest::load_input(path.string());
  if (!loaded) {
    ADD_FAILURE() << loaded.error().describe();
    return parsed;
  }
  ParseContext context{parsed->batch, parsed->sink, parsed->errors, 1795996800, std::nullopt, 0, {}};
  parsed->ok = DirectoryAuditSource().parse(Input{path.string(), loaded->data()}, context).ok();
  return parsed;
}

std::string read_head(const std::string& relative) {
  std::ifstream in(fixture(relative), std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str().substr(0, 64 * 1024);
}

const AuditEvent* find_event(const Parsed& parsed, const std::string& name) {
  for (const AuditEvent& event : parsed.sink.events) {
    if (event.event_name == name) return &event;
  }
  return nullptr;
}

const std::string kUpdateApplication = "Update application \xE2\x80\x93 Certificates and secrets management";

TEST(EntraDirectoryAudits, DetectsEachShape) {
  for (const char* file : {"entra-directory-audits/graph_directory_audits.json",
                           "entra-directory-audits/powershell_directory_audits.json",
                           "entra-directory-audits/diagnostic_audit_logs.jsonl"}) {
    const std::string head = read_head(file);
    const Source* detected = detect_source(head, file);
    ASSERT_NE(detected, nullptr) << file;
    EXPECT_EQ(detected->name(), "entra-directory-audits") << file;
  }
  EXPECT_EQ(DirectoryAuditSource().detect(read_head("entra-sign-ins/diagnostic_sign_ins.jsonl"), "x.jsonl"), 0);
  EXPECT_EQ(DirectoryAuditSource().detect(read_head("entra-sign-ins/graph_sign_ins.json"), "x.json"), 0);
}

TEST(EntraDirectoryAudits, Golden) {
  const auto parsed = sources::testing::parse_with_source(
      "entra-directory-audits", fixture("entra-directory-audits/graph_directory_audits.json"));
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  nlohmann::json actual = sources::testing::normalized_json(parsed);
  for (size_t i = 0; i < parsed.batch.credentials.size(); ++i) {
    actual["credentials"][i]["attributes"] = parsed.batch.credentials[i].attributes;
  }
  sources::testing::expect_golden(actual, fixture("entra-directory-audits/graph_directory_audits.golden.json"));
}

TEST(EntraDirectoryAudits, ServicePrincipalCredentialAdded) {
  auto parsed = parse_file("entra-directory-audits/graph_directory_audits.json");
  ASSERT_TRUE(parsed->ok);
  const AuditEvent* event = find_event(*parsed, "Add service principal credentials");
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(event->identity_id, "mallory.admin@contoso.example");
  EXPECT_EQ(event->identity_type, "User");
  EXPECT_EQ(event->actor_kind, core::ActorKind::human);
  EXPECT_EQ(event->source_ip, "45.83.64.20");
  EXPECT_NE(event->user_agent.find("Chrome"), std::string::npos);
  EXPECT_EQ(event->error_code, "");
  EXPECT_EQ(core::format_time(event->time), "2024-06-12T09:00:04Z");
  ASSERT_TRUE(event->parameters.is_object());
  EXPECT_EQ(event->parameters["appId"], kApp);
  EXPECT_EQ(event->parameters["targetType"], "ServicePrincipal");
  ASSERT_EQ(event->parameters["addedKeys"].size(), 1u) << "the existing key is in both old and new values";
  EXPECT_EQ(event->parameters["addedKeys"][0]["keyId"], kAddedSecret);
  EXPECT_EQ(event->parameters["addedKeys"][0]["keyType"], "Password");

  const core::Credential* credential = sources::testing::find_credential(parsed->batch, kAddedSecret);
  ASSERT_NE(credential, nullptr);
  EXPECT_EQ(credential->identity_id, kApp);
  EXPECT_EQ(credential->kind, "entra_client_secret");
  EXPECT_EQ(credential->status, "active");
  EXPECT_EQ(credential->attributes.value("created_by", ""), "mallory.admin@contoso.example");
  EXPECT_EQ(credential->attributes.value("display_name", ""), "backup");
}

TEST(EntraDirectoryAudits, ApplicationCertificateAdded) {
  auto parsed = parse_file("entra-directory-audits/graph_directory_audits.json");
  ASSERT_TRUE(parsed->ok);
  const AuditEvent* event = find_event(*parsed, kUpdateApplication);
  ASSERT_NE(event, nullptr) << "the activity name carries an en dash";
  EXPECT_EQ(event->parameters["targetType"], "Application");
  EXPECT_EQ(event->parameters["appId"], "") << "the record does not log the appId";
  const core::Credential* credential = sources::testing::find_credential(parsed->batch, kAddedCertificate);
  ASSERT_NE(credential, nullptr);
  EXPECT_EQ(credential->identity_id, kApplicationObject) << "keyed by the object id, an alias of the app";
  EXPECT_EQ(credential->kind, "entra_certificate");
  EXPECT_EQ(credential->attributes.value("object", ""), "application");
  EXPECT_EQ(credential->attributes.value("display_name", ""), "CN=billing-sync, O=Contoso")
      << "a display name may contain commas";
}

TEST(EntraDirectoryAudits, CredentialRemovedAndFailedAddition) {
  auto parsed = parse_file("entra-directory-audits/graph_directory_audits.json");
  ASSERT_TRUE(parsed->ok);
  int removed = 0;
  for (const core::Credential& credential : parsed->batch.credentials) {
    if (credential.status == "deleted") {
      ++removed;
      EXPECT_EQ(credential.id, kAddedSecret);
      EXPECT_EQ(credential.attributes.value("deleted_by", ""), "dana@contoso.example");
    }
    EXPECT_NE(credential.id, "f0e1d2c3-b4a5-4968-8776-655443322110") << "a failed addition adds no credential";
    EXPECT_NE(credential.id, kExistingKey) << "a key present before and after is unchanged";
  }
  EXPECT_EQ(removed, 1);

  int failures = 0;
  for (const AuditEvent& event : parsed->sink.events) {
    if (event.error_code.empty()) continue;
    ++failures;
    EXPECT_EQ(event.error_code, "failure");
    EXPECT_NE(event.error_message.find("Insufficient privileges"), std::string::npos);
  }
  EXPECT_EQ(failures, 1);
}

TEST(EntraDirectoryAudits, UnknownPropertyValuesNotCopied) {
  auto parsed = parse_file("entra-directory-audits/graph_directory_audits.json");
  ASSERT_TRUE(parsed->ok);
  for (const std::string& parameters : parsed->sink.raw_parameters) {
    EXPECT_EQ(parameters.find("NOT-A-REAL-SECRET"), std::string::npos) << parameters;
  }
  const AuditEvent* event = find_event(*parsed, "Add service principal");
  ASSERT_NE(event, nullptr);
  EXPECT_EQ(event->parameters["appId"], "0e9d8c7b-6a59-4483-9271-605f4e3d2c1b") << "from AppPrincipalId";
  const auto& changed = event->parameters["changedProperties"];
  EXPECT_NE(std::find(changed.begin(), changed.end(), "Credential"), changed.end()) << "the name is kept";
  const bool observed = std::any_of(parsed->batch.observed_identities.begin(), parsed->batch.observed_identities.end(),
                                    [](const core::Identity& identity) {
                                      return identity.id == "0e9d8c7b-6a59-4483-9271-605f4e3d2c1b" &&
                                             identity.name == "report-exporter";
                                    });
  EXPECT_TRUE(observed);
}

TEST(EntraDirectoryAudits, PermissionAndOwnerChanges) {
  auto parsed = parse_file("entra-directory-audits/graph_directory_audits.json");
  ASSERT_TRUE(parsed->ok);
  const AuditEvent* role = find_event(*parsed, "Add app role assignment to service principal");
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->actor_kind, core::ActorKind::machine);
  EXPECT_EQ(role->identity_id, "d4c3b2a1-0f9e-4d8c-b7a6-958473625140");
  EXPECT_EQ(role->scopes, "Directory.ReadWrite.All");

  const AuditEvent* grant = find_event(*parsed, "Add delegated permission grant");
  ASSERT_NE(grant, nullptr);
  EXPECT_EQ(grant->scopes, " Mail.Read User.Read");

  const AuditEvent* consent = find_event(*parsed, "Consent to application");
  ASSERT_NE(consent, nullptr);
  EXPECT_EQ(consent->parameters["modifiedProperties"]["ConsentContext.IsAdminConsent"], "True");
  EXPECT_EQ(consent->parameters["appId"], kApp);

  const AuditEvent* owner = find_event(*parsed, "Add owner to application");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->parameters["targetType"], "Application") << "the application, not the new owner listed first";
  EXPECT_EQ(owner->parameters["targetId"], kApplicationObject);
}

TEST(EntraDirectoryAudits, PowerShellPascalCase) {
  auto parsed = parse_file("entra-directory-audits/powershell_directory_audits.json");
  ASSERT_TRUE(parsed->ok);
  EXPECT_TRUE(parsed->errors.empty()) << parsed->errors.front().message;
  ASSERT_EQ(parsed->sink.events.size(), 2u);
  const AuditEvent& added = parsed->sink.events[0];
  EXPECT_EQ(added.identity_id, "mallory.admin@contoso.example");
  EXPECT_EQ(added.source_ip, "45.83.64.20") << "IPAddress, as the SDK spells it";
  ASSERT_EQ(added.parameters["addedKeys"].size(), 1u);
  EXPECT_EQ(added.parameters["addedKeys"][0]["keyId"], kAddedSecret);
  EXPECT_EQ(core::format_time(parsed->sink.events[1].time), "2024-06-14T10:00:00Z") << "/Date(ms)/ of PowerShell 5.1";
  EXPECT_NE(sources::testing::find_credential(parsed->batch, kAddedSecret), nullptr);
}

TEST(EntraDirectoryAudits, DiagnosticSettingsRecords) {
  auto parsed = parse_file("entra-directory-audits/diagnostic_audit_logs.jsonl");
  ASSERT_TRUE(parsed->ok);
  EXPECT_TRUE(parsed->errors.empty()) << parsed->errors.front().message;
  ASSERT_EQ(parsed->sink.events.size(), 3u);
  EXPECT_EQ(parsed->sink.events[0].error_code, "") << "result 0 is success";
  EXPECT_EQ(parsed->sink.events[0].account_id, "5f2c1e3a-1111-4a2b-9c3d-222222222222");
  EXPECT_EQ(parsed->sink.events[1].event_name, kUpdateApplication);
  EXPECT_NE(sources::testing::find_credential(parsed->batch, kAddedCertificate), nullptr);
}

TEST(EntraDirectoryAudits, BadInputReportedAndRestRead) {
  auto parsed = parse_file("bad/bad_directory_audits.jsonl");
  ASSERT_TRUE(parsed->ok);
  std::vector<std::string> messages;
  for (const RecordError& error : parsed->errors) {
    EXPECT_NE(error.file.find("bad_directory_audits.jsonl"), std::string::npos);
    EXPECT_GT(error.line, 0) << error.message;
    messages.push_back(error.message);
  }
  auto reported = [&](const std::string& text, long long line) {
    for (const RecordError& error : parsed->errors) {
      if (error.line == line && error.message.find(text) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(reported("no valid activityDateTime", 1));
  EXPECT_TRUE(reported("ISO 8601", 2));
  EXPECT_TRUE(reported("category is 'SignInLogs'", 3));
  EXPECT_TRUE(reported("no properties object", 5));
  EXPECT_TRUE(reported("line ends inside", 4));
  EXPECT_EQ(parsed->errors.size(), 5u) << "a credential record without KeyDescription is kept, not reported";

  ASSERT_EQ(parsed->sink.events.size(), 2u) << "the record without KeyDescription and the good record are kept";
  EXPECT_TRUE(parsed->sink.events[0].parameters["addedKeys"].empty());
  EXPECT_EQ(parsed->sink.events[1].parameters["addedKeys"][0]["keyId"], "0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e");
  EXPECT_NE(sources::testing::find_credential(parsed->batch, "0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e"), nullptr);
}

}  // namespace
}  // namespace keyward::sources::entra
