#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "notify/http_post.hpp"
#include "notify/notifier.hpp"
#include "notify/test_receivers.hpp"
#include "report/findings_output.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace keyward::notify {
namespace {

using nlohmann::json;
using testing::HttpReceiver;
using testing::ScriptedResponse;

constexpr const char* kToken = "kwTOKEN-5d1c7e9a3b";

core::Alert sample_alert(const std::string& key = "k1", core::Severity severity = core::Severity::high) {
  core::Alert alert;
  alert.detector = "aws.iam.key_for_other_user";
  alert.dedupe_key = key;
  alert.title = "Access key created for another user";
  alert.severity = severity;
  alert.score = 85;
  alert.identity = {"aws", "arn:aws:iam::111122223333:user/ci-deployer", "ci-deployer"};
  alert.credential_id = "AKIAEXAMPLEKEY000001";
  alert.time = 1'780'000'000;
  alert.evidence.push_back({"CreateAccessKey for user <admin-alice> by ci-deployer", {"trail.json", 10, "evt-1"}, 1'780'000'000});
  alert.remediation = "aws iam update-access-key --status Inactive";
  return alert;
}

// Settings for a channel that retries fast and records each wait instead of sleeping.
ChannelSettings fast_settings(ChannelType type, std::vector<std::chrono::milliseconds>& waits) {
  ChannelSettings settings;
  settings.name = std::string(to_string(type)) + "-test";
  settings.type = type;
  settings.min_severity = core::Severity::info;
  settings.retry.max_attempts = 3;
  settings.retry.initial_backoff = std::chrono::milliseconds(100);
  settings.retry.timeout = std::chrono::seconds(5);
  settings.retry.sleep = [&waits](std::chrono::milliseconds delay) { waits.push_back(delay); };
  return settings;
}

TEST(Webhook, PostsAlertFields) {
  HttpReceiver receiver;
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::webhook, waits);
  settings.url = receiver.url();
  settings.token = kToken;
  auto channel = make_webhook_channel(settings);

  ASSERT_TRUE(channel->deliver({sample_alert()}).ok());
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/hook");
  EXPECT_EQ(requests[0].headers.at("content-type"), "application/json");
  EXPECT_EQ(requests[0].headers.at("authorization"), std::string("Bearer ") + kToken);
  const json body = json::parse(requests[0].body);
  EXPECT_EQ(body["id"], report::alert_id(sample_alert()));
  EXPECT_EQ(body["detector"], "aws.iam.key_for_other_user");
  EXPECT_EQ(body["severity"], "high");
  EXPECT_EQ(body["identity"]["name"], "ci-deployer");
  EXPECT_EQ(body["credential"], "AKIAEXAMPLEKEY000001");
  EXPECT_EQ(body["evidence"].size(), 1u);
  EXPECT_TRUE(waits.empty());
}

TEST(Webhook, RetriesAfter503) {
  HttpReceiver receiver;
  receiver.script({{503, {}, "busy"}});
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::webhook, waits);
  settings.url = receiver.url();
  auto channel = make_webhook_channel(settings);

  auto status = channel->deliver({sample_alert()});
  ASSERT_TRUE(status.ok()) << status.error().message;
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body);
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0], std::chrono::milliseconds(100));
}

TEST(Webhook, BackoffDoublesUntilGivingUp) {
  HttpReceiver receiver;
  receiver.script({{500, {}, ""}, {502, {}, ""}, {504, {}, ""}});
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::webhook, waits);
  settings.url = receiver.url();
  auto status = make_webhook_channel(settings)->deliver({sample_alert()});

  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("'webhook-test'"), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("after 3 attempt(s)"), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("HTTP 504"), std::string::npos) << status.error().message;
  EXPECT_EQ(receiver.requests().size(), 3u);
  EXPECT_EQ(waits, (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(100), std::chrono::milliseconds(200)}));
}

TEST(Webhook, HonoursRetryAfter) {
  HttpReceiver receiver;
  receiver.script({{429, {"Retry-After: 7"}, ""}});
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::webhook, waits);
  settings.url = receiver.url();

  ASSERT_TRUE(make_webhook_channel(settings)->deliver({sample_alert()}).ok());
  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(waits, (std::vector<std::chrono::milliseconds>{std::chrono::seconds(7)}));
}

TEST(Webhook, RetryAfterBeyondLimitStops) {
  HttpReceiver receiver;
  receiver.script({{503, {"Retry-After: 3600"}, ""}});
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::webhook, waits);
  settings.url = receiver.url();

  auto status = make_webhook_channel(settings)->deliver({sample_alert()});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("retry after 3600 s"), std::string::npos) << status.error().message;
  EXPECT_EQ(receiver.requests().size(), 1u);
  EXPECT_TRUE(waits.empty());
}

TEST(Webhook, ClientErrorFailsWithoutRetryOrToken) {
  HttpReceiver receiver;
  receiver.script({{401, {}, std::string("invalid token ") + kToken}});
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::webhook, waits);
  settings.url = receiver.url("/hook/path-part");
  settings.token = kToken;

  auto status = make_webhook_channel(settings)->deliver({sample_alert()});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(receiver.requests().size(), 1u);
  EXPECT_NE(status.error().message.find("HTTP 401"), std::string::npos) << status.error().message;
  EXPECT_EQ(status.error().message.find(kToken), std::string::npos) << status.error().message;
  EXPECT_EQ(status.error().message.find("path-part"), std::string::npos) << status.error().message;
}

TEST(Webhook, EchoedUrlSecretsAreRedacted) {
  HttpReceiver receiver;
  receiver.script({{403, {}, "denied: path=/hooks/T000/B000/sekritpathpart?sig=QUERYSECRET99, also sekritpathpart"}});
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::webhook, waits);
  settings.url = receiver.url("/hooks/T000/B000/sekritpathpart?sig=QUERYSECRET99");

  auto status = make_webhook_channel(settings)->deliver({sample_alert()});
  ASSERT_FALSE(status.ok());
  const std::string& message = status.error().message;
  EXPECT_NE(message.find("HTTP 403"), std::string::npos) << message;
  EXPECT_EQ(message.find("sekritpathpart"), std::string::npos) << message;
  EXPECT_EQ(message.find("QUERYSECRET99"), std::string::npos) << message;
}

TEST(Webhook, ConnectionRefusedRetries) {
  int port = 0;
  const int fd = testing::bind_loopback(SOCK_STREAM, port);  // bound, never listening: connections are refused
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::webhook, waits);
  settings.url = "http://127.0.0.1:" + std::to_string(port) + "/hook";

  auto status = make_webhook_channel(settings)->deliver({sample_alert()});
  ::close(fd);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("'webhook-test'"), std::string::npos);
  EXPECT_EQ(waits.size(), 2u);
}

TEST(Slack, SendsTextAndBlocks) {
  HttpReceiver receiver;
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::slack, waits);
  settings.url = receiver.url("/services/T000/B000/XXXX");
  ASSERT_TRUE(make_slack_channel(settings)->deliver({sample_alert()}).ok());

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const json body = json::parse(requests[0].body);
  EXPECT_EQ(body["text"], "[high] Access key created for another user (ci-deployer on aws)");
  ASSERT_TRUE(body["blocks"].is_array());
  EXPECT_EQ(body["blocks"][0]["type"], "header");
  EXPECT_EQ(body["blocks"][0]["text"]["text"], "High: Access key created for another user");
  EXPECT_EQ(body["blocks"][1]["type"], "section");
  EXPECT_LE(body["blocks"][1]["fields"].size(), 10u);
  // Evidence text is escaped for mrkdwn.
  EXPECT_NE(body["blocks"][2]["text"]["text"].get<std::string>().find("&lt;admin-alice&gt;"), std::string::npos);
  EXPECT_NE(body.dump().find(report::alert_id(sample_alert())), std::string::npos);
}

TEST(Slack, LargeBatchEndsWithSummary) {
  HttpReceiver receiver;
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::slack, waits);
  settings.url = receiver.url("/services/T000/B000/XXXX");
  std::vector<core::Alert> alerts;
  for (int i = 0; i < 23; ++i) alerts.push_back(sample_alert("k" + std::to_string(i)));
  ASSERT_TRUE(make_slack_channel(settings)->deliver(alerts).ok());

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 21u);
  EXPECT_EQ(json::parse(requests.back().body)["text"], "3 more new keyward alerts; `keyward alerts` lists them all.");
}

TEST(SplunkHec, PostsEventsWithSplunkAuthorization) {
  HttpReceiver receiver;
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::splunk_hec, waits);
  settings.url = receiver.url("");  // no path: the channel appends /services/collector/event
  settings.token = kToken;
  settings.index = "security";
  ASSERT_TRUE(make_splunk_hec_channel(settings)->deliver({sample_alert("k1"), sample_alert("k2")}).ok());

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/services/collector/event");
  EXPECT_EQ(requests[0].headers.at("authorization"), std::string("Splunk ") + kToken);
  std::istringstream lines(requests[0].body);
  std::string line;
  std::vector<json> events;
  while (std::getline(lines, line)) events.push_back(json::parse(line));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["time"], 1'780'000'000);
  EXPECT_EQ(events[0]["index"], "security");
  EXPECT_EQ(events[0]["sourcetype"], "keyward:alert");
  EXPECT_EQ(events[0]["event"]["detector"], "aws.iam.key_for_other_user");
  EXPECT_EQ(events[1]["event"]["id"], report::alert_id(sample_alert("k2")));
}

TEST(Syslog, UdpMessageIsRfc5424) {
  int port = 0;
  const int fd = testing::bind_loopback(SOCK_DGRAM, port);
  ASSERT_GE(fd, 0);
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::syslog, waits);
  settings.host = "127.0.0.1";
  settings.port = port;
  settings.facility = 16;
  ASSERT_TRUE(make_syslog_channel(settings)->deliver({sample_alert()}).ok());

  char buffer[65536];
  pollfd poll_fd{fd, POLLIN, 0};
  ASSERT_EQ(::poll(&poll_fd, 1, 5000), 1);
  const ssize_t count = ::recv(fd, buffer, sizeof(buffer), 0);
  ::close(fd);
  ASSERT_GT(count, 0);
  const std::string message(buffer, static_cast<size_t>(count));
  // local0 (16) * 8 + error (3) for a high alert.
  EXPECT_EQ(message.rfind("<131>1 ", 0), 0u) << message;
  const size_t json_start = message.find(" - {");
  ASSERT_NE(json_start, std::string::npos) << message;
  EXPECT_NE(message.find(" keyward "), std::string::npos);
  EXPECT_NE(message.find(" alert - "), std::string::npos);
  const json body = json::parse(message.substr(json_start + 3));
  EXPECT_EQ(body["detector"], "aws.iam.key_for_other_user");
}

TEST(Syslog, TcpUsesOctetCounting) {
  int port = 0;
  const int listener = testing::bind_loopback(SOCK_STREAM, port);
  ASSERT_GE(listener, 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::syslog, waits);
  settings.host = "127.0.0.1";
  settings.port = port;
  settings.tcp = true;
  // The kernel completes the handshake from the backlog, so delivery finishes before accept().
  ASSERT_TRUE(make_syslog_channel(settings)->deliver({sample_alert("k1", core::Severity::critical), sample_alert("k2")}).ok());

  const int client = ::accept(listener, nullptr, nullptr);
  ASSERT_GE(client, 0);
  const std::string stream = testing::read_until_closed(client);
  ::close(client);
  ::close(listener);

  std::vector<std::string> messages;
  size_t at = 0;
  while (at < stream.size()) {
    const size_t space = stream.find(' ', at);
    ASSERT_NE(space, std::string::npos);
    const size_t length = std::stoul(stream.substr(at, space - at));
    messages.push_back(stream.substr(space + 1, length));
    at = space + 1 + length;
  }
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].rfind("<130>1 ", 0), 0u) << messages[0];
  EXPECT_EQ(messages[1].rfind("<131>1 ", 0), 0u) << messages[1];
  EXPECT_EQ(messages[1].back(), '}');
}

TEST(Syslog, TcpRefusedNamesChannel) {
  int port = 0;
  const int fd = testing::bind_loopback(SOCK_STREAM, port);
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::syslog, waits);
  settings.host = "127.0.0.1";
  settings.port = port;
  settings.tcp = true;
  auto status = make_syslog_channel(settings)->deliver({sample_alert()});
  ::close(fd);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("'syslog-test'"), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("tcp://127.0.0.1:"), std::string::npos) << status.error().message;
  EXPECT_EQ(waits.size(), 2u);
}

// Settings parsing: the YAML text is parsed as keyward.yaml in a temporary directory.
class NotificationSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("keyward-notify-test-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override {
    std::filesystem::remove_all(directory_);
    unsetenv("KEYWARD_TEST_HOOK_TOKEN");
  }

  core::Result<std::vector<ChannelSettings>> parse(const std::string& yaml) {
    auto config = config::parse_config(yaml, (directory_ / "keyward.yaml").string());
    if (!config) return config.error();
    auto section = config->sections.find("notifications");
    if (section == config->sections.end()) return std::vector<ChannelSettings>{};
    return parse_notification_settings(section->second, config->path);
  }

  void write_secret(const std::string& name, const std::string& text, mode_t mode) {
    std::ofstream(directory_ / name) << text << "\n";
    ::chmod((directory_ / name).c_str(), mode);
  }

  std::filesystem::path directory_;
};

TEST_F(NotificationSettingsTest, ReadsEveryChannelType) {
  setenv("KEYWARD_TEST_HOOK_TOKEN", kToken, 1);
  write_secret("hec-token", "hec-secret-value", 0600);
  auto settings = parse(R"(
notifications:
  channels:
    - type: webhook
      name: soc
      url: https://hooks.example.com/keyward
      token_env: KEYWARD_TEST_HOOK_TOKEN
      min_severity: high
    - type: syslog
      address: "[::1]:6514"
      transport: tcp
      facility: authpriv
    - type: splunk_hec
      url: https://splunk.example.com:8088
      token_file: hec-token
      index: security
)");
  ASSERT_TRUE(settings.ok()) << settings.error().describe();
  ASSERT_EQ(settings->size(), 3u);
  EXPECT_EQ((*settings)[0].name, "soc");
  EXPECT_EQ((*settings)[0].token, kToken);
  EXPECT_EQ((*settings)[0].min_severity, core::Severity::high);
  EXPECT_EQ((*settings)[1].name, "syslog #2");
  EXPECT_EQ((*settings)[1].host, "::1");
  EXPECT_EQ((*settings)[1].port, 6514);
  EXPECT_TRUE((*settings)[1].tcp);
  EXPECT_EQ((*settings)[1].facility, 10);
  EXPECT_EQ((*settings)[1].min_severity, core::Severity::medium);
  EXPECT_EQ((*settings)[2].token, "hec-secret-value");
  EXPECT_EQ((*settings)[2].index, "security");
}

TEST_F(NotificationSettingsTest, RejectsTokenInYaml) {
  auto settings = parse("notifications:\n  channels:\n    - type: webhook\n      url: https://h.example.com/x\n      token: abc123\n");
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.error().line, 5);
  EXPECT_NE(settings.error().message.find("token_env"), std::string::npos) << settings.error().message;
  EXPECT_EQ(settings.error().describe().find("abc123"), std::string::npos);
}

TEST_F(NotificationSettingsTest, RejectsSlackUrlInYaml) {
  auto settings = parse("notifications:\n  channels:\n    - type: slack\n      url: https://hooks.slack.com/services/T/B/SECRET\n");
  ASSERT_FALSE(settings.ok());
  EXPECT_NE(settings.error().message.find("url_env"), std::string::npos) << settings.error().message;
  EXPECT_EQ(settings.error().describe().find("SECRET"), std::string::npos);
}

TEST_F(NotificationSettingsTest, RejectsTokenFileReadableByOthers) {
  write_secret("token", "value", 0644);
  auto settings = parse("notifications:\n  channels:\n    - type: splunk_hec\n      url: https://s.example.com:8088\n"
                        "      token_file: token\n");
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.error().line, 5);
  EXPECT_NE(settings.error().message.find("chmod 600"), std::string::npos) << settings.error().message;
}

TEST_F(NotificationSettingsTest, RejectsMissingEnvironmentVariable) {
  auto settings = parse("notifications:\n  channels:\n    - type: webhook\n      url: https://h.example.com/x\n"
                        "      token_env: KEYWARD_TEST_HOOK_TOKEN\n");
  ASSERT_FALSE(settings.ok());
  EXPECT_NE(settings.error().message.find("KEYWARD_TEST_HOOK_TOKEN is not set"), std::string::npos);
}

TEST_F(NotificationSettingsTest, RejectsPlainHttpToRemoteHost) {
  auto remote = parse("notifications:\n  channels:\n    - type: webhook\n      url: http://hooks.example.com/x\n");
  ASSERT_FALSE(remote.ok());
  EXPECT_NE(remote.error().message.find("allow_plain_http"), std::string::npos) << remote.error().message;
  auto local = parse("notifications:\n  channels:\n    - type: webhook\n      url: http://127.0.0.1:8080/x\n");
  EXPECT_TRUE(local.ok()) << local.error().describe();
}

TEST_F(NotificationSettingsTest, RejectsUnknownKeyWithLine) {
  auto settings = parse("notifications:\n  channels:\n    - type: syslog\n      address: 127.0.0.1:514\n      urll: x\n");
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.error().line, 5);
  EXPECT_NE(settings.error().message.find("unknown key 'urll'"), std::string::npos);
}

TEST(RedactUrl, KeepsSchemeHostAndPort) {
  EXPECT_EQ(redact_url("https://hooks.slack.com/services/T0/B0/SECRET"), "https://hooks.slack.com");
  EXPECT_EQ(redact_url("https://user:pass@splunk.example.com:8088/services/collector?x=1"), "https://splunk.example.com:8088");
}

// Only alerts new to the store are sent: committing the same alerts again sends nothing.
TEST(Notifier, NoNotificationOnReingest) {
  const auto path = std::filesystem::temp_directory_path() / ("keyward-notifier-test-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  auto opened = store::open_sqlite_store(path.string());
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  std::unique_ptr<store::Store> store = std::move(opened.value());

  HttpReceiver receiver;
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::webhook, waits);
  settings.url = receiver.url();
  settings.min_severity = core::Severity::medium;
  std::vector<std::unique_ptr<Channel>> channels;
  channels.push_back(make_webhook_channel(settings));
  Notifier notifier(std::move(channels));

  store::Batch batch;
  batch.alerts = {sample_alert("k1"), sample_alert("k2", core::Severity::low)};
  for (int ingest = 0; ingest < 2; ++ingest) {
    ASSERT_TRUE(store->commit(batch).ok());
    auto fresh = store->take_new_alerts();
    ASSERT_TRUE(fresh.ok());
    EXPECT_TRUE(notifier.notify(*fresh).empty());
  }
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);  // k1 once; k2 is below the channel's min_severity
  EXPECT_EQ(json::parse(requests[0].body)["id"], report::alert_id(sample_alert("k1")));

  store.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

TEST(Notifier, FailureNamesChannelAndOthersStillDeliver) {
  HttpReceiver receiver;
  receiver.script({{400, {}, "bad request"}});
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings failing = fast_settings(ChannelType::webhook, waits);
  failing.name = "broken-hook";
  failing.url = receiver.url("/broken");
  ChannelSettings working = fast_settings(ChannelType::webhook, waits);
  working.name = "good-hook";
  working.url = receiver.url("/good");
  std::vector<std::unique_ptr<Channel>> channels;
  channels.push_back(make_webhook_channel(failing));
  channels.push_back(make_webhook_channel(working));
  Notifier notifier(std::move(channels));

  const auto failures = notifier.notify({sample_alert()});
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].channel, "broken-hook");
  EXPECT_NE(failures[0].message.find("'broken-hook'"), std::string::npos);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].path, "/good");
}

// A SQLite store in a temporary file, removed with its WAL files at the end of the test.
class StoreFile {
 public:
  explicit StoreFile(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".db")) {
    remove_files();
    auto opened = store::open_sqlite_store(path_.string());
    if (opened.ok()) store_ = std::move(opened.value());
  }
  ~StoreFile() {
    store_.reset();
    remove_files();
  }
  store::Store* get() { return store_.get(); }

 private:
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  std::filesystem::path path_;
  std::unique_ptr<store::Store> store_;
};

Notifier webhook_notifier(const ChannelSettings& settings) {
  std::vector<std::unique_ptr<Channel>> channels;
  channels.push_back(make_webhook_channel(settings));
  return Notifier(std::move(channels));
}

TEST(Notifier, FailedAlertIsSentWithNextBatch) {
  StoreFile file("keyward-notifier-retry");
  store::Store* store = file.get();
  ASSERT_NE(store, nullptr);
  HttpReceiver receiver;
  receiver.script({{400, {}, "bad request"}});
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::webhook, waits);
  settings.url = receiver.url();
  Notifier notifier = webhook_notifier(settings);

  store::Batch first;
  first.alerts = {sample_alert("k1")};
  ASSERT_TRUE(store->commit(first).ok());
  auto failures = notifier.notify(*store->take_new_alerts(), store);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_NE(failures[0].message.find("1 alert(s) will be sent again with this channel's next delivery"), std::string::npos) << failures[0].message;
  auto pending = store->list_notification_retries(settings.name, 10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].attempts, 1);
  EXPECT_EQ((*pending)[0].alert.dedupe_key, "k1");

  store::Batch second;
  second.alerts = {sample_alert("k2")};
  ASSERT_TRUE(store->commit(second).ok());
  failures = notifier.notify(*store->take_new_alerts(), store);
  EXPECT_TRUE(failures.empty());
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);  // the rejected k1, then k1 again and k2
  EXPECT_EQ(json::parse(requests[1].body)["id"], report::alert_id(sample_alert("k1")));
  EXPECT_EQ(json::parse(requests[2].body)["id"], report::alert_id(sample_alert("k2")));
  pending = store->list_notification_retries(settings.name, 10);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
}

TEST(Notifier, RetryFailedSendsWithoutNewAlerts) {
  StoreFile file("keyward-notifier-retry-failed");
  store::Store* store = file.get();
  ASSERT_NE(store, nullptr);
  HttpReceiver receiver;
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::webhook, waits);
  settings.url = receiver.url();
  store::Batch batch;
  batch.alerts = {sample_alert("k1")};
  ASSERT_TRUE(store->commit(batch).ok());
  ASSERT_TRUE(store->record_notification_failure(settings.name, batch.alerts, "HTTP 503", core::now()).ok());

  // A new process: its first retry_failed sends at once, a second one waits kRetryInterval.
  Notifier notifier = webhook_notifier(settings);
  EXPECT_TRUE(notifier.retry_failed(*store).empty());
  ASSERT_EQ(receiver.requests().size(), 1u);
  ASSERT_TRUE(store->record_notification_failure(settings.name, batch.alerts, "HTTP 503", core::now()).ok());
  EXPECT_TRUE(notifier.retry_failed(*store).empty());
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST(Notifier, GivesUpAfterMaxAttempts) {
  StoreFile file("keyward-notifier-give-up");
  store::Store* store = file.get();
  ASSERT_NE(store, nullptr);
  HttpReceiver receiver;
  receiver.script(std::vector<ScriptedResponse>(Notifier::kMaxDeliveryAttempts + 1, ScriptedResponse{400, {}, "no"}));
  std::vector<std::chrono::milliseconds> waits;
  ChannelSettings settings = fast_settings(ChannelType::webhook, waits);
  settings.url = receiver.url();
  Notifier notifier = webhook_notifier(settings);

  store::Batch batch;
  batch.alerts = {sample_alert("k1")};
  ASSERT_TRUE(store->commit(batch).ok());
  std::vector<core::Alert> fresh = *store->take_new_alerts();
  std::string last_message;
  for (int attempt = 1; attempt <= Notifier::kMaxDeliveryAttempts; ++attempt) {
    const auto failures = notifier.notify(attempt == 1 ? fresh : std::vector<core::Alert>{sample_alert("k1")}, store);
    ASSERT_EQ(failures.size(), 1u) << "attempt " << attempt;
    last_message = failures[0].message;
  }
  EXPECT_NE(last_message.find("gave up on 1 alert(s)"), std::string::npos) << last_message;
  auto pending = store->list_notification_retries(settings.name, 10);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
}

}  // namespace
}  // namespace keyward::notify
