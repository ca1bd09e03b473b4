// keyward ingest sends the new alerts of all its inputs in one delivery per channel. A channel
// that is down during one command therefore spends one of its retries, not one per input.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "tests/cli_harness.hpp"
#include "notify/test_receivers.hpp"

namespace keyward {
namespace {

namespace fs = std::filesystem;
using keyward::testing::read_file;
using keyward::testing::run_keyward;
using keyward::testing::TempDir;
using keyward::testing::write_file;

const fs::path kTamperingExamples = fs::path(KEYWARD_SOURCE_DIR) / "src/detect/detectors/testdata/aws.cloudtrail.logging_tampered";

// Copies three inputs that each raise one CloudTrail tampering alert into `dir`/logs.
void write_three_alerting_inputs(const TempDir& dir) {
  for (const char* name : {"positive_delete_trail.json", "positive_stop_logging.json", "positive_flow_logs_deleted.json"}) {
    write_file(dir / "logs" / name, read_file(kTamperingExamples / name));
  }
}

void write_webhook_config(const TempDir& dir, const std::string& url) {
  write_file(dir / "keyward.yaml",
             "notifications:\n"
             "  channels:\n"
             "    - type: webhook\n"
             "      name: soc-hook\n"
             "      url: " + url + "\n"
             "      max_attempts: 1\n"
             "      timeout_seconds: 2\n");
}

size_t count_of(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

TEST(IngestNotify, DownChannelFailsOncePerCommand) {
  TempDir dir;
  write_three_alerting_inputs(dir);
  std::string url;
  {
    notify::testing::HttpReceiver closed;  // bound, then closed, so nothing listens on its port
    url = closed.url();
  }
  write_webhook_config(dir, url);

  const auto first = run_keyward(dir.path(), "ingest logs");
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(count_of(first.err, "notification channel 'soc-hook'"), 1u) << first.err;
  EXPECT_NE(first.err.find("3 alert(s) will be sent again"), std::string::npos) << first.err;
}

TEST(IngestNotify, OneDeliveryForAllInputs) {
  TempDir dir;
  write_three_alerting_inputs(dir);
  notify::testing::HttpReceiver receiver;
  write_webhook_config(dir, receiver.url());

  const auto result = run_keyward(dir.path(), "ingest logs");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto requests = receiver.requests();
  std::set<std::string> ids;
  for (const auto& request : requests) ids.insert(nlohmann::json::parse(request.body).value("id", ""));
  EXPECT_EQ(ids.size(), 3u) << "each alert arrives once";
  EXPECT_EQ(requests.size(), 3u);
}

}  // namespace
}  // namespace keyward
