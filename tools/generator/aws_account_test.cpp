#include "tools/generator/aws_account.hpp"

#include <gtest/gtest.h>
#include <libdeflate.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace keyward::generator {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHeader =
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,"
    "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,"
    "access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
    "access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
    "cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

// A small account so each test generates in well under a second.
GeneratorOptions small_options(std::uint64_t seed = 7) {
  GeneratorOptions options;
  options.seed = seed;
  options.users = 50;
  options.roles = 35;
  options.days = 14;
  return options;
}

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("keyward-generator-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string str() const { return path_.string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string gunzip(const std::string& data) {
  if (data.size() < 18) return {};
  const size_t size = static_cast<unsigned char>(data[data.size() - 4]) |
                      static_cast<unsigned char>(data[data.size() - 3]) << 8 |
                      static_cast<unsigned char>(data[data.size() - 2]) << 16 |
                      static_cast<size_t>(static_cast<unsigned char>(data[data.size() - 1])) << 24;
  std::string out(size, '\0');
  libdeflate_decompressor* decompressor = libdeflate_alloc_decompressor();
  const auto result = libdeflate_gzip_decompress(decompressor, data.data(), data.size(), out.data(), out.size(), nullptr);
  libdeflate_free_decompressor(decompressor);
  return result == LIBDEFLATE_SUCCESS ? out : std::string();
}

std::string base64_decode(const std::string& text) {
  static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0;
  std::uint32_t buffer = 0;
  for (char c : text) {
    if (c == '=') break;
    const size_t value = kAlphabet.find(c);
    if (value == std::string::npos) return {};
    buffer = buffer << 6 | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

std::vector<std::vector<std::string>> report_rows(const fs::path& dir) {
  const auto report = nlohmann::json::parse(read_file(dir / "credential-report.json"));
  std::vector<std::vector<std::string>> rows;
  for (const auto& line : split(base64_decode(report["Content"].get<std::string>()), '\n')) rows.push_back(split(line, ','));
  return rows;
}

std::vector<nlohmann::json> all_records(const fs::path& dir) {
  std::vector<nlohmann::json> records;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "cloudtrail")) {
    if (!entry.is_regular_file()) continue;
    // Bound to a name: a range-for over a member of a temporary would read freed memory.
    const nlohmann::json delivery = nlohmann::json::parse(gunzip(read_file(entry.path())));
    for (const auto& record : delivery["Records"]) records.push_back(record);
  }
  return records;
}

TEST(AwsAccountGenerator, SameSeedGivesIdenticalFiles) {
  TempDir first, second;
  auto a = generate_aws_account(first.str(), small_options());
  auto b = generate_aws_account(second.str(), small_options());
  ASSERT_TRUE(a.ok()) << a.error().describe();
  ASSERT_TRUE(b.ok()) << b.error().describe();
  ASSERT_EQ(a->files, b->files);
  for (const auto& file : a->files) {
    EXPECT_EQ(read_file(first.path() / file), read_file(second.path() / file)) << file;
  }
  EXPECT_EQ(a->events, b->events);
}

TEST(AwsAccountGenerator, DifferentSeedChangesOutput) {
  TempDir first, second;
  ASSERT_TRUE(generate_aws_account(first.str(), small_options(7)).ok());
  ASSERT_TRUE(generate_aws_account(second.str(), small_options(8)).ok());
  EXPECT_NE(read_file(first.path() / "credential-report.json"), read_file(second.path() / "credential-report.json"));
  EXPECT_NE(read_file(first.path() / "access-keys.json"), read_file(second.path() / "access-keys.json"));
}

TEST(AwsAccountGenerator, CredentialReportHasHeaderAndRows) {
  TempDir dir;
  const GeneratorOptions options = small_options();
  ASSERT_TRUE(generate_aws_account(dir.str(), options).ok());
  const auto report = nlohmann::json::parse(read_file(dir.path() / "credential-report.json"));
  EXPECT_EQ(report["ReportFormat"], "text/csv");
  EXPECT_EQ(report["GeneratedTime"], "2026-11-30T00:00:00+00:00");

  const auto rows = report_rows(dir.path());
  ASSERT_EQ(rows.size(), static_cast<size_t>(options.users) + 2);  // header, root, users
  std::string header;
  for (const auto& column : rows[0]) header += (header.empty() ? "" : ",") + column;
  EXPECT_EQ(header, kHeader);
  EXPECT_EQ(rows[1][0], "<root_account>");
  EXPECT_EQ(rows[1][3], "not_supported");
  EXPECT_EQ(rows[1][8], "true") << "the planted root access key";
  for (const auto& row : rows) EXPECT_EQ(row.size(), 22u) << row[0];
}

TEST(AwsAccountGenerator, CloudTrailFilesAreGzippedRecords) {
  TempDir dir;
  auto generated = generate_aws_account(dir.str(), small_options());
  ASSERT_TRUE(generated.ok());
  const std::regex name(R"(cloudtrail/AWSLogs/(\d{12})/CloudTrail/([a-z0-9-]+)/\d{4}/\d{2}/\d{2}/\1_CloudTrail_\2_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz)");
  long long records = 0;
  for (const auto& file : generated->files) {
    if (file.rfind("cloudtrail/", 0) != 0) continue;
    EXPECT_TRUE(std::regex_match(file, name)) << file;
    const std::string json = gunzip(read_file(dir.path() / file));
    ASSERT_FALSE(json.empty()) << file << " does not decompress";
    const auto document = nlohmann::json::parse(json, nullptr, false);
    ASSERT_FALSE(document.is_discarded()) << file << " is not JSON";
    ASSERT_TRUE(document["Records"].is_array()) << file;
    for (const auto& record : document["Records"]) {
      for (const char* field : {"eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
                                "sourceIPAddress", "userAgent", "eventID", "eventType", "recipientAccountId"}) {
        EXPECT_TRUE(record.contains(field)) << file << " lacks " << field;
      }
      ++records;
    }
  }
  EXPECT_EQ(records, generated->events);
  EXPECT_GT(records, 1000);
}

TEST(AwsAccountGenerator, ReportAgreesWithKeysAndLogs) {
  TempDir dir;
  ASSERT_TRUE(generate_aws_account(dir.str(), small_options()).ok());
  std::map<std::string, std::string> created;  // key id -> CreateDate
  std::map<std::string, std::vector<std::string>> keys_of;  // user -> key ids, oldest first
  std::istringstream lines(read_file(dir.path() / "access-keys.json"));
  for (std::string line; std::getline(lines, line);) {
    // Bound to a name: a range-for over a member of a temporary would read freed memory.
    const nlohmann::json listing = nlohmann::json::parse(line);
    for (const auto& key : listing["AccessKeyMetadata"]) {
      created[key["AccessKeyId"]] = key["CreateDate"];
      keys_of[key["UserName"]].push_back(key["AccessKeyId"]);
    }
  }
  std::map<std::string, std::string> last_used;  // key id -> latest eventTime
  for (const auto& record : all_records(dir.path())) {
    const std::string key = record["userIdentity"].value("accessKeyId", "");
    if (key.rfind("AKIA", 0) != 0) continue;
    EXPECT_TRUE(created.count(key)) << key << " is in CloudTrail but not in access-keys.json";
    last_used[key] = std::max(last_used[key], record["eventTime"].get<std::string>());
  }
  for (const auto& row : report_rows(dir.path())) {
    if (!keys_of.count(row[0])) continue;
    const auto& keys = keys_of[row[0]];
    for (size_t i = 0; i < keys.size(); ++i) {
      const size_t rotated_column = i == 0 ? 9 : 14;
      EXPECT_EQ(row[rotated_column], created[keys[i]]) << row[0];
      if (!last_used.count(keys[i])) continue;
      std::string report_time = row[rotated_column + 1];
      if (report_time.size() > 6) report_time = report_time.substr(0, report_time.size() - 6) + "Z";
      EXPECT_EQ(report_time, last_used[keys[i]]) << row[0] << " key " << i + 1;
    }
  }
}

TEST(AwsAccountGenerator, ListsEveryPlantedDetection) {
  TempDir dir;
  auto generated = generate_aws_account(dir.str(), small_options());
  ASSERT_TRUE(generated.ok());
  std::set<std::string> expected;
  for (const auto& attack : generated->attacks) expected.insert(attack.expected_detector_or_check);
  for (const char* id : {"aws.iam.credential_created_for_other_principal", "aws.iam.write_by_machine",
                         "aws.secrets.read_burst", "aws.discovery.enumeration_burst", "aws.api.access_denied_burst",
                         "aws.cloudtrail.logging_tampered", "client.offensive_user_agent", "network.new_country",
                         "aws.sts.key_validated_from_new_network", "credential.dormant_reuse", "aws.access_key.unused",
                         "aws.access_key.not_rotated", "aws.access_key.never_used", "aws.access_key.multiple_active",
                         "aws.root.access_key", "aws.iam.admin_or_wildcard", "aws.iam.privilege_escalation",
                         "aws.identity.machine_with_console_password", "aws.access_key.created_with_user",
                         "aws.access_key.shared"}) {
    EXPECT_TRUE(expected.count(id)) << id;
  }
}

TEST(AwsAccountGenerator, RejectsOutOfRangeOptions) {
  TempDir dir;
  GeneratorOptions options = small_options();
  options.users = 5;
  auto generated = generate_aws_account(dir.str(), options);
  ASSERT_FALSE(generated.ok());
  EXPECT_EQ(generated.error().code, core::ErrorCode::invalid_argument);
  EXPECT_NE(generated.error().message.find("--users"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path())) << "nothing is written for rejected options";
}

}  // namespace
}  // namespace keyward::generator
