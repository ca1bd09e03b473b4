#include "secrets/suppress/suppressions.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "secrets/secret_text.hpp"

namespace keyward::secrets {
namespace {

namespace fs = std::filesystem;

// A fake secret: if these bytes show up in a file or message, a raw secret leaked.
constexpr std::string_view kCanary = "kwcanary_Q9f8e7d6c5b4a39281706f5e4d3c2b1a0";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "keyward-suppress-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  std::string write(const std::string& name, const std::string& content) const {
    const fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

IgnoreFile load_ignore(const TempDir& dir, const std::string& content) {
  auto loaded = IgnoreFile::load(dir.write(".keywardignore", content));
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().describe());
  return loaded.ok() ? std::move(loaded).value() : IgnoreFile::empty();
}

core::Exposure sample_exposure(std::string_view secret) {
  core::Exposure exposure;
  exposure.rule_id = "test.canary";
  exposure.redacted = redact(secret, 9);
  exposure.fingerprint = fingerprint("test-key", secret);
  exposure.locations.push_back({"config/app.env", 3, 14, "", "", std::nullopt, ""});
  return exposure;
}

TEST(IgnoreFile, NameWithoutSlashMatchesAtAnyDepth) {
  TempDir dir;
  const IgnoreFile file = load_ignore(dir, "*.log\n");
  EXPECT_TRUE(file.path_ignored("debug.log"));
  EXPECT_TRUE(file.path_ignored("var/run/app/debug.log"));
  EXPECT_FALSE(file.path_ignored("debug.log.txt"));
  EXPECT_FALSE(file.path_ignored("logs/readme"));
}

TEST(IgnoreFile, LeadingSlashAnchorsToRoot) {
  TempDir dir;
  const IgnoreFile file = load_ignore(dir, "/build\n");
  EXPECT_TRUE(file.path_ignored("build"));
  EXPECT_TRUE(file.path_ignored("build/out/main.o"));
  EXPECT_FALSE(file.path_ignored("src/build/main.o"));
}

TEST(IgnoreFile, MiddleSlashAnchorsToRoot) {
  TempDir dir;
  const IgnoreFile file = load_ignore(dir, "docs/*.md\n");
  EXPECT_TRUE(file.path_ignored("docs/setup.md"));
  EXPECT_FALSE(file.path_ignored("docs/guides/setup.md"));
  EXPECT_FALSE(file.path_ignored("site/docs/setup.md"));
}

TEST(IgnoreFile, StarDoesNotCrossSlash) {
  TempDir dir;
  const IgnoreFile file = load_ignore(dir, "src/*.env\n");
  EXPECT_TRUE(file.path_ignored("src/.env"));
  EXPECT_FALSE(file.path_ignored("src/app/.env"));
}

TEST(IgnoreFile, DoubleStarMatchesAnyDepth) {
  TempDir dir;
  const IgnoreFile file = load_ignore(dir, "**/testdata/*.json\nconfig/**/secrets.yaml\nvendor/**\n");
  EXPECT_TRUE(file.path_ignored("testdata/a.json"));
  EXPECT_TRUE(file.path_ignored("pkg/x/testdata/a.json"));
  EXPECT_TRUE(file.path_ignored("config/secrets.yaml"));
  EXPECT_TRUE(file.path_ignored("config/prod/eu/secrets.yaml"));
  EXPECT_FALSE(file.path_ignored("other/config/secrets.yaml"));
  EXPECT_TRUE(file.path_ignored("vendor/github.com/lib/key.go"));
  // "vendor/**" matches what is inside vendor, not a file named vendor.
  EXPECT_FALSE(file.path_ignored("vendor"));
}

TEST(IgnoreFile, QuestionMarkAndBrackets) {
  TempDir dir;
  const IgnoreFile file = load_ignore(dir, "?.env\nkey[0-9].pem\nid_[!d]*\n");
  EXPECT_TRUE(file.path_ignored("a.env"));
  EXPECT_FALSE(file.path_ignored("ab.env"));
  EXPECT_TRUE(file.path_ignored("certs/key7.pem"));
  EXPECT_FALSE(file.path_ignored("certs/keyx.pem"));
  EXPECT_TRUE(file.path_ignored("id_rsa"));
  EXPECT_FALSE(file.path_ignored("id_dsa"));
}

TEST(IgnoreFile, TrailingSlashMatchesDirectoriesOnly) {
  TempDir dir;
  const IgnoreFile file = load_ignore(dir, "fixtures/\n");
  EXPECT_TRUE(file.path_ignored("fixtures/token.txt"));
  EXPECT_TRUE(file.path_ignored("test/fixtures/deep/token.txt"));
  EXPECT_TRUE(file.path_ignored("test/fixtures/"));
  EXPECT_FALSE(file.path_ignored("test/fixtures"));  // a file named fixtures
}

TEST(IgnoreFile, NegationReincludesFile) {
  TempDir dir;
  const IgnoreFile file = load_ignore(dir, "*.json\n!package.json\n");
  EXPECT_TRUE(file.path_ignored("data/dump.json"));
  EXPECT_FALSE(file.path_ignored("web/package.json"));
}

TEST(IgnoreFile, NegationCannotReincludeInsideIgnoredDirectory) {
  TempDir dir;
  const IgnoreFile file = load_ignore(dir, "generated/\n!generated/keep.env\n");
  EXPECT_TRUE(file.path_ignored("generated/keep.env"));
}

TEST(IgnoreFile, CommentsBlanksAndEscapes) {
  TempDir dir;
  const IgnoreFile file = load_ignore(dir, "# a comment\n\n   \n\\#notes.txt\n\\!important\n  padded.txt  \r\n");
  EXPECT_TRUE(file.path_ignored("#notes.txt"));
  EXPECT_TRUE(file.path_ignored("!important"));
  EXPECT_TRUE(file.path_ignored("padded.txt"));
  EXPECT_FALSE(file.path_ignored("a comment"));
}

TEST(IgnoreFile, LeadingDotSlashInPathIsIgnored) {
  TempDir dir;
  const IgnoreFile file = load_ignore(dir, "/secrets.txt\n");
  EXPECT_TRUE(file.path_ignored("./secrets.txt"));
}

TEST(IgnoreFile, FingerprintAndRuleEntries) {
  TempDir dir;
  const std::string print = fingerprint("test-key", kCanary);
  std::string upper = print;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const IgnoreFile file = load_ignore(dir, "fingerprint:" + upper + "\nrule: generic.password\n");
  EXPECT_TRUE(file.fingerprint_ignored(print));
  EXPECT_FALSE(file.fingerprint_ignored(fingerprint("test-key", "another-value-entirely")));
  EXPECT_TRUE(file.rule_ignored("generic.password"));
  EXPECT_FALSE(file.rule_ignored("generic"));
  // Neither entry is a path pattern.
  EXPECT_FALSE(file.path_ignored("generic.password"));
}

TEST(IgnoreFile, EmptyIgnoresNothing) {
  const IgnoreFile file = IgnoreFile::empty();
  EXPECT_FALSE(file.path_ignored("a/b.txt"));
  EXPECT_FALSE(file.rule_ignored("github.pat.classic"));
  EXPECT_FALSE(file.fingerprint_ignored("hmac-sha256:00000000000000000000000000000000"));
}

TEST(IgnoreFile, ErrorNamesFileAndLine) {
  TempDir dir;
  const std::string path = dir.write("ignore", "*.log\n# fine\nkeys/[abc.pem\n");
  auto loaded = IgnoreFile::load(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().file, path);
  EXPECT_EQ(loaded.error().line, 3);
  EXPECT_NE(loaded.error().describe().find(path + ":3:"), std::string::npos) << loaded.error().describe();
  EXPECT_NE(loaded.error().message.find("unclosed '['"), std::string::npos) << loaded.error().message;
}

TEST(IgnoreFile, ErrorListsEveryInvalidLine) {
  TempDir dir;
  auto loaded = IgnoreFile::load(dir.write("ignore", "rule:\nok.txt\nfingerprint:abc\n/\n"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().line, 1);
  const std::string& message = loaded.error().message;
  EXPECT_NE(message.find("invalid rule entry"), std::string::npos) << message;
  EXPECT_NE(message.find("line 3: invalid fingerprint entry"), std::string::npos) << message;
  EXPECT_NE(message.find("line 4: path pattern matches nothing"), std::string::npos) << message;
}

TEST(IgnoreFile, FingerprintErrorNeverRepeatsValue) {
  // Pasting the secret in place of its fingerprint is an easy mistake; the error must not print it.
  TempDir dir;
  auto loaded = IgnoreFile::load(dir.write("ignore", "fingerprint:" + std::string(kCanary) + "\n"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().describe().find(kCanary), std::string::npos) << loaded.error().describe();
}

TEST(IgnoreFile, MissingFileIsNotFound) {
  TempDir dir;
  const std::string path = dir.file("absent");
  auto loaded = IgnoreFile::load(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code, core::ErrorCode::not_found);
  EXPECT_EQ(loaded.error().file, path);
}

TEST(IgnoreFile, LongPatternWithManyStarsStaysFast) {
  // Backtracking is bounded by the product of lengths, so this returns at once.
  TempDir dir;
  const IgnoreFile file = load_ignore(dir, std::string(200, '*') + "a*a*a*a*a*a*b\n");
  EXPECT_FALSE(file.path_ignored(std::string(3000, 'a')));
  EXPECT_TRUE(file.path_ignored(std::string(3000, 'a') + "b"));
}

TEST(LineAllows, CommentStyles) {
  const std::vector<std::string> lines = {
      "API_KEY=abc123  # keyward:allow",
      "const token = \"abc\"; // keyward:allow",
      "char* key = \"abc\"; /* gitleaks:allow */",
      "<password>abc</password> <!-- keyward:allow -->",
      "INSERT INTO keys VALUES ('abc'); -- pragma: allowlist secret",
      "key = abc ; keyward:allow",
      "token: abc # pragma:allowlist-secret",
      "secret = 'abc'  # pragma: whitelist secret",
      "Dim key = \"abc\" ' KEYWARD:ALLOW",
  };
  for (const auto& line : lines) EXPECT_TRUE(line_allows(line)) << line;
}

TEST(LineAllows, LinesWithoutMarker) {
  const std::vector<std::string> lines = {
      "API_KEY=abc123",
      "# keyward allow",
      "token: abc # pragma: allowlist",
      "token: abc # pragma: allowlist token",
      "",
  };
  for (const auto& line : lines) EXPECT_FALSE(line_allows(line)) << line;
}

TEST(Baseline, ContainsAddedSecretOnly) {
  Baseline baseline = Baseline::create();
  EXPECT_FALSE(baseline.contains("test.canary", kCanary));
  baseline.add("test.canary", kCanary, sample_exposure(kCanary));
  EXPECT_TRUE(baseline.contains("test.canary", kCanary));
  EXPECT_FALSE(baseline.contains("other.rule", kCanary));
  EXPECT_FALSE(baseline.contains("test.canary", "kwcanary_different_value_0000000"));
}

TEST(Baseline, RoundTripKeepsEntries) {
  TempDir dir;
  const std::string path = dir.file("baseline.json");
  Baseline baseline = Baseline::create();
  baseline.add("test.canary", kCanary, sample_exposure(kCanary));
  ASSERT_TRUE(baseline.save(path).ok());

  auto loaded = Baseline::load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().describe();
  EXPECT_TRUE(loaded->contains("test.canary", kCanary));
  EXPECT_FALSE(loaded->contains("test.canary", "kwcanary_different_value_0000000"));

  const nlohmann::json document = nlohmann::json::parse(read_all(path));
  EXPECT_EQ(document["version"], 1);
  ASSERT_EQ(document["entries"].size(), 1u);
  EXPECT_EQ(document["entries"][0]["rule_id"], "test.canary");
  EXPECT_EQ(document["entries"][0]["redacted"], redact(kCanary, 9));
  EXPECT_EQ(document["entries"][0]["path"], "config/app.env");
  EXPECT_EQ(document["entries"][0]["line"], 3);
}

TEST(Baseline, FileNeverContainsSecret) {
  TempDir dir;
  const std::string path = dir.file("baseline.json");
  Baseline baseline = Baseline::create();
  baseline.add("test.canary", kCanary, sample_exposure(kCanary));
  ASSERT_TRUE(baseline.save(path).ok());
  const std::string content = read_all(path);
  ASSERT_FALSE(content.empty());
  EXPECT_EQ(content.find(kCanary), std::string::npos);
  // Nor the part of the secret that the redacted form drops.
  EXPECT_EQ(content.find(kCanary.substr(9, 20)), std::string::npos);
}

TEST(Baseline, SavedWithOwnerOnlyPermissions) {
  TempDir dir;
  const std::string path = dir.write("baseline.json", "old content");
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  ASSERT_TRUE(Baseline::create().save(path).ok());
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(Baseline, EachBaselineHasItsOwnSalt) {
  TempDir dir;
  Baseline first = Baseline::create();
  Baseline second = Baseline::create();
  first.add("test.canary", kCanary, sample_exposure(kCanary));
  second.add("test.canary", kCanary, sample_exposure(kCanary));
  ASSERT_TRUE(first.save(dir.file("first.json")).ok());
  ASSERT_TRUE(second.save(dir.file("second.json")).ok());
  const auto a = nlohmann::json::parse(read_all(dir.file("first.json")));
  const auto b = nlohmann::json::parse(read_all(dir.file("second.json")));
  EXPECT_NE(a["salt"], b["salt"]);
  EXPECT_NE(a["entries"][0]["hash"], b["entries"][0]["hash"]);
}

TEST(Baseline, InvalidJsonNamesFileLineAndFix) {
  TempDir dir;
  // The bad file contains the canary, as an .env file passed by mistake would, and the error must not quote it.
  const std::string path = dir.write("baseline.json", "{\n  \"version\": 1,\n  TOKEN=" + std::string(kCanary) + "\n}\n");
  auto loaded = Baseline::load(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().file, path);
  EXPECT_EQ(loaded.error().line, 3);
  const std::string described = loaded.error().describe();
  EXPECT_NE(described.find("regenerate it with keyward scan --write-baseline " + path), std::string::npos) << described;
  EXPECT_EQ(described.find(kCanary), std::string::npos) << described;
}

TEST(Baseline, UnsupportedVersionRejected) {
  TempDir dir;
  auto loaded = Baseline::load(dir.write("baseline.json", R"({"version": 9, "salt": "", "entries": []})"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("version 9 is not supported"), std::string::npos) << loaded.error().message;
}

TEST(Baseline, BadEntryNamesIndex) {
  TempDir dir;
  const std::string salt(64, 'a');
  const std::string good_hash(64, 'b');
  const std::string text = R"({"version": 1, "salt": ")" + salt + R"(", "entries": [{"hash": ")" + good_hash +
                           R"(", "rule_id": "x"}, {"hash": "nothex", "rule_id": "x"}]})";
  auto loaded = Baseline::load(dir.write("baseline.json", text));
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("entries[1].hash"), std::string::npos) << loaded.error().message;
}

TEST(Baseline, SaveToMissingDirectoryFails) {
  TempDir dir;
  const std::string path = dir.file("no-such-dir/baseline.json");
  const core::Status status = Baseline::create().save(path);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().file, path);
}

}  // namespace
}  // namespace keyward::secrets
