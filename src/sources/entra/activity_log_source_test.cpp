#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <string>
#include <vector>

#include "sources/entra/activity_log_source.hpp"
#include "sources/testing/source_testing.hpp"

namespace keyward::sources::entra {
namespace {

// Copies what the detectors read, checking during on_event that raw_record is whole JSON.
struct ActivityEvent {
  std::string identity_id, event_name, event_source, error_code, source_ip, account_id, event_id;
  core::ActorKind actor_kind = core::ActorKind::unknown;
  bool raw_record_parses = false;
};

class CopyingSink : public core::EventSink {
 public:
  void on_event(core::Event& event) override {
    ActivityEvent copy;
    copy.identity_id = event.identity_id;
    copy.event_name = std::string(event.event_name);
    copy.event_source = std::string(event.event_source);
    copy.error_code = std::string(event.error_code);
    copy.source_ip = std::string(event.source_ip);
    copy.account_id = std::string(event.account_id);
    copy.event_id = std::string(event.event_id);
    copy.actor_kind = event.actor_kind;
    copy.raw_record_parses = !nlohmann::json::parse(event.raw_record, nullptr, false).is_discarded();
    events.push_back(std::move(copy));
  }
  std::vector<ActivityEvent> events;
};

struct Parsed {
  store::Batch batch;
  CopyingSink sink;
  std::vector<RecordError> errors;
  bool ok = false;
};

std::unique_ptr<Parsed> parse(const std::string& text) {
  auto parsed = std::make_unique<Parsed>();
  const std::string buffer = text + std::string(simdjson::SIMDJSON_PADDING, '\0');
  ParseContext context{parsed->batch, parsed->sink, parsed->errors, 1795996800, std::nullopt, 0, {}};
  parsed->ok = ActivityLogSource().parse(Input{"inline.json", std::string_view(buffer.data(), text.size())}, context).ok();
  return parsed;
}

// `az monitor activity-log list` output: operationName and status are {"value", "localizedValue"}.
constexpr const char* kCliOutput = R"([
 {"caller": "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
  "claims": {"appid": "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d", "idtyp": "app"},
  "correlationId": "6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c", "eventDataId": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
  "category": {"value": "Administrative", "localizedValue": "Administrative"},
  "eventTimestamp": "2024-06-13T07:02:11.4471234Z",
  "httpRequest": {"clientIpAddress": "45.83.64.10", "method": "POST"},
  "operationName": {"value": "Microsoft.Storage/storageAccounts/listKeys/action", "localizedValue": "List Storage Account Keys"},
  "resourceId": "/subscriptions/3f1e2d4c-5b6a-4789-8a1b-2c3d4e5f6a7b/resourceGroups/data-rg/providers/Microsoft.Storage/storageAccounts/proddatalake01",
  "status": {"value": "Failed", "localizedValue": "Failed"}, "subStatus": {"value": "Forbidden", "localizedValue": "Forbidden"},
  "subscriptionId": "3f1e2d4c-5b6a-4789-8a1b-2c3d4e5f6a7b"}
])";

// A diagnostic settings export: a person's token also carries the client app's appid.
constexpr const char* kDiagnosticExport = R"({"records": [
 {"time": "2024-06-13T07:05:00.0000000Z", "operationName": "MICROSOFT.KEYVAULT/VAULTS/SECRETS/GETSECRET/ACTION",
  "resourceId": "/SUBSCRIPTIONS/3F1E2D4C-5B6A-4789-8A1B-2C3D4E5F6A7B/RESOURCEGROUPS/APP-RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/PROD-KV",
  "category": "Administrative", "resultType": "Success", "callerIpAddress": "73.12.40.5", "correlationId": "c-1",
  "identity": {"claims": {"appid": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": "dana@example.com"}}},
 {"time": "2024-06-13T07:06:00Z", "operationName": "Microsoft.Automation/automationAccounts/webhooks/write",
  "resourceId": "/subscriptions/3f1e2d4c-5b6a-4789-8a1b-2c3d4e5f6a7b/resourceGroups/ops-rg/providers/Microsoft.Automation/automationAccounts/ops/webhooks/w1",
  "category": "Administrative", "resultType": "Success", "callerIpAddress": "1.1.1.1", "correlationId": "c-2"},
 {"operationName": "Microsoft.Storage/storageAccounts/write", "resourceId": "/subscriptions/s/x"}
]})";

TEST(AzureActivityLog, DetectsBothShapes) {
  const ActivityLogSource source;
  EXPECT_GT(source.detect(kCliOutput, "activity.json"), 0);
  EXPECT_GT(source.detect(kDiagnosticExport, "activity.json"), 0);
  EXPECT_EQ(source.detect(R"({"records": [{"time": "t", "category": "SignInLogs", "operationName": "Sign-in activity", "resourceId": "/tenants/x", "callerIpAddress": "1.1.1.1"}]})", "x.json"), 0)
      << "sign-in diagnostic records belong to the sign-ins source";
}

TEST(AzureActivityLog, CliOutputFields) {
  auto parsed = parse(kCliOutput);
  ASSERT_TRUE(parsed->ok);
  ASSERT_EQ(parsed->sink.events.size(), 1u);
  const ActivityEvent& event = parsed->sink.events[0];
  EXPECT_EQ(event.event_name, "Microsoft.Storage/storageAccounts/listKeys/action");
  EXPECT_EQ(event.event_source, "Microsoft.Storage");
  EXPECT_EQ(event.identity_id, "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d");
  EXPECT_EQ(event.actor_kind, core::ActorKind::machine);
  EXPECT_EQ(event.source_ip, "45.83.64.10");
  EXPECT_EQ(event.error_code, "Forbidden");
  EXPECT_EQ(event.account_id, "3f1e2d4c-5b6a-4789-8a1b-2c3d4e5f6a7b");
  EXPECT_EQ(event.event_id, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
  EXPECT_TRUE(event.raw_record_parses);
}

TEST(AzureActivityLog, DiagnosticExportCallers) {
  auto parsed = parse(kDiagnosticExport);
  ASSERT_TRUE(parsed->ok);
  ASSERT_EQ(parsed->sink.events.size(), 2u);
  EXPECT_EQ(parsed->sink.events[0].identity_id, "dana@example.com") << "the user name wins over the client's appid";
  EXPECT_EQ(parsed->sink.events[0].actor_kind, core::ActorKind::human);
  EXPECT_EQ(parsed->sink.events[0].error_code, "");
  EXPECT_EQ(parsed->sink.events[0].account_id, "3F1E2D4C-5B6A-4789-8A1B-2C3D4E5F6A7B");
  EXPECT_TRUE(parsed->sink.events[0].raw_record_parses);
  EXPECT_EQ(parsed->sink.events[1].identity_id, "") << "the record names no caller";
  EXPECT_EQ(parsed->sink.events[1].actor_kind, core::ActorKind::unknown);
  EXPECT_TRUE(parsed->sink.events[1].raw_record_parses);

  ASSERT_EQ(parsed->errors.size(), 1u);
  EXPECT_NE(parsed->errors[0].message.find("time"), std::string::npos) << parsed->errors[0].message;
}

}  // namespace
}  // namespace keyward::sources::entra
