// A secret inside a logged URL (a token in a webhook's query string, a password in its user
// information) must not reach the alert's evidence, any output format, or the database file.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/ingest.hpp"
#include "report/findings_output.hpp"
#include "store/store.hpp"

namespace keyward {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCanary = "ghp_KWCANARYx7Rq2mZp9Lw4Tb8Vn3Hc6Jd1Fs5Gk0";
constexpr std::string_view kPasswordCanary = "hunter2CANARYpw";

std::string hook_record(std::string_view url) {
  return "[{\"@timestamp\": 1758013200000, \"_document_id\": \"canary-1\", \"action\": \"hook.create\", "
         "\"actor\": \"deploy-bot\", \"actor_ip\": \"73.162.10.5\", \"org\": \"acme-corp\", "
         "\"user_agent\": \"python-requests/2.32.3\", \"hashed_token\": \"aNb4RlJZFclII4yPv3ZYXk3k2gqw250RCZjMtPlqge0=\", "
         "\"programmatic_access_type\": \"Personal access token (classic)\", \"token_id\": \"9500001\", "
         "\"repo\": \"acme-corp/payments-api\", \"hook_id\": 48110001, \"config\": {\"url\": \"" +
         std::string(url) + "\", \"content_type\": \"json\"}}]\n";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(AlertCanary, UrlSecretsNeverStoredOrPrinted) {
  std::string pattern = (fs::temp_directory_path() / "keyward-canary-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const fs::path directory = pattern;
  const fs::path log = directory / "audit.json";
  std::ofstream(log) << hook_record("https://relay:" + std::string(kPasswordCanary) +
                                    "@collector.example.net/gh?token=" + std::string(kCanary) + "#frag");
  const fs::path database = directory / "store.db";
  {
    auto store = store::open_sqlite_store(database.string());
    ASSERT_TRUE(store.ok()) << store.error().describe();
    ingest::IngestReport report = ingest::ingest_paths(**store, {log.string()}, ingest::IngestOptions{});
    ASSERT_TRUE(report.all_inputs_ok());
    auto alerts = (*store)->list_alerts();
    ASSERT_TRUE(alerts.ok());
    ASSERT_FALSE(alerts->empty()) << "the webhook creation should raise an alert";

    bool shows_host = false;
    for (const auto& alert : *alerts) {
      for (const auto& evidence : alert.evidence) {
        shows_host = shows_host || evidence.description.find("collector.example.net/gh") != std::string::npos;
      }
    }
    EXPECT_TRUE(shows_host) << "the evidence should still name where the webhook sends";

    report::ReportInput input;
    input.alerts = *alerts;
    for (auto format : {report::ReportFormat::table, report::ReportFormat::json, report::ReportFormat::csv,
                        report::ReportFormat::sarif, report::ReportFormat::ocsf, report::ReportFormat::html}) {
      const std::string rendered = report::render_alerts(input, format, 120);
      EXPECT_EQ(rendered.find(kCanary), std::string::npos) << report::to_string(format);
      EXPECT_EQ(rendered.find(kPasswordCanary), std::string::npos) << report::to_string(format);
    }
  }
  // The database file itself, including pages SQLite has freed.
  const std::string bytes = read_file(database);
  EXPECT_EQ(bytes.find(kCanary), std::string::npos);
  EXPECT_EQ(bytes.find(kPasswordCanary), std::string::npos);
  std::error_code ignored;
  fs::remove_all(directory, ignored);
}

}  // namespace
}  // namespace keyward
