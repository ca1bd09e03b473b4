#include "sources/github/github_sources.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sources/testing/source_testing.hpp"

namespace keyward::sources::github {
namespace {

using testing::normalized_json;
using testing::parse_with_source;
using testing::ParsedInput;
using testing::source_testdata;

const core::Identity* find_identity(const ParsedInput& parsed, const std::string& id) {
  for (const auto& identity : parsed.batch.identities) {
    if (identity.id == id) return &identity;
  }
  return nullptr;
}

const core::Identity* find_observed(const ParsedInput& parsed, const std::string& id) {
  for (const auto& identity : parsed.batch.observed_identities) {
    if (identity.id == id) return &identity;
  }
  return nullptr;
}

const core::Credential* find_credential(const ParsedInput& parsed, const std::string& id) {
  for (const auto& credential : parsed.batch.credentials) {
    if (credential.id == id) return &credential;
  }
  return nullptr;
}

std::vector<const core::Grant*> grants_of(const ParsedInput& parsed, const std::string& identity_id) {
  std::vector<const core::Grant*> out;
  for (const auto& grant : parsed.batch.grants) {
    if (grant.identity_id == identity_id) out.push_back(&grant);
  }
  return out;
}

const core::Grant* grant_with_action(const ParsedInput& parsed, const std::string& identity_id, const std::string& action) {
  for (const core::Grant* grant : grants_of(parsed, identity_id)) {
    if (!grant->actions.empty() && grant->actions.front() == action) return grant;
  }
  return nullptr;
}

std::string normalized_text(const ParsedInput& parsed) { return normalized_json(parsed).dump(); }

std::filesystem::path write_temp(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() / ("keyward-github-" + name);
  std::ofstream(path, std::ios::binary) << content << "\n";
  return path;
}

struct GoldenCase {
  const char* source;
  const char* file;
};

class GithubGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GithubGolden, MatchesGoldenFile) {
  const GoldenCase& param = GetParam();
  const auto path = source_testdata("github") / param.source / param.file;
  const ParsedInput parsed = parse_with_source(param.source, path);
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front().message;
  auto golden = path;
  golden.replace_extension(".golden.json");
  testing::expect_golden(normalized_json(parsed), golden);
}

INSTANTIATE_TEST_SUITE_P(GithubSources, GithubGolden,
                         ::testing::Values(GoldenCase{"github-installations", "installations.json"},
                                           GoldenCase{"github-credential-authorizations", "credential_authorizations.json"},
                                           GoldenCase{"github-fine-grained-pats", "personal_access_tokens.json"},
                                           GoldenCase{"github-deploy-keys", "deploy_keys.json"},
                                           GoldenCase{"github-webhooks", "hooks.json"},
                                           GoldenCase{"github-audit-log", "audit_log.json"},
                                           GoldenCase{"github-audit-log", "audit_log_export.csv"}));

TEST(GithubInstallations, GrantsPerPermission) {
  const auto parsed = parse_with_source("github-installations", source_testdata("github") / "github-installations/installations.json");
  ASSERT_EQ(parsed.records, 3);
  const core::Identity* circleci = find_identity(parsed, "installation:25381");
  ASSERT_NE(circleci, nullptr);
  EXPECT_EQ(circleci->kind, "github_app_installation");
  EXPECT_EQ(circleci->name, "circleci-checks");
  EXPECT_EQ(circleci->vendor, "CircleCI");
  EXPECT_EQ(circleci->account, "octo-org");
  EXPECT_EQ(circleci->attributes["third_party"], true);
  EXPECT_EQ(grants_of(parsed, "installation:25381").size(), 5u);

  const core::Grant* administration = grant_with_action(parsed, "installation:25381", "administration:write");
  ASSERT_NE(administration, nullptr);
  EXPECT_EQ(administration->level, "admin");
  EXPECT_EQ(administration->resource_type, "repository");
  EXPECT_EQ(administration->resources, std::vector<std::string>{"octo-org/*"});
  EXPECT_EQ(administration->origin, "github.installations");

  const core::Grant* members = grant_with_action(parsed, "installation:25381", "members:read");
  ASSERT_NE(members, nullptr);
  EXPECT_EQ(members->level, "read");
  EXPECT_EQ(members->resource_type, "organization");
  EXPECT_EQ(members->resources, std::vector<std::string>{"octo-org"});
  EXPECT_EQ(parsed.batch.grant_replacements.size(), 3u);
}

TEST(GithubInstallations, SuspendedAndOwnApps) {
  const auto parsed = parse_with_source("github-installations", source_testdata("github") / "github-installations/installations.json");
  const core::Identity* suspended = find_identity(parsed, "installation:25382");
  ASSERT_NE(suspended, nullptr);
  EXPECT_EQ(suspended->status, "disabled");
  EXPECT_EQ(suspended->vendor, "Hugging Face");
  EXPECT_EQ(suspended->attributes["suspended_by"], "octocat");
  const core::Grant* members = grant_with_action(parsed, "installation:25382", "members:write");
  ASSERT_NE(members, nullptr);
  EXPECT_EQ(members->level, "admin");

  const core::Identity* own = find_identity(parsed, "installation:25383");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own->attributes["third_party"], false);
  EXPECT_FALSE(own->created.has_value());
  EXPECT_TRUE(grants_of(parsed, "installation:25383").empty());
}

TEST(GithubInstallations, BadRecordsReportedAndSkipped) {
  const auto parsed = parse_with_source("github-installations", source_testdata("github") / "bad/bad_installations.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.batch.identities.size(), 1u);
  ASSERT_EQ(parsed.errors.size(), 3u);
  EXPECT_NE(parsed.errors[0].message.find("no id"), std::string::npos) << parsed.errors[0].message;
  EXPECT_NE(parsed.errors[1].message.find("app_slug"), std::string::npos) << parsed.errors[1].message;
  // The non-string permission value is ignored, the string one is granted.
  ASSERT_EQ(grants_of(parsed, "installation:10").size(), 1u);
  EXPECT_EQ(grants_of(parsed, "installation:10").front()->resources, std::vector<std::string>{"*/*"});
}

TEST(GithubCredentialAuthorizations, ClassicTokenKeepsLastFourOnly) {
  const auto path = source_testdata("github") / "github-credential-authorizations/credential_authorizations.json";
  const auto parsed = parse_with_source("github-credential-authorizations", path);
  ASSERT_EQ(parsed.records, 3);
  const core::Identity* token = find_identity(parsed, "token:12345678");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->kind, "github_pat_classic");
  EXPECT_EQ(token->owner, "octocat");
  EXPECT_EQ(token->name, "ci release token");
  EXPECT_EQ(token->attributes["shadow"], true);
  EXPECT_EQ(token->attributes["scopes"], nlohmann::json::array({"repo", "admin:org", "read:user"}));

  const core::Credential* credential = find_credential(parsed, "token:12345678");
  ASSERT_NE(credential, nullptr);
  EXPECT_EQ(credential->attributes["token_redacted"], "ghp_\u2026fc11");
  EXPECT_EQ(credential->last_used, core::parse_time("2026-11-20T08:11:02Z"));
  EXPECT_FALSE(credential->expires.has_value());
  EXPECT_EQ(normalized_text(parsed).find("71c3fc11"), std::string::npos) << "the first 4 of token_last_eight leaked";

  EXPECT_EQ(grant_with_action(parsed, "token:12345678", "repo")->level, "write");
  EXPECT_EQ(grant_with_action(parsed, "token:12345678", "admin:org")->level, "admin");
  EXPECT_EQ(grant_with_action(parsed, "token:12345678", "read:user")->level, "read");
}

TEST(GithubCredentialAuthorizations, SshKeyAndExpiry) {
  const auto path = source_testdata("github") / "github-credential-authorizations/credential_authorizations.json";
  const auto parsed = parse_with_source("github-credential-authorizations", path);
  const core::Identity* key = find_identity(parsed, "ssh-key:88881");
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->kind, "github_ssh_key");
  EXPECT_EQ(key->name, "hubot laptop");
  EXPECT_FALSE(key->last_used.has_value());
  EXPECT_TRUE(grants_of(parsed, "ssh-key:88881").empty());
  const core::Credential* expiring = find_credential(parsed, "token:12345679");
  ASSERT_NE(expiring, nullptr);
  EXPECT_EQ(expiring->expires, core::parse_time("2027-01-10T09:00:00Z"));
  EXPECT_EQ(find_identity(parsed, "token:12345679")->name, "personal access token of monalisa");
}

TEST(GithubCredentialAuthorizations, MissingIdsReported) {
  const auto path = write_temp("authorizations.json",
                               R"([{"login": "a", "credential_type": "SSH key", "credential_authorized_at": null},)"
                               R"( {"credential_id": 5, "credential_type": "SSH key", "credential_authorized_at": null},)"
                               R"( {"login": "b", "credential_id": 6, "credential_type": null, "credential_authorized_at": null,)"
                               R"(  "token_last_eight": "ab"}])");
  const auto parsed = parse_with_source("github-credential-authorizations", path);
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_EQ(parsed.batch.identities.size(), 1u);
  EXPECT_EQ(parsed.errors.size(), 2u);
  const core::Identity* fallback = find_identity(parsed, "credential-authorization:6");
  ASSERT_NE(fallback, nullptr);
  EXPECT_EQ(fallback->kind, "github_credential");
  EXPECT_FALSE(find_credential(parsed, "credential-authorization:6")->attributes.contains("token_redacted"));
}

TEST(GithubFineGrainedPats, GrantsAndRequests) {
  const auto parsed = parse_with_source("github-fine-grained-pats", source_testdata("github") / "github-fine-grained-pats/personal_access_tokens.json");
  ASSERT_EQ(parsed.records, 3);
  const core::Identity* deploy = find_identity(parsed, "token:98716");
  ASSERT_NE(deploy, nullptr);
  EXPECT_EQ(deploy->kind, "github_pat_fine_grained");
  EXPECT_EQ(deploy->owner, "octocat");
  EXPECT_EQ(deploy->status, "active");
  EXPECT_EQ(deploy->attributes["shadow"], true);
  EXPECT_EQ(grants_of(parsed, "token:98716").size(), 5u);
  const core::Grant* administration = grant_with_action(parsed, "token:98716", "administration:write");
  ASSERT_NE(administration, nullptr);
  EXPECT_EQ(administration->level, "admin");
  EXPECT_EQ(administration->origin, "github.personal_access_tokens");
  EXPECT_FALSE(find_credential(parsed, "token:98716")->expires.has_value());
  EXPECT_EQ(find_credential(parsed, "token:98716")->last_used, core::parse_time("2026-11-29T07:00:00Z"));

  const core::Identity* expired = find_identity(parsed, "token:98717");
  ASSERT_NE(expired, nullptr);
  EXPECT_EQ(expired->account, "octo-org");
  EXPECT_EQ(expired->status, "disabled");
  EXPECT_EQ(find_credential(parsed, "token:98717")->status, "inactive");

  const core::Identity* request = find_identity(parsed, "token:98720");
  ASSERT_NE(request, nullptr);
  EXPECT_EQ(request->status, "pending");
  EXPECT_EQ(request->attributes["reason"], "Access the billing dashboard");
  EXPECT_EQ(request->attributes["scopes"], nlohmann::json::array({"organization_administration:write"}));
  EXPECT_TRUE(grants_of(parsed, "token:98720").empty()) << "a pending request grants nothing";
  EXPECT_EQ(find_credential(parsed, "token:98720")->created, core::parse_time("2026-11-28T12:00:00Z"));
}

TEST(GithubDeployKeys, RepositoryFromUrlAndFingerprint) {
  const auto parsed = parse_with_source("github-deploy-keys", source_testdata("github") / "github-deploy-keys/deploy_keys.json");
  ASSERT_EQ(parsed.records, 3);
  const core::Identity* writer = find_identity(parsed, "deploy-key:1");
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(writer->attributes["repository"], "octo-org/octo-repo");
  EXPECT_EQ(writer->owner, "octocat");
  EXPECT_EQ(grants_of(parsed, "deploy-key:1").front()->level, "write");
  EXPECT_EQ(grants_of(parsed, "deploy-key:1").front()->resources, std::vector<std::string>{"octo-org/octo-repo"});
  // ssh-keygen -lf prints this fingerprint for the fixture's key.
  EXPECT_EQ(find_credential(parsed, "deploy-key:1")->attributes["key_fingerprint"],
            "SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU");
  EXPECT_EQ(normalized_text(parsed).find("AAAAC3NzaC1lZDI1NTE5"), std::string::npos) << "the public key was stored";

  const core::Identity* disabled = find_identity(parsed, "deploy-key:2");
  ASSERT_NE(disabled, nullptr);
  EXPECT_EQ(disabled->status, "disabled");
  EXPECT_EQ(disabled->owner, "");
  EXPECT_EQ(grants_of(parsed, "deploy-key:2").front()->level, "read");
  EXPECT_EQ(find_identity(parsed, "deploy-key:7")->attributes["repository"], "octo-org/infra");
}

TEST(GithubDeployKeys, KeyWithoutRepositoryUrlReported) {
  const auto parsed = parse_with_source("github-deploy-keys", source_testdata("github") / "bad/bad_deploy_keys.json");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_TRUE(parsed.batch.identities.empty());
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_NE(parsed.errors[0].message.find("repos/OWNER/REPO"), std::string::npos);
}

TEST(GithubWebhooks, KeepsHostAndNeverSecrets) {
  const auto parsed = parse_with_source("github-webhooks", source_testdata("github") / "github-webhooks/hooks.json");
  ASSERT_EQ(parsed.records, 2);
  const core::Identity* repo_hook = find_identity(parsed, "webhook:12345678");
  ASSERT_NE(repo_hook, nullptr);
  EXPECT_EQ(repo_hook->kind, "github_webhook");
  EXPECT_EQ(repo_hook->name, "ci.example.com");
  EXPECT_EQ(repo_hook->attributes["secret_configured"], true);
  EXPECT_EQ(repo_hook->attributes["insecure_ssl"], false);
  EXPECT_EQ(repo_hook->attributes["repository"], "octo-org/octo-repo");

  const core::Identity* org_hook = find_identity(parsed, "webhook:1");
  ASSERT_NE(org_hook, nullptr);
  EXPECT_EQ(org_hook->account, "octo-org");
  EXPECT_EQ(org_hook->status, "disabled");
  EXPECT_EQ(org_hook->attributes["receiver_host"], "hooks.internal.example.net:8080");
  EXPECT_EQ(org_hook->attributes["receiver_scheme"], "http");
  EXPECT_EQ(org_hook->attributes["secret_configured"], false);
  EXPECT_EQ(org_hook->attributes["insecure_ssl"], true);

  const std::string text = normalized_text(parsed);
  EXPECT_EQ(text.find("CANARY"), std::string::npos) << "a URL token or password was stored";
  EXPECT_EQ(text.find("********"), std::string::npos);
}

TEST(GithubWebhooks, PlainSecretNeverStored) {
  const auto path = write_temp("hooks.json",
                               R"([{"type": "Repository", "id": 5, "active": true, "events": ["push"], "last_response": null,)"
                               R"( "config": {"url": "https://h.example/x", "secret": "CANARY-SECRET-91c2", "insecure_ssl": 1},)"
                               R"( "url": "https://api.github.com/repos/o/r/hooks/5"}])");
  const auto parsed = parse_with_source("github-webhooks", path);
  ASSERT_EQ(parsed.records, 1);
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(normalized_text(parsed).find("CANARY-SECRET"), std::string::npos);
  EXPECT_EQ(find_identity(parsed, "webhook:5")->attributes["secret_configured"], true);
  EXPECT_EQ(find_identity(parsed, "webhook:5")->attributes["insecure_ssl"], true);
}

TEST(GithubAuditLog, TokenEventsKeyedByTokenId) {
  const auto parsed = parse_with_source("github-audit-log", source_testdata("github") / "github-audit-log/audit_log.json");
  ASSERT_EQ(parsed.records, 7);
  ASSERT_EQ(parsed.sink.events.size(), 7u);
  const auto& clone = parsed.sink.events[1];
  EXPECT_EQ(clone["identity_id"], "token:12345678");
  EXPECT_EQ(clone["credential_id"], "token:12345678");
  EXPECT_EQ(clone["event_name"], "git.clone");
  EXPECT_EQ(clone["event_source"], "git");
  EXPECT_EQ(clone["time"], "2025-11-30T09:00:00Z");
  EXPECT_EQ(clone["source_ip"], "198.51.100.7");

  // Epoch milliseconds: 1764489600123 is 2025-11-30T08:00:00.123Z.
  EXPECT_EQ(parsed.sink.events[0]["time"], "2025-11-30T08:00:00Z");
  EXPECT_EQ(parsed.sink.events[0]["identity_id"], "octocat");
  EXPECT_EQ(parsed.sink.events[0]["credential_id"], "");

  const auto& bot = parsed.sink.events[3];
  EXPECT_EQ(bot["identity_id"], "github-actions[bot]");
  EXPECT_EQ(bot["credential_id"], "");

  const core::Identity* token = find_observed(parsed, "token:12345678");
  ASSERT_NE(token, nullptr);
  EXPECT_EQ(token->kind, "github_pat_classic");
  EXPECT_EQ(token->owner, "octocat");
  EXPECT_EQ(token->attributes["scopes"], nlohmann::json::array({"repo", "admin:org"}));
  EXPECT_NE(find_observed(parsed, "github-actions[bot]"), nullptr);
  EXPECT_EQ(find_observed(parsed, "octocat"), nullptr) << "people are not observed as non-human identities";
}

TEST(GithubAuditLog, OauthAppsAndInstallsAreLifecycleFacts) {
  const auto parsed = parse_with_source("github-audit-log", source_testdata("github") / "github-audit-log/audit_log.json");
  const core::Identity* zapier = find_identity(parsed, "oauth-app:5501");
  ASSERT_NE(zapier, nullptr);
  EXPECT_EQ(zapier->kind, "github_oauth_app");
  EXPECT_EQ(zapier->name, "Zapier");
  EXPECT_EQ(zapier->vendor, "Zapier");
  EXPECT_EQ(zapier->attributes["connected_by"], nlohmann::json::array({"octocat"}));
  EXPECT_EQ(zapier->attributes["third_party"], true);

  const core::Identity* internal = find_identity(parsed, "oauth-app:5502");
  ASSERT_NE(internal, nullptr);
  EXPECT_EQ(internal->attributes["created_by"], "hubot");
  EXPECT_EQ(internal->attributes["third_party"], false);
  EXPECT_EQ(internal->created, core::parse_time("2025-11-30T12:00:00Z"));

  const core::Identity* install = find_observed(parsed, "installation:25381");
  ASSERT_NE(install, nullptr);
  EXPECT_EQ(install->attributes["connected_by"], nlohmann::json::array({"monalisa"}));
}

TEST(GithubAuditLog, CsvExport) {
  const auto parsed = parse_with_source("github-audit-log", source_testdata("github") / "github-audit-log/audit_log_export.csv");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  ASSERT_EQ(parsed.sink.events.size(), 2u);
  EXPECT_EQ(parsed.sink.events[0]["identity_id"], "token:98716");
  EXPECT_EQ(parsed.sink.events[0]["user_agent"], "git/2.43.0 (linux, x86_64)");
  EXPECT_EQ(parsed.sink.events[0]["time"], "2025-11-30T08:00:00Z");
  EXPECT_EQ(parsed.sink.events[1]["identity_id"], "monalisa");
}

TEST(GithubAuditLog, BadRecordsReportedAndSkipped) {
  const auto parsed = parse_with_source("github-audit-log", source_testdata("github") / "bad/bad_audit_log.json");
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  EXPECT_EQ(parsed.records, 4);
  EXPECT_EQ(parsed.errors.size(), 2u);  // the record without action, the invalid JSON line
  // The out-of-range @timestamp leaves that record without a time, so it is not sent as activity.
  ASSERT_EQ(parsed.sink.events.size(), 2u);
  EXPECT_EQ(normalized_text(parsed).find("secret=x"), std::string::npos);
}

// Real audit records from Panther's public GitHub rule tests: every one is read without errors,
// times in epoch milliseconds and in "YYYY-MM-DD hh:mm:ss.fff" form are understood, and token
// activity is keyed by the token.
TEST(GithubAuditLog, RealPantherSamples) {
  const auto folder = testing::shared_data() / "github" / "panther";
  if (!std::filesystem::is_directory(folder)) GTEST_SKIP() << "real samples not found at " << folder << "; set up ../shared";
  int files = 0;
  int events = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".expect.") != std::string::npos || entry.path().extension() != ".json") continue;
    auto loaded = ingest::load_input(entry.path().string());
    ASSERT_TRUE(loaded);
    const Source* detected = detect_source(loaded->data(), entry.path().string());
    ASSERT_NE(detected, nullptr) << name;
    EXPECT_EQ(detected->name(), "github-audit-log") << name;
    const auto parsed = parse_with_source("github-audit-log", entry.path());
    ASSERT_TRUE(parsed.status.ok()) << name;
    EXPECT_TRUE(parsed.errors.empty()) << name << ": " << parsed.errors.front().message;
    EXPECT_EQ(parsed.records, 1) << name;
    events += static_cast<int>(parsed.sink.events.size());
    ++files;

    if (name == "github_advanced_security_change__08.json") {
      ASSERT_EQ(parsed.sink.events.size(), 1u);
      EXPECT_EQ(parsed.sink.events[0]["time"], "2022-12-15T13:31:51Z");  // @timestamp 1671111111111 ms
      EXPECT_EQ(parsed.sink.events[0]["source_ip"], "12.12.12.12");
      EXPECT_EQ(parsed.sink.events[0]["identity_id"], "bobert");
    }
    if (name == "github_advanced_security_change__00.json") {
      ASSERT_EQ(parsed.sink.events.size(), 1u);
      EXPECT_EQ(parsed.sink.events[0]["time"], "2022-08-16T16:56:49Z");
    }
    if (name == "github_repo_collaborator_change__00.json") {
      ASSERT_EQ(parsed.sink.events.size(), 1u);
      EXPECT_EQ(parsed.sink.events[0]["time"], "2021-05-18T02:31:58Z");  // created_at 1621305118553 ms
      EXPECT_EQ(parsed.sink.events[0]["event_name"], "repo.add_member");
    }
    if (name == "github_secret_scanning_alert_created__01.json") {
      ASSERT_EQ(parsed.sink.events.size(), 1u);
      EXPECT_EQ(parsed.sink.events[0]["identity_id"], "token:0123456789");
      EXPECT_EQ(parsed.sink.events[0]["credential_id"], "token:0123456789");
      const core::Identity* token = find_observed(parsed, "token:0123456789");
      ASSERT_NE(token, nullptr);
      EXPECT_EQ(token->kind, "github_oauth_token");
    }
    if (name == "github_workflow_dispatch_by_github_bot__00.json") {
      ASSERT_EQ(parsed.sink.events.size(), 1u);
      EXPECT_EQ(parsed.sink.events[0]["identity_id"], "github-actions[bot]");
      EXPECT_EQ(parsed.sink.events[0]["time"], "2025-10-15T18:45:47Z");
    }
    if (name == "github_webhook_modified__00.json") {
      // No time field at all: the action is still sent, dated at the ingest time.
      ASSERT_EQ(parsed.sink.events.size(), 1u);
      EXPECT_EQ(parsed.sink.events[0]["event_name"], "hook.create");
    }
  }
  EXPECT_EQ(files, 23);
  // Every record is sent as activity, the four webhook samples without a time field included.
  EXPECT_EQ(events, 23);
}

}  // namespace
}  // namespace keyward::sources::github
