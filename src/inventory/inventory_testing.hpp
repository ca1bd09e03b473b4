#pragma once

// Test data for the consolidated inventory: a small company whose people are listed by several
// directories and whose NHIs span platforms, written to a SQLite store in a temporary folder.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "store/store.hpp"

namespace keyward::inventory::testing {

inline core::Identity person(std::string platform, std::string id, std::string email, std::string status,
                             std::string login = "", std::vector<std::string> aliases = {}) {
  core::Identity identity;
  identity.platform = std::move(platform);
  identity.id = std::move(id);
  identity.kind = identity.platform + "_user";
  identity.name = email.empty() ? login : email.substr(0, email.find('@'));
  identity.status = std::move(status);
  identity.classification = core::Classification::human;
  if (!email.empty()) identity.attributes["email"] = email;
  if (!login.empty()) identity.attributes["login"] = login;
  if (!aliases.empty()) identity.attributes["aliases"] = aliases;
  return identity;
}

inline core::Identity machine(std::string platform, std::string id, std::string kind, std::string name) {
  core::Identity identity;
  identity.platform = std::move(platform);
  identity.id = std::move(id);
  identity.kind = std::move(kind);
  identity.name = std::move(name);
  identity.classification = core::Classification::machine;
  return identity;
}

inline core::Grant grant(std::string platform, std::string identity_id, std::string level, std::string action,
                         std::string resource, std::string granted_by = "") {
  core::Grant result;
  result.platform = std::move(platform);
  result.identity_id = std::move(identity_id);
  result.level = std::move(level);
  result.actions = {std::move(action)};
  result.resources = {std::move(resource)};
  result.granted_by = std::move(granted_by);
  result.origin = result.platform + ".test";
  return result;
}

inline core::Grant aws_statement(std::string identity_id, std::vector<std::string> actions,
                                 std::vector<std::string> resources, std::string effect = "Allow") {
  core::Grant result;
  result.platform = "aws";
  result.identity_id = std::move(identity_id);
  result.effect = std::move(effect);
  result.actions = std::move(actions);
  result.resources = std::move(resources);
  result.source_policy = "inline:test";
  result.via = "role";
  return result;
}

inline core::ActivitySummary activity(std::string platform, std::string identity_id, std::string day, long long count,
                                      std::string network = "203.0.113.7") {
  core::ActivitySummary summary;
  summary.platform = std::move(platform);
  summary.identity_id = std::move(identity_id);
  summary.day = *core::parse_time(day + "T00:00:00Z");
  summary.action = "api:Call";
  summary.network = std::move(network);
  summary.user_agent_family = "python-requests";
  summary.count = count;
  summary.first_seen = summary.day + 3600;
  summary.last_seen = summary.day + 7200;
  return summary;
}

// The sample company. People: Alice (deprovisioned in Okta, still active in Entra), Bob
// (active), Carol (suspended in Workspace), Dave (active in Workspace and GitHub, where his login
// is octo-dave). NHIs:
//   entra  app-zapier        Zapier app registration; its grant, secret and activity are keyed by
//                             the service principal object id sp-zapier (an alias); created by
//                             Alice's Entra object id
//   slack  B-ZAPIER          Zapier again, unverified publisher, connected by Dave
//   github pat-1             Dave's fine-grained PAT (shadow), admin on a repository
//   gcp    etl@...           service account owned by someone no directory lists; its grant is
//                             keyed by its numeric unique id
//   okta   token-1           API token naming no owner, admin by attribute
//   workspace chatgpt-client OpenAI, unverified, owned by Carol
//   aws    reader role       read-only statements; aws admin user: "*" on "*"
inline store::Batch sample_batch() {
  store::Batch batch;
  batch.identities.push_back(person("okta", "00u-alice", "alice@example.com", "deprovisioned", "alice"));
  batch.identities.push_back(person("entra", "aad-alice", "Alice@Example.com", "active", "", {"alice-upn-id"}));
  batch.identities.push_back(person("okta", "00u-bob", "bob@example.com", "active", "bob"));
  batch.identities.push_back(person("workspace", "ws-carol", "carol@example.com", "suspended"));
  batch.identities.push_back(person("workspace", "ws-dave", "dave@example.com", "active", "dave"));
  batch.identities.push_back(person("github", "gh-501", "", "active", "octo-dave"));

  core::Identity zapier = machine("entra", "app-zapier", "entra_application", "Zapier");
  zapier.vendor = "Zapier";
  zapier.attributes["aliases"] = {"sp-zapier"};
  zapier.attributes["publisher"] = "Zapier, Inc.";
  zapier.attributes["publisher_verified"] = true;
  zapier.attributes["third_party"] = true;
  zapier.attributes["created_by"] = "aad-alice";
  batch.identities.push_back(zapier);
  batch.grants.push_back(grant("entra", "sp-zapier", "write", "Mail.ReadWrite", "tenant", "bob@example.com"));
  core::Credential secret;
  secret.platform = "entra";
  secret.id = "secret-key-1";
  secret.identity_id = "sp-zapier";
  secret.kind = "entra_client_secret";
  secret.created = *core::parse_time("2026-01-10T00:00:00Z");
  secret.expires = *core::parse_time("2027-01-10T00:00:00Z");
  batch.credentials.push_back(secret);
  batch.activity.push_back(activity("entra", "sp-zapier", "2026-11-01", 5));
  batch.activity.push_back(activity("entra", "sp-zapier", "2026-11-03", 7, "AS16509"));

  core::Identity slack_zapier = machine("slack", "B-ZAPIER", "slack_app", "Zapier for Slack");
  slack_zapier.attributes["publisher"] = "Zapier";
  slack_zapier.attributes["publisher_verified"] = false;
  slack_zapier.attributes["third_party"] = true;
  slack_zapier.attributes["connected_by"] = {"dave@example.com"};
  slack_zapier.attributes["scopes"] = {"channels:history", "chat:write"};
  batch.identities.push_back(slack_zapier);
  batch.grants.push_back(grant("slack", "B-ZAPIER", "read", "channels:history", "workspace"));

  core::Identity pat = machine("github", "pat-1", "github_fine_grained_pat", "deploy-bot token");
  pat.owner = "OCTO-DAVE";
  pat.attributes["shadow"] = true;
  batch.identities.push_back(pat);
  batch.grants.push_back(grant("github", "pat-1", "admin", "administration:write", "example-corp/api"));

  core::Identity etl = machine("gcp", "etl@proj.iam.gserviceaccount.com", "gcp_service_account", "etl");
  etl.owner = "former.contractor@example.com";
  etl.attributes["aliases"] = {"1234567890"};
  batch.identities.push_back(etl);
  batch.grants.push_back(grant("gcp", "1234567890", "admin", "roles/owner", "projects/proj"));

  core::Identity token = machine("okta", "token-1", "okta_api_token", "sync token");
  token.attributes["privilege"] = "admin";
  batch.identities.push_back(token);

  core::Identity openai = machine("workspace", "chatgpt-client", "workspace_oauth_app", "ChatGPT");
  openai.vendor = "OpenAI";
  openai.owner = "carol@example.com";
  openai.attributes["publisher_verified"] = false;
  openai.attributes["third_party"] = true;
  openai.attributes["scopes"] = {"https://www.googleapis.com/auth/drive.readonly"};
  batch.identities.push_back(openai);

  batch.identities.push_back(machine("aws", "arn:aws:iam::111122223333:role/reader", "iam_role", "reader"));
  batch.grants.push_back(aws_statement("arn:aws:iam::111122223333:role/reader", {"s3:GetObject", "s3:List*"}, {"*"}));
  batch.identities.push_back(machine("aws", "arn:aws:iam::111122223333:user/root-like", "iam_user", "root-like"));
  batch.grants.push_back(aws_statement("arn:aws:iam::111122223333:user/root-like", {"*"}, {"*"}));
  return batch;
}

// A SQLite store in a fresh temporary folder, removed afterwards.
class TempStore {
 public:
  TempStore() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = std::filesystem::temp_directory_path() /
                 (std::string("keyward-inv-") + info->test_suite_name() + "-" + info->name() + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
    auto opened = store::open_sqlite_store((directory_ / "keyward.db").string());
    EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().describe());
    if (opened.ok()) store_ = std::move(opened).value();
  }
  ~TempStore() {
    store_.reset();
    std::filesystem::remove_all(directory_);
  }
  store::Store& store() { return *store_; }
  const std::filesystem::path& directory() const { return directory_; }

 private:
  std::filesystem::path directory_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace keyward::inventory::testing
