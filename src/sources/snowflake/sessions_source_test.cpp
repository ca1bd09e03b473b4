#include "sources/snowflake/sessions_source.hpp"

#include <gtest/gtest.h>

#include "sources/testing/source_testing.hpp"

namespace keyward::sources::snowflake {
namespace {

using testing::detect_and_parse;
using testing::expect_golden;
using testing::normalized_json;
using testing::parse_with_source;
using testing::source_testdata;

const std::filesystem::path kFixtures = source_testdata("snowflake") / "snowflake-sessions";

// The event fields that RecordingSink leaves out and this source fills.
struct SessionFields {
  std::string event_type;
  std::string user_agent;
  std::string client_environment;
  std::string source_ip;
};

class SessionFieldsSink : public core::EventSink {
 public:
  void on_event(core::Event& event) override {
    events.push_back(SessionFields{std::string(event.event_type), std::string(event.user_agent),
                                   std::string(event.additional_event_data), std::string(event.source_ip)});
  }
  std::vector<SessionFields> events;
};

std::vector<SessionFields> parse_fields(const std::filesystem::path& path) {
  auto loaded = ingest::load_input(path.string());
  if (!loaded) {
    ADD_FAILURE() << loaded.error().describe();
    return {};
  }
  store::Batch batch;
  std::vector<RecordError> errors;
  SessionFieldsSink sink;
  ParseContext context{batch, sink, errors, 1795996800, std::nullopt, 0, {}};
  const core::Status status = SessionsSource().parse(Input{path.string(), loaded->data()}, context);
  EXPECT_TRUE(status.ok());
  return sink.events;
}

TEST(SnowflakeSessions, CsvMatchesGolden) {
  auto parsed = parse_with_source("snowflake-sessions", kFixtures / "sessions.csv");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  expect_golden(normalized_json(parsed), kFixtures / "sessions.csv.golden.json");
}

TEST(SnowflakeSessions, JoinedJsonMatchesGolden) {
  auto parsed = parse_with_source("snowflake-sessions", kFixtures / "sessions_with_client_ip.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  expect_golden(normalized_json(parsed), kFixtures / "sessions_with_client_ip.json.golden.json");
}

TEST(SnowflakeSessions, EventPerSession) {
  auto parsed = parse_with_source("snowflake-sessions", kFixtures / "sessions.csv");
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.records, 4);
  ASSERT_EQ(parsed.sink.events.size(), 4u);
  const auto& first = parsed.sink.events[0];
  EXPECT_EQ(first["platform"], "snowflake");
  EXPECT_EQ(first["event_id"], "70120345678901");
  EXPECT_EQ(first["event_source"], "session");
  EXPECT_EQ(first["event_name"], "CREATE_SESSION");
  EXPECT_EQ(first["identity_id"], "SVC_DBT");
  EXPECT_EQ(first["time"], "2026-11-21T03:00:01Z");
  // The view has no address, and the session names no stored credential.
  EXPECT_EQ(first["source_ip"], "");
  EXPECT_EQ(first["credential_id"], "");
  // -0800 is converted to UTC.
  EXPECT_EQ(parsed.sink.events[1]["time"], "2026-11-20T16:00:03Z");
  EXPECT_EQ(parsed.batch.observed_identities.size(), 4u);
}

TEST(SnowflakeSessions, ClientFieldsFromEnvironment) {
  const std::vector<SessionFields> events = parse_fields(kFixtures / "sessions.csv");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].event_type, "RSA keypair");
  EXPECT_EQ(events[0].user_agent,
            "PythonConnector (Linux Linux-6.1.0-27-cloud-amd64-x86_64-with-glibc2.36) PythonConnector 3.12.1");
  EXPECT_EQ(events[2].user_agent, "rapeflake (Windows Microsoft Windows 10.0.20348) .NET 2.1.5");
  EXPECT_EQ(events[3].user_agent, "DBeaver_DBeaverUltimate (Windows Server 2022 10.0) JDBC 3.14.4");
  // The CSV quoting is undone, so detectors get the JSON object itself.
  EXPECT_EQ(events[3].client_environment.rfind("{\"APPLICATION\":\"DBeaver_DBeaverUltimate\",\"OS\":\"Windows Server 2022\"", 0), 0u)
      << events[3].client_environment;
}

TEST(SnowflakeSessions, ClientIpFromLoginHistoryJoin) {
  const std::vector<SessionFields> events = parse_fields(kFixtures / "sessions_with_client_ip.json");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].source_ip, "35.2.3.4");
  EXPECT_EQ(events[0].user_agent, "Fivetran (Linux 5.10.226-214.880.amzn2.x86_64) JDBC 3.13.30");
  EXPECT_EQ(events[1].source_ip, "198.51.100.77");
  // snowsql writes CLIENT_ENVIRONMENT as a JSON string; its content is handed on unescaped.
  EXPECT_EQ(events[1].client_environment.rfind("{\"APPLICATION\":\"DBeaver_DBeaverCommunity\"", 0), 0u)
      << events[1].client_environment;
}

TEST(SnowflakeSessions, DetectedFromColumns) {
  EXPECT_EQ(detect_and_parse(kFixtures / "sessions.csv").source, "snowflake-sessions");
  EXPECT_EQ(detect_and_parse(kFixtures / "sessions_with_client_ip.json").source, "snowflake-sessions");
  // LOGIN_HISTORY exports stay with their own source.
  EXPECT_EQ(detect_and_parse(source_testdata("snowflake") / "snowflake-login-history" / "login_history.csv").source,
            "snowflake-login-history");
}

TEST(SnowflakeSessions, BadRowsReported) {
  const auto path = source_testdata("snowflake") / "bad" / "bad_sessions.csv";
  auto parsed = parse_with_source("snowflake-sessions", path);
  ASSERT_TRUE(parsed.status.ok());
  ASSERT_EQ(parsed.errors.size(), 5u);

  // A malformed CLIENT_ENVIRONMENT drops that field only: the session is kept.
  EXPECT_EQ(parsed.errors[0].line, 2);
  EXPECT_EQ(parsed.errors[0].file, path.string());
  EXPECT_NE(parsed.errors[0].message.find("session 70120345679001: CLIENT_ENVIRONMENT is not a JSON object"),
            std::string::npos)
      << parsed.errors[0].message;
  EXPECT_NE(parsed.errors[0].message.find("client environment ignored"), std::string::npos);

  EXPECT_EQ(parsed.errors[1].line, 3);
  EXPECT_NE(parsed.errors[1].message.find("CREATED_ON 'yesterday' is not a timestamp; row skipped"), std::string::npos)
      << parsed.errors[1].message;
  EXPECT_EQ(parsed.errors[2].line, 4);
  EXPECT_NE(parsed.errors[2].message.find("no USER_NAME"), std::string::npos) << parsed.errors[2].message;
  // A JSON array is valid JSON but not the object Snowflake writes.
  EXPECT_EQ(parsed.errors[3].line, 5);
  EXPECT_NE(parsed.errors[3].message.find("another JSON type"), std::string::npos) << parsed.errors[3].message;
  EXPECT_EQ(parsed.errors[4].line, 6);
  EXPECT_NE(parsed.errors[4].message.find("no SESSION_ID"), std::string::npos) << parsed.errors[4].message;

  ASSERT_EQ(parsed.sink.events.size(), 2u);
  EXPECT_EQ(parsed.sink.events[0]["event_id"], "70120345679001");
  EXPECT_EQ(parsed.sink.events[0]["user_agent"], "PythonConnector 3.12.1");
  EXPECT_EQ(parsed.sink.events[1]["event_id"], "70120345679004");

  const std::vector<SessionFields> fields = parse_fields(path);
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].client_environment, "");
  EXPECT_EQ(fields[1].client_environment, "");
}

TEST(SnowflakeSessions, OversizedEnvironmentIgnored) {
  const std::string environment = "{\"APPLICATION\":\"" + std::string(70 * 1024, 'a') + "\"}";
  std::string csv = "SESSION_ID,CREATED_ON,USER_NAME,CLIENT_ENVIRONMENT\n1,2026-11-21 05:00:00.000 +0000,SVC_DBT,\"";
  for (char c : environment) csv += c == '"' ? std::string("\"\"") : std::string(1, c);
  csv += "\"\n";
  auto parsed = testing::parse_text_with_source("snowflake-sessions", csv, "big.csv");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_NE(parsed.errors[0].message.find("over the 65536 byte limit"), std::string::npos) << parsed.errors[0].message;
  ASSERT_EQ(parsed.sink.events.size(), 1u);
  EXPECT_EQ(parsed.sink.events[0]["user_agent"], "");
}

}  // namespace
}  // namespace keyward::sources::snowflake
