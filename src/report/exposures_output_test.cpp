#include "report/exposures_output.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "report/table.hpp"
#include "secrets/secret_text.hpp"

namespace keyward::report {
namespace {

using nlohmann::json;

// Fake secrets: if any of these bytes beyond the redacted prefix and suffix reach an output, a
// raw secret leaked.
constexpr std::string_view kCanaryToken = "ghp_kwCanaryQ7r2T9x4LmZ8pV3nB6cD1fH5jK0s";
constexpr std::string_view kCanaryPassword = "kw-canary-password-W3x9Rt7Yu2Io5Pa8";
constexpr std::string_view kCanaryKey = "sk_live_kwCanary51Hq8Zr4Lt6Nv9Bx2Mc7";
constexpr std::string_view kCommit = "0123456789abcdef0123456789abcdef01234567";

// The part of a secret that its redacted form drops.
std::string hidden_part(std::string_view secret) { return std::string(secret.substr(4, secret.size() - 8)); }

core::Exposure make_exposure(std::string_view secret, std::string rule_id, std::string service, std::string category,
                             std::size_t prefix) {
  core::Exposure exposure;
  exposure.fingerprint = secrets::fingerprint("test-fingerprint-key", secret);
  exposure.rule_id = std::move(rule_id);
  exposure.rule_name = exposure.rule_id + " name";
  exposure.service = std::move(service);
  exposure.category = std::move(category);
  exposure.redacted = secrets::redact(secret, prefix);
  return exposure;
}

secrets::ScanResult sample_result() {
  secrets::ScanResult result;
  core::Exposure password = make_exposure(kCanaryPassword, "generic.password", "Generic", "generic", 0);
  password.locations.push_back({"config/settings.py", 12, 15, "", "", std::nullopt, ""});
  result.exposures.push_back(password);

  core::Exposure token = make_exposure(kCanaryToken, "github.pat.classic", "GitHub", "source_control", 4);
  token.checksum_valid = true;
  token.locations.push_back({"src/deploy.sh", 3, 9, "", "", std::nullopt, ""});
  token.locations.push_back({"old/ci.yml", 40, 1, std::string(kCommit), "dev@example.com", 1790000000, "base64"});
  token.first_seen = 1790000000;
  token.last_seen = 1793000000;
  result.exposures.push_back(token);

  core::Exposure key = make_exposure(kCanaryKey, "stripe.secret_key", "Stripe", "payments", 8);
  key.platform = "stripe";
  key.credential_kind = "stripe_secret_key";
  key.matched_credential_id = "stripe-key-1";
  key.matched_identity_id = "acct_kwExample";
  key.verification = "active";
  key.identifier = "rk_kwExampleKeyId";
  key.join_key = secrets::fingerprint("test-fingerprint-key", "last-eight");
  key.paired_fingerprint = secrets::fingerprint("test-fingerprint-key", "paired-half");
  key.locations.push_back({"services/pay/.env", 2, 20, "", "", std::nullopt, ""});
  result.exposures.push_back(key);

  result.not_scanned.push_back({"dist/bundle.zip", "corrupt zip archive: bad central directory; re-create it"});
  result.blobs = 42;
  result.bytes = 123456;
  result.binary_blobs = 3;
  result.suppressed = 5;
  result.baseline_matches = 2;
  return result;
}

std::vector<secrets::SecretRule> sample_rules() {
  secrets::SecretRule rule;
  rule.id = "github.pat.classic";
  rule.name = "GitHub personal access token (classic)";
  rule.service = "GitHub";
  rule.reference = "https://docs.github.com/en/authentication";
  return {rule};
}

ScanReportOptions sample_options(const std::vector<secrets::SecretRule>& rules) {
  ScanReportOptions options;
  options.rules = &rules;
  options.generated = 1793000000;
  options.table_width = 120;
  return options;
}

std::vector<json> ocsf_lines(const std::string& text) {
  std::vector<json> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(json::parse(line));
  return lines;
}

TEST(ExposuresOutput, CanaryAbsentFromEveryFormat) {
  const auto rules = sample_rules();
  const secrets::ScanResult result = sample_result();
  for (ScanFormat format : {ScanFormat::table, ScanFormat::json, ScanFormat::sarif, ScanFormat::ocsf}) {
    const std::string out = render_exposures(result, format, sample_options(rules));
    ASSERT_FALSE(out.empty()) << to_string(format);
    for (std::string_view canary : {kCanaryToken, kCanaryPassword, kCanaryKey}) {
      EXPECT_EQ(out.find(canary), std::string::npos) << to_string(format);
      EXPECT_EQ(out.find(hidden_part(canary)), std::string::npos) << to_string(format);
    }
    // The redacted form is what people act on, so every format shows it.
    EXPECT_NE(out.find(secrets::redact(kCanaryToken, 4)), std::string::npos) << to_string(format);
  }
}

TEST(ExposuresOutput, NotScannedInEveryFormat) {
  const auto rules = sample_rules();
  const secrets::ScanResult result = sample_result();
  for (ScanFormat format : {ScanFormat::table, ScanFormat::json, ScanFormat::sarif, ScanFormat::ocsf}) {
    const std::string out = render_exposures(result, format, sample_options(rules));
    EXPECT_NE(out.find("dist/bundle.zip"), std::string::npos) << to_string(format);
    EXPECT_NE(out.find("corrupt zip archive: bad central directory; re-create it"), std::string::npos) << to_string(format);
  }
}

TEST(ExposuresOutput, NotScannedInEveryFormatWithoutExposures) {
  secrets::ScanResult result;
  result.not_scanned.push_back({"huge.bin", "file larger than 512 MiB; raise --max-file-size"});
  const auto rules = sample_rules();
  for (ScanFormat format : {ScanFormat::table, ScanFormat::json, ScanFormat::sarif, ScanFormat::ocsf}) {
    const std::string out = render_exposures(result, format, sample_options(rules));
    EXPECT_NE(out.find("huge.bin"), std::string::npos) << to_string(format);
  }
}

// The CSV and HTML views, which `-o csv=FILE` and `-o html=FILE` write, keep the same rules.
TEST(ExposuresCsvAndHtml, CanaryAbsentNotScannedListed) {
  const secrets::ScanResult result = sample_result();
  for (const std::string& out : {exposures_csv(result), exposures_html(result, 1793000000)}) {
    for (std::string_view canary : {kCanaryToken, kCanaryPassword, kCanaryKey}) {
      EXPECT_EQ(out.find(hidden_part(canary)), std::string::npos) << out;
    }
    EXPECT_NE(out.find(secrets::redact(kCanaryToken, 4)), std::string::npos) << out;
    EXPECT_NE(out.find("dist/bundle.zip"), std::string::npos) << out;
  }
}

TEST(ExposuresCsv, RowPerLocationAndNotScanned) {
  const std::string csv = exposures_csv(sample_result());
  std::istringstream in(csv);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 6u) << csv;  // header, 4 locations, 1 input not scanned
  EXPECT_TRUE(lines[0].starts_with("kind,fingerprint,rule_id")) << lines[0];
  EXPECT_TRUE(lines[1].starts_with("exposure,")) << lines[1];
  EXPECT_NE(lines[1].find("stripe.secret_key"), std::string::npos) << lines[1];  // highest priority first
  EXPECT_TRUE(lines[5].starts_with("not_scanned,")) << lines[5];
}

TEST(ExposuresHtml, EscapesInputStrings) {
  secrets::ScanResult result = sample_result();
  result.exposures[0].locations[0].path = "<script>alert(1)</script>.py";
  result.not_scanned[0].reason = "bad <b>archive</b>";
  const std::string html = exposures_html(result, 1793000000);
  EXPECT_EQ(html.find("<script>"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos) << html;
  EXPECT_NE(html.find("bad &lt;b&gt;archive&lt;/b&gt;"), std::string::npos) << html;
}

TEST(ExposuresJson, RoundTripsThroughParser) {
  const secrets::ScanResult result = sample_result();
  const std::string text = render_exposures(result, ScanFormat::json, {});
  const json document = json::parse(text);
  ASSERT_TRUE(document.contains("exposures"));
  ASSERT_TRUE(document.contains("not_scanned"));
  ASSERT_TRUE(document.contains("summary"));

  const secrets::ScanResult back = scan_result_from_json(document);
  ASSERT_EQ(back.exposures.size(), result.exposures.size());
  for (std::size_t i = 0; i < result.exposures.size(); ++i) {
    const core::Exposure& a = result.exposures[i];
    const core::Exposure& b = back.exposures[i];
    EXPECT_EQ(b.fingerprint, a.fingerprint);
    EXPECT_EQ(b.rule_id, a.rule_id);
    EXPECT_EQ(b.rule_name, a.rule_name);
    EXPECT_EQ(b.service, a.service);
    EXPECT_EQ(b.category, a.category);
    EXPECT_EQ(b.redacted, a.redacted);
    EXPECT_EQ(b.checksum_valid, a.checksum_valid);
    EXPECT_EQ(b.platform, a.platform);
    EXPECT_EQ(b.credential_kind, a.credential_kind);
    EXPECT_EQ(b.verification, a.verification);
    EXPECT_EQ(b.identifier, a.identifier);
    EXPECT_EQ(b.join_key, a.join_key);
    EXPECT_EQ(b.paired_fingerprint, a.paired_fingerprint);
    EXPECT_EQ(b.matched_credential_id, a.matched_credential_id);
    EXPECT_EQ(b.matched_identity_id, a.matched_identity_id);
    EXPECT_EQ(b.first_seen, a.first_seen);
    EXPECT_EQ(b.last_seen, a.last_seen);
    ASSERT_EQ(b.locations.size(), a.locations.size());
    for (std::size_t j = 0; j < a.locations.size(); ++j) {
      EXPECT_EQ(b.locations[j].path, a.locations[j].path);
      EXPECT_EQ(b.locations[j].line, a.locations[j].line);
      EXPECT_EQ(b.locations[j].column, a.locations[j].column);
      EXPECT_EQ(b.locations[j].commit, a.locations[j].commit);
      EXPECT_EQ(b.locations[j].author, a.locations[j].author);
      EXPECT_EQ(b.locations[j].commit_time, a.locations[j].commit_time);
      EXPECT_EQ(b.locations[j].encoding, a.locations[j].encoding);
    }
  }
  ASSERT_EQ(back.not_scanned.size(), 1u);
  EXPECT_EQ(back.not_scanned[0].path, "dist/bundle.zip");
  EXPECT_EQ(back.blobs, 42u);
  EXPECT_EQ(back.bytes, 123456u);
  EXPECT_EQ(back.binary_blobs, 3u);
  EXPECT_EQ(back.suppressed, 5u);
  EXPECT_EQ(back.baseline_matches, 2u);
  // Rendering what was read back gives the same document.
  EXPECT_EQ(exposures_json(back), document);
}

TEST(ExposuresJson, SummaryCounts) {
  const json summary = exposures_json(sample_result())["summary"];
  EXPECT_EQ(summary["exposures"], 3);
  EXPECT_EQ(summary["locations"], 4);
  EXPECT_EQ(summary["not_scanned"], 1);
  EXPECT_EQ(summary["suppressed"], 5);
}

TEST(ExposuresJson, MistypedMembersReadAsDefaults) {
  const json document = json::parse(R"({"exposures": [{"rule_id": 7, "locations": "x", "checksum_valid": "yes"}, 3],
                                        "summary": {"blobs": -1}})");
  const secrets::ScanResult result = scan_result_from_json(document);
  ASSERT_EQ(result.exposures.size(), 1u);
  EXPECT_EQ(result.exposures[0].rule_id, "");
  EXPECT_TRUE(result.exposures[0].locations.empty());
  EXPECT_FALSE(result.exposures[0].checksum_valid);
  EXPECT_EQ(result.blobs, 0u);
}

TEST(ExposuresSarif, RequiredTopLevelFields) {
  const auto rules = sample_rules();
  const json log = json::parse(render_exposures(sample_result(), ScanFormat::sarif, sample_options(rules)));
  EXPECT_TRUE(log["$schema"].is_string());
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1u);
  EXPECT_EQ(log["runs"][0]["tool"]["driver"]["name"], "keyward");
}

TEST(ExposuresSarif, OneResultPerLocation) {
  const auto rules = sample_rules();
  const json run = exposures_sarif(sample_result(), sample_options(rules))["runs"][0];
  const json& driver_rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(run["results"].size(), 4u);
  for (const auto& result : run["results"]) {
    ASSERT_TRUE(result["ruleId"].is_string()) << result.dump();
    EXPECT_EQ(driver_rules[result["ruleIndex"].get<std::size_t>()]["id"], result["ruleId"]);
    EXPECT_TRUE(std::set<std::string>({"error", "warning", "note"}).count(result["level"].get<std::string>()));
    EXPECT_TRUE(result["message"]["text"].is_string());
    ASSERT_EQ(result["locations"].size(), 1u);
    const json& physical = result["locations"][0]["physicalLocation"];
    EXPECT_FALSE(physical["artifactLocation"]["uri"].get<std::string>().empty());
    EXPECT_GE(physical["region"]["startLine"].get<long long>(), 1);
    EXPECT_GE(physical["region"]["startColumn"].get<long long>(), 1);
    EXPECT_TRUE(result["partialFingerprints"]["keywardSecretFingerprint/v1"].is_string());
  }
}

TEST(ExposuresSarif, LocationRegionAndFingerprint) {
  const auto rules = sample_rules();
  const secrets::ScanResult input = sample_result();
  const json results = exposures_sarif(input, sample_options(rules))["runs"][0]["results"];
  // Results follow the exposures in order: the password, then the token's two locations.
  const json& history = results[2];
  EXPECT_EQ(history["ruleId"], "github.pat.classic");
  EXPECT_EQ(history["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "old/ci.yml");
  EXPECT_EQ(history["locations"][0]["physicalLocation"]["region"]["startLine"], 40);
  EXPECT_EQ(history["properties"]["commit"], kCommit);
  EXPECT_EQ(history["partialFingerprints"]["keywardSecretFingerprint/v1"], input.exposures[1].fingerprint);
  // Two locations of one secret keep the same secret fingerprint but differ by location key.
  EXPECT_NE(results[1]["partialFingerprints"]["keywardSecretLocation/v1"],
            results[2]["partialFingerprints"]["keywardSecretLocation/v1"]);
}

TEST(ExposuresSarif, RulesCarryNameAndHelpUri) {
  const auto rules = sample_rules();
  const json driver_rules = exposures_sarif(sample_result(), sample_options(rules))["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(driver_rules.size(), 3u);
  const json* github = nullptr;
  for (const auto& rule : driver_rules) {
    EXPECT_TRUE(rule["name"].is_string()) << rule.dump();
    EXPECT_TRUE(rule["shortDescription"]["text"].is_string()) << rule.dump();
    EXPECT_TRUE(rule["properties"]["security-severity"].is_string()) << rule.dump();
    if (rule["id"] == "github.pat.classic") github = &rule;
  }
  ASSERT_NE(github, nullptr);
  EXPECT_EQ((*github)["shortDescription"]["text"], "GitHub personal access token (classic)");
  EXPECT_EQ((*github)["helpUri"], "https://docs.github.com/en/authentication");
  // A rule not in the catalog is described from the exposure, without a help link.
  for (const auto& rule : driver_rules) {
    if (rule["id"] == "stripe.secret_key") {
      EXPECT_EQ(rule["shortDescription"]["text"], "stripe.secret_key name");
      EXPECT_FALSE(rule.contains("helpUri"));
    }
  }
}

TEST(ExposuresSarif, NotScannedAsToolNotifications) {
  const auto rules = sample_rules();
  const json run = exposures_sarif(sample_result(), sample_options(rules))["runs"][0];
  ASSERT_EQ(run["invocations"].size(), 1u);
  const json& invocation = run["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], true);
  ASSERT_EQ(invocation["toolExecutionNotifications"].size(), 1u);
  const json& notification = invocation["toolExecutionNotifications"][0];
  EXPECT_EQ(notification["level"], "warning");
  EXPECT_EQ(notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "dist/bundle.zip");
  EXPECT_NE(notification["message"]["text"].get<std::string>().find("re-create it"), std::string::npos);
}

TEST(ExposuresSarif, UriEncodingOfPaths) {
  secrets::ScanResult result = sample_result();
  result.exposures.resize(1);
  result.exposures[0].locations = {{"./src/app config.env", 1, 1, "", "", std::nullopt, ""},
                                   {"dist/outer.zip!inner/key.pem", 2, 1, "", "", std::nullopt, ""},
                                   {"/srv/app/.env", 3, 1, "", "", std::nullopt, ""}};
  const json results = exposures_sarif(result, {})["runs"][0]["results"];
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/app%20config.env");
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "dist/outer.zip%21inner/key.pem");
  EXPECT_EQ(results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "file:///srv/app/.env");
}

TEST(ExposuresSarif, SeverityFromPriority) {
  const json results = exposures_sarif(sample_result(), {})["runs"][0]["results"];
  EXPECT_EQ(results[0]["level"], "warning");  // generic password
  EXPECT_EQ(results[1]["level"], "error");    // checksum-valid GitHub token
  EXPECT_EQ(results[3]["level"], "error");    // verified active Stripe key
  EXPECT_EQ(results[3]["properties"]["severity"], "critical");
}

TEST(ExposuresOcsf, DetectionFindingPerExposureThenScanActivity) {
  const auto rules = sample_rules();
  const std::vector<json> lines = ocsf_lines(render_exposures(sample_result(), ScanFormat::ocsf, sample_options(rules)));
  ASSERT_EQ(lines.size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(lines[i]["class_uid"], 2004);
    EXPECT_EQ(lines[i]["category_uid"], 2);
    EXPECT_EQ(lines[i]["type_uid"], 200401);
    EXPECT_EQ(lines[i]["time"], 1793000000LL * 1000);
    EXPECT_EQ(lines[i]["metadata"]["product"]["name"], "keyward");
    EXPECT_TRUE(lines[i]["finding_info"]["uid"].get<std::string>().starts_with("hmac-sha256:"));
    EXPECT_FALSE(lines[i]["evidences"].empty());
  }
  const json& scan = lines[3];
  EXPECT_EQ(scan["class_uid"], 6007);
  EXPECT_EQ(scan["type_uid"], 600702);
  EXPECT_EQ(scan["num_files"], 42);
  EXPECT_EQ(scan["num_detections"], 3);
  EXPECT_EQ(scan["num_skipped_items"], 1);
  EXPECT_EQ(scan["unmapped"]["not_scanned"][0]["path"], "dist/bundle.zip");
}

TEST(ExposuresOcsf, SeverityConfidenceAndIdentity) {
  const secrets::ScanResult result = sample_result();
  const json password = ocsf_exposure_finding(result.exposures[0], {});
  EXPECT_EQ(password["severity_id"], 3);
  EXPECT_EQ(password["confidence_id"], 1);
  EXPECT_FALSE(password.contains("resources"));
  const json token = ocsf_exposure_finding(result.exposures[1], {});
  EXPECT_EQ(token["severity_id"], 4);
  EXPECT_EQ(token["confidence_id"], 3);
  EXPECT_EQ(token["evidences"][1]["file"]["name"], "ci.yml");
  EXPECT_EQ(token["evidences"][1]["data"]["commit"], kCommit);
  const json key = ocsf_exposure_finding(result.exposures[2], {});
  EXPECT_EQ(key["severity_id"], 5);
  EXPECT_EQ(key["resources"][0]["uid"], "acct_kwExample");
}

TEST(ExposuresTable, OrdersByPriority) {
  const std::string table = exposures_table(sample_result(), 160);
  const std::size_t stripe = table.find("stripe.secret_key");
  const std::size_t github = table.find("github.pat.classic");
  const std::size_t generic = table.find("generic.password");
  ASSERT_NE(stripe, std::string::npos) << table;
  ASSERT_NE(github, std::string::npos) << table;
  ASSERT_NE(generic, std::string::npos) << table;
  EXPECT_LT(stripe, github) << table;
  EXPECT_LT(github, generic) << table;
}

TEST(ExposuresTable, RowShowsLocationCountAndIdentity) {
  const std::string table = exposures_table(sample_result(), 160);
  EXPECT_NE(table.find("IDENTITY"), std::string::npos) << table;
  EXPECT_NE(table.find("acct_kwExample"), std::string::npos) << table;
  EXPECT_NE(table.find("src/deploy.sh:3"), std::string::npos) << table;
  EXPECT_NE(table.find("services/pay/.env:2"), std::string::npos) << table;
  EXPECT_EQ(location_text({"old/ci.yml", 40, 1, std::string(kCommit), "", std::nullopt, ""}), "old/ci.yml:40@0123456");
}

TEST(ExposuresTable, SummaryLine) {
  const std::string table = exposures_table(sample_result(), 80);
  EXPECT_NE(table.find("Scanned 42 blobs (123456 bytes, 3 binary): 3 exposures, 5 suppressed (2 by the baseline), "
                       "1 input not scanned."),
            std::string::npos)
      << table;
}

TEST(ExposuresTable, FitsWidth) {
  const std::string table = exposures_table(sample_result(), 80);
  std::istringstream in(table);
  std::string line;
  bool in_rows = true;
  while (std::getline(in, line)) {
    if (line.empty()) in_rows = false;  // the not-scanned list and summary are not cut
    if (in_rows) {
      EXPECT_LE(display_width(line), 80u) << line;
    }
  }
}

TEST(ExposuresTable, EmptyScanWithoutIdentityColumn) {
  secrets::ScanResult result;
  result.blobs = 1;
  result.bytes = 10;
  const std::string table = exposures_table(result, 80);
  EXPECT_NE(table.find("No secrets found."), std::string::npos) << table;
  EXPECT_NE(table.find("Scanned 1 blob (10 bytes): 0 exposures, 0 suppressed, 0 inputs not scanned."), std::string::npos)
      << table;

  secrets::ScanResult unmatched = sample_result();
  unmatched.exposures.resize(2);
  EXPECT_EQ(exposures_table(unmatched, 120).find("IDENTITY"), std::string::npos);
}

TEST(ExposuresTable, ControlCharactersInPathsBecomeSpaces) {
  secrets::ScanResult result;
  result.not_scanned.push_back({"evil\x1b[31mname", "unreadable\nfile"});
  const std::string table = exposures_table(result, 80);
  EXPECT_EQ(table.find('\x1b'), std::string::npos) << table;
  EXPECT_NE(table.find("evil [31mname: unreadable file"), std::string::npos) << table;
}

TEST(ExposuresOutput, InvalidUtf8PathDoesNotThrow) {
  secrets::ScanResult result = sample_result();
  result.exposures[0].locations[0].path = "bad\xff\xfename.txt";
  result.not_scanned[0].path = "also\xc3(bad";
  for (ScanFormat format : {ScanFormat::json, ScanFormat::sarif, ScanFormat::ocsf}) {
    std::string out;
    EXPECT_NO_THROW(out = render_exposures(result, format, {})) << to_string(format);
    EXPECT_NE(out.find("\xef\xbf\xbd"), std::string::npos) << to_string(format);  // U+FFFD
  }
}

TEST(ExposurePriority, MatchedFirstInactiveLast) {
  core::Exposure plain = make_exposure(kCanaryKey, "stripe.secret_key", "Stripe", "payments", 8);
  core::Exposure matched = plain;
  matched.matched_credential_id = "stripe-key-1";
  core::Exposure matched_inactive = matched;
  matched_inactive.verification = "inactive";
  core::Exposure verified = plain;
  verified.verification = "active";
  core::Exposure checksum = plain;
  checksum.checksum_valid = true;
  core::Exposure generic = plain;
  generic.category = "generic";

  EXPECT_EQ(exposure_priority(matched), 0);
  EXPECT_EQ(exposure_priority(verified), 0);
  EXPECT_EQ(exposure_priority(checksum), 1);
  EXPECT_EQ(exposure_priority(plain), 2);
  EXPECT_EQ(exposure_priority(matched_inactive), 3);
  EXPECT_EQ(exposure_severity(matched), core::Severity::critical);
  EXPECT_EQ(exposure_severity(checksum), core::Severity::high);
  EXPECT_EQ(exposure_severity(plain), core::Severity::high);
  EXPECT_EQ(exposure_severity(generic), core::Severity::medium);
  EXPECT_EQ(exposure_severity(matched_inactive), core::Severity::low);

  const std::vector<core::Exposure> exposures = {plain, matched_inactive, checksum, matched};
  const std::vector<const core::Exposure*> ordered = exposures_by_priority(exposures);
  ASSERT_EQ(ordered.size(), 4u);
  EXPECT_EQ(ordered[0], &exposures[3]);
  EXPECT_EQ(ordered[1], &exposures[2]);
  EXPECT_EQ(ordered[2], &exposures[0]);
  EXPECT_EQ(ordered[3], &exposures[1]);
}

TEST(ScanFormat, ParsesNamesInAnyCase) {
  EXPECT_EQ(parse_scan_format("SARIF"), ScanFormat::sarif);
  EXPECT_EQ(parse_scan_format("ocsf"), ScanFormat::ocsf);
  EXPECT_EQ(parse_scan_format("Table"), ScanFormat::table);
  EXPECT_EQ(parse_scan_format("json"), ScanFormat::json);
  EXPECT_FALSE(parse_scan_format("csv").has_value());
  EXPECT_EQ(to_string(ScanFormat::sarif), "sarif");
}

}  // namespace
}  // namespace keyward::report
