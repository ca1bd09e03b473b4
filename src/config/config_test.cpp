#include "config/config.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "posture/mutes.hpp"

namespace keyward::config {
namespace {

constexpr std::string_view kFullConfig = R"(# thresholds for a production organization
posture:
  thresholds:
    unused_days: 60
    rotation_days: 180
  platforms:
    github:
      unused_days: 30
    aws:
      grace_days: 3
  tags:
    - tag: environment=production
      rotation_days: 30
    - tag: temporary
      unused_days: 7
  mute_file: mutes/accepted.yaml
)";

core::Identity identity(const std::string& platform, nlohmann::json tags = nullptr) {
  core::Identity result;
  result.platform = platform;
  result.id = platform + "-identity";
  if (!tags.is_null()) result.attributes = {{"tags", tags}};
  return result;
}

Config parse(std::string_view yaml, const std::string& path = "/etc/keyward/keyward.yaml") {
  auto config = parse_config(yaml, path);
  EXPECT_TRUE(config.ok()) << config.error().describe();
  return config.ok() ? *config : Config{};
}

core::Error parse_error(std::string_view yaml) {
  auto config = parse_config(yaml, "keyward.yaml");
  EXPECT_FALSE(config.ok());
  return config.ok() ? core::Error{} : config.error();
}

TEST(ConfigPrecedence, DefaultsWithoutConfigOrFlags) {
  const posture::PostureOptions options = make_posture_options(Config{}, {});
  const posture::Thresholds built_in;
  const posture::Thresholds thresholds = options.for_identity(identity("aws"));
  EXPECT_EQ(thresholds.unused_days, built_in.unused_days);
  EXPECT_EQ(thresholds.rotation_days, built_in.rotation_days);
  EXPECT_EQ(thresholds.grace_days, built_in.grace_days);
}

TEST(ConfigPrecedence, ConfigOverridesDefaults) {
  const posture::PostureOptions options = make_posture_options(parse(kFullConfig), {});
  const posture::Thresholds slack = options.for_identity(identity("slack"));
  EXPECT_EQ(slack.unused_days, 60);
  EXPECT_EQ(slack.rotation_days, 180);
  EXPECT_EQ(slack.grace_days, posture::Thresholds{}.grace_days);
}

TEST(ConfigPrecedence, PlatformAndTagSections) {
  const posture::PostureOptions options = make_posture_options(parse(kFullConfig), {});
  EXPECT_EQ(options.for_identity(identity("github")).unused_days, 30);
  EXPECT_EQ(options.for_identity(identity("github")).rotation_days, 180);
  EXPECT_EQ(options.for_identity(identity("aws")).grace_days, 3);
  EXPECT_EQ(options.for_identity(identity("aws")).unused_days, 60);

  const auto production = identity("aws", {{"environment", "production"}});
  EXPECT_EQ(options.for_identity(production).rotation_days, 30);
  const auto staging = identity("aws", {{"environment", "staging"}});
  EXPECT_EQ(options.for_identity(staging).rotation_days, 180);
  // A key-only tag rule matches any value, and applies after the platform's section.
  const auto temporary = identity("github", {{"temporary", "until-june"}});
  EXPECT_EQ(options.for_identity(temporary).unused_days, 7);
}

TEST(ConfigPrecedence, FlagOverridesEveryLevel) {
  posture::ThresholdOverride flags;
  flags.unused_days = 45;
  flags.rotation_days = 365;
  const posture::PostureOptions options = make_posture_options(parse(kFullConfig), flags);
  EXPECT_EQ(options.for_identity(identity("slack")).unused_days, 45);
  EXPECT_EQ(options.for_identity(identity("github")).unused_days, 45);
  EXPECT_EQ(options.for_identity(identity("aws", {{"temporary", ""}})).unused_days, 45);
  EXPECT_EQ(options.for_identity(identity("aws", {{"environment", "production"}})).rotation_days, 365);
  // Thresholds without a flag keep the configured values.
  EXPECT_EQ(options.for_identity(identity("aws")).grace_days, 3);
}

TEST(ConfigFile, MuteFileIsRelativeToConfig) {
  EXPECT_EQ(parse(kFullConfig).mute_file, "/etc/keyward/mutes/accepted.yaml");
  EXPECT_EQ(parse("posture:\n  mute_file: /srv/mutes.yaml\n").mute_file, "/srv/mutes.yaml");
  EXPECT_EQ(parse("posture:\n  mute_file: mutes.yaml\n", "keyward.yaml").mute_file, "mutes.yaml");
}

TEST(ConfigFile, UnknownSectionWarns) {
  const Config config = parse("report:\n  format: json\nposture:\n  thresholds:\n    unused_days: 30\n", "keyward.yaml");
  EXPECT_EQ(config.thresholds.unused_days, 30);
  ASSERT_EQ(config.warnings.size(), 1u);
  EXPECT_NE(config.warnings[0].find("keyward.yaml:1:"), std::string::npos) << config.warnings[0];
  EXPECT_NE(config.warnings[0].find("'report'"), std::string::npos) << config.warnings[0];
}

TEST(ConfigFile, ErrorsNameLineAndKey) {
  const core::Error not_a_number = parse_error("posture:\n  thresholds:\n    unused_days: ninety\n");
  EXPECT_EQ(not_a_number.file, "keyward.yaml");
  EXPECT_EQ(not_a_number.line, 3);
  EXPECT_NE(not_a_number.message.find("posture.thresholds.unused_days"), std::string::npos) << not_a_number.message;
  EXPECT_NE(not_a_number.message.find("ninety"), std::string::npos) << not_a_number.message;

  const core::Error out_of_range = parse_error("posture:\n  platforms:\n    github:\n      grace_days: 400\n");
  EXPECT_EQ(out_of_range.line, 4);
  EXPECT_NE(out_of_range.message.find("posture.platforms.github.grace_days"), std::string::npos) << out_of_range.message;

  const core::Error unknown_threshold = parse_error("posture:\n  thresholds:\n    unused_day: 30\n");
  EXPECT_EQ(unknown_threshold.line, 3);
  EXPECT_NE(unknown_threshold.message.find("unknown key 'posture.thresholds.unused_day'"), std::string::npos)
      << unknown_threshold.message;

  const core::Error unknown_platform = parse_error("posture:\n  platforms:\n    gihub:\n      unused_days: 30\n");
  EXPECT_EQ(unknown_platform.line, 3);
  EXPECT_NE(unknown_platform.message.find("unknown platform 'gihub'"), std::string::npos) << unknown_platform.message;

  const core::Error missing_tag = parse_error("posture:\n  tags:\n    - rotation_days: 30\n");
  EXPECT_EQ(missing_tag.line, 3);
  EXPECT_NE(missing_tag.message.find("posture.tags[1]"), std::string::npos) << missing_tag.message;

  const core::Error syntax = parse_error("posture:\n  thresholds: {unused_days: 30\n");
  EXPECT_GE(syntax.line, 2);
  EXPECT_NE(syntax.describe().find("keyward.yaml:"), std::string::npos) << syntax.describe();
}

TEST(ConfigSecrets, VerifySettingsReachVerifyOptions) {
  const Config config = parse(
      "secrets:\n"
      "  verify:\n"
      "    endpoints:\n"
      "      gitlab: https://gitlab.example.com/\n"
      "      github: http://127.0.0.1:8080\n"
      "    timeout_seconds: 3\n"
      "    max_requests: 20\n"
      "  max_file_size: 10\n");
  EXPECT_TRUE(config.warnings.empty());
  EXPECT_EQ(config.secrets_verify.endpoints.at("gitlab"), "https://gitlab.example.com/");
  // Keys outside verify stay in the section for the rest of the scanner.
  ASSERT_TRUE(config.sections.contains("secrets"));
  EXPECT_TRUE(config.sections.at("secrets")["max_file_size"].IsDefined());

  const secrets::VerifyOptions options = make_verify_options(config);
  EXPECT_EQ(options.timeout_ms, 3000);
  EXPECT_EQ(options.max_requests, 20);
  ASSERT_EQ(options.endpoints.size(), 2u);
  EXPECT_EQ(options.endpoints.at("github"), "http://127.0.0.1:8080");
}

TEST(ConfigSecrets, VerifyDefaultsWithoutSection) {
  const secrets::VerifyOptions options = make_verify_options(parse("posture:\n  thresholds:\n    unused_days: 30\n"));
  const secrets::VerifyOptions built_in;
  EXPECT_TRUE(options.endpoints.empty());
  EXPECT_EQ(options.timeout_ms, built_in.timeout_ms);
  EXPECT_EQ(options.max_requests, built_in.max_requests);
}

TEST(ConfigSecrets, VerifyErrorsNameLineAndFix) {
  const core::Error unknown_service = parse_error("secrets:\n  verify:\n    endpoints:\n      gihub: https://example.com\n");
  EXPECT_EQ(unknown_service.line, 4);
  EXPECT_NE(unknown_service.message.find("unknown verification service 'gihub'"), std::string::npos) << unknown_service.message;
  EXPECT_NE(unknown_service.message.find("github"), std::string::npos) << unknown_service.message;

  const core::Error plain_http = parse_error("secrets:\n  verify:\n    endpoints:\n      github: http://api.example.com\n");
  EXPECT_EQ(plain_http.line, 4);
  EXPECT_NE(plain_http.message.find("https://"), std::string::npos) << plain_http.message;

  const core::Error zero_timeout = parse_error("secrets:\n  verify:\n    timeout_seconds: 0\n");
  EXPECT_EQ(zero_timeout.line, 3);
  EXPECT_NE(zero_timeout.message.find("secrets.verify.timeout_seconds"), std::string::npos) << zero_timeout.message;

  const core::Error unknown_key = parse_error("secrets:\n  verify:\n    timeout: 5\n");
  EXPECT_EQ(unknown_key.line, 3);
  EXPECT_NE(unknown_key.message.find("unknown key 'secrets.verify.timeout'"), std::string::npos) << unknown_key.message;

  const core::Error not_a_map = parse_error("secrets:\n  verify: yes\n");
  EXPECT_EQ(not_a_map.line, 2);
  EXPECT_NE(not_a_map.message.find("'secrets.verify'"), std::string::npos) << not_a_map.message;
}

class ConfigLocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() / ("keyward-config-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory_);
    previous_directory_ = std::filesystem::current_path();
    std::filesystem::current_path(directory_);
    ::unsetenv("KEYWARD_CONFIG");
  }
  void TearDown() override {
    ::unsetenv("KEYWARD_CONFIG");
    std::filesystem::current_path(previous_directory_);
    std::filesystem::remove_all(directory_);
  }

  static void write(const std::string& path, std::string_view text) {
    std::ofstream out(path);
    out << text;
  }

  std::filesystem::path directory_;
  std::filesystem::path previous_directory_;
};

TEST_F(ConfigLocationTest, FlagThenEnvironmentThenWorkingDirectory) {
  EXPECT_FALSE(locate_config("").has_value());

  write("keyward.yaml", "posture:\n  thresholds:\n    unused_days: 10\n");
  auto local = locate_config("");
  ASSERT_TRUE(local.has_value());
  EXPECT_EQ(local->path, "keyward.yaml");

  ::setenv("KEYWARD_CONFIG", "from-env.yaml", 1);
  EXPECT_EQ(locate_config("")->path, "from-env.yaml");
  EXPECT_EQ(locate_config("from-flag.yaml")->path, "from-flag.yaml");
  EXPECT_EQ(locate_config("from-flag.yaml")->origin, "--config");
}

TEST_F(ConfigLocationTest, NamedFileMustExist) {
  ::setenv("KEYWARD_CONFIG", "missing.yaml", 1);
  auto config = load_cli_config("");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().file, "missing.yaml");
  EXPECT_NE(config.error().message.find("$KEYWARD_CONFIG"), std::string::npos) << config.error().message;

  ::unsetenv("KEYWARD_CONFIG");
  auto none = load_cli_config("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->path.empty());
}

TEST(ConfigExample, ExampleFileLoads) {
  const std::string path = std::string(KEYWARD_SOURCE_DIR) + "/config/keyward.example.yaml";
  auto config = load_config(path);
  ASSERT_TRUE(config.ok()) << config.error().describe();
  EXPECT_TRUE(config->warnings.empty());
  EXPECT_FALSE(config->platforms.empty());
  EXPECT_FALSE(config->tags.empty());
  EXPECT_EQ(config->secrets_verify.endpoints.count("gitlab"), 1u);
  ASSERT_FALSE(config->mute_file.empty());
  auto mutes = posture::load_mutes(config->mute_file);
  ASSERT_TRUE(mutes.ok()) << mutes.error().describe();
  EXPECT_FALSE(mutes->empty());
}

}  // namespace
}  // namespace keyward::config
