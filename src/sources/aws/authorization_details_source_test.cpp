#include "sources/aws/authorization_details_source.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sources/aws/authorization_details_documents.hpp"
#include "sources/aws/authorization_details_principals.hpp"

namespace keyward::sources::aws {
namespace {

const std::string kFixture =
    std::string(KEYWARD_SOURCE_DIR) + "/src/sources/aws/testdata/authorization_details/small_export.json";
const std::string kRealSample =
    std::string(KEYWARD_SHARED_DATA) + "/aws_iam_authz/cloudsplaining_example_authz_details.json";

class DiscardEvents : public core::EventSink {
 public:
  void on_event(core::Event& /*event*/) override {}
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Parses `text` with a fresh context; the returned batch and errors are what the source produced.
struct Parsed {
  core::Status status;
  store::Batch batch;
  std::vector<RecordError> errors;
  long long records = 0;
};

Parsed parse_text(const std::string& text, const std::string& path = "export.json") {
  Parsed parsed;
  DiscardEvents events;
  ParseContext ctx{parsed.batch, events, parsed.errors, 0, std::nullopt, 0, {}};
  parsed.status = AuthorizationDetailsSource().parse(Input{path, text}, ctx);
  parsed.records = ctx.records;
  return parsed;
}

const core::Identity* find_identity(const store::Batch& batch, std::string_view name) {
  for (const auto& identity : batch.identities) {
    if (identity.name == name) return &identity;
  }
  return nullptr;
}

std::vector<core::Grant> grants_of(const store::Batch& batch, const std::string& identity_id) {
  std::vector<core::Grant> grants;
  for (const auto& grant : batch.grants) {
    if (grant.identity_id == identity_id) grants.push_back(grant);
  }
  return grants;
}

const core::Grant* find_grant(const std::vector<core::Grant>& grants, std::string_view source) {
  for (const auto& grant : grants) {
    if (grant.source_policy == source) return &grant;
  }
  return nullptr;
}

bool has_error_containing(const std::vector<RecordError>& errors, std::string_view text) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const RecordError& error) { return error.message.find(text) != std::string::npos; });
}

class AuthorizationDetailsFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kFixture)) << kFixture;
    parsed_ = parse_text(read_file(kFixture), kFixture);
    ASSERT_TRUE(parsed_.status.ok()) << parsed_.status.error().describe();
  }
  Parsed parsed_;
};

TEST(AuthorizationDetailsDetect, RecognizesExportHead) {
  AuthorizationDetailsSource source;
  EXPECT_EQ(source.detect("{\n  \"UserDetailList\": [", "x.json"), 90);
  EXPECT_EQ(source.detect("{\"RoleDetailList\": []}", "x.json"), 90);
  EXPECT_EQ(source.detect("{\"Policies\": [{\"PolicyVersionList\": []}]}", "x.json"), 60);
}

TEST(AuthorizationDetailsDetect, RejectsOtherFormats) {
  AuthorizationDetailsSource source;
  EXPECT_EQ(source.detect("{\"Records\": [{\"eventVersion\": \"1.08\"}]}", "trail.json"), 0);
  EXPECT_EQ(source.detect("user,arn,user_creation_time\n", "report.csv"), 0);
  EXPECT_EQ(source.detect("[\"UserDetailList\"]", "x.json"), 0);
}

TEST_F(AuthorizationDetailsFixture, EmitsUsersAndRolesOnly) {
  EXPECT_EQ(parsed_.batch.identities.size(), 6u);
  EXPECT_EQ(parsed_.records, 6);
  EXPECT_EQ(find_identity(parsed_.batch, "deployers"), nullptr) << "groups are not principals";
  EXPECT_EQ(find_identity(parsed_.batch, "app-deploy"), nullptr) << "managed policies are not principals";
  EXPECT_EQ(parsed_.batch.grant_identities.size(), 6u);
}

TEST_F(AuthorizationDetailsFixture, ReadsUserFields) {
  const core::Identity* user = find_identity(parsed_.batch, "ci-bot");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->platform, "aws");
  EXPECT_EQ(user->id, "arn:aws:iam::111122223333:user/automation/ci-bot");
  EXPECT_EQ(user->kind, "iam_user");
  EXPECT_EQ(user->account, "111122223333");
  EXPECT_EQ(user->created, core::parse_time("2023-01-15T08:30:00Z"));
  EXPECT_EQ(user->classification, core::Classification::unknown);
  EXPECT_EQ(user->attributes["path"], "/automation/");
  EXPECT_EQ(user->attributes["user_id"], "AIDAEXAMPLECIBOT00001");
  EXPECT_EQ(user->attributes["groups"], nlohmann::json({"deployers", "missing-group"}));
  EXPECT_EQ(user->attributes["tags"]["team"], "platform");
  EXPECT_EQ(user->attributes["permissions_boundary"], "arn:aws:iam::111122223333:policy/ci-boundary");
}

TEST_F(AuthorizationDetailsFixture, ResolvesUserAndGroupPolicies) {
  const core::Identity* user = find_identity(parsed_.batch, "ci-bot");
  ASSERT_NE(user, nullptr);
  std::vector<core::Grant> grants = grants_of(parsed_.batch, user->id);
  EXPECT_EQ(grants.size(), 5u);

  const core::Grant* deny = find_grant(grants, "inline:ci-deny-iam-writes");
  ASSERT_NE(deny, nullptr);
  EXPECT_EQ(deny->effect, "Deny");
  EXPECT_EQ(deny->via, "user");
  EXPECT_EQ(deny->actions, (std::vector<std::string>{"iam:Put*", "iam:Attach*"}));

  const core::Grant* admin = find_grant(grants, "arn:aws:iam::aws:policy/AdministratorAccess");
  ASSERT_NE(admin, nullptr) << "AdministratorAccess is resolved without a copy in Policies";
  EXPECT_EQ(admin->actions, std::vector<std::string>{"*"});
  EXPECT_EQ(admin->resources, std::vector<std::string>{"*"});

  const core::Grant* group_inline = find_grant(grants, "inline:deploy-queue");
  ASSERT_NE(group_inline, nullptr) << "URL-encoded group policy";
  EXPECT_EQ(group_inline->via, "group:deployers");
  EXPECT_EQ(group_inline->actions, (std::vector<std::string>{"sqs:SendMessage", "sqs:ReceiveMessage"}));

  const core::Grant* managed = find_grant(grants, "arn:aws:iam::111122223333:policy/app-deploy");
  ASSERT_NE(managed, nullptr);
  EXPECT_EQ(managed->via, "group:deployers");
  EXPECT_EQ(managed->actions, std::vector<std::string>{"s3:ListBucket"}) << "default version v2, not v1";
}

TEST_F(AuthorizationDetailsFixture, KeepsUnresolvedPoliciesAsEmptyRows) {
  const core::Identity* user = find_identity(parsed_.batch, "ci-bot");
  ASSERT_NE(user, nullptr);
  std::vector<core::Grant> grants = grants_of(parsed_.batch, user->id);
  const core::Grant* read_only = find_grant(grants, "arn:aws:iam::aws:policy/ReadOnlyAccess");
  ASSERT_NE(read_only, nullptr);
  EXPECT_TRUE(read_only->actions.empty());

  const nlohmann::json& unresolved = user->attributes["unresolved_policies"];
  ASSERT_EQ(unresolved.size(), 2u) << unresolved.dump();
  EXPECT_EQ(unresolved[0]["policy"], "arn:aws:iam::aws:policy/ReadOnlyAccess");
  EXPECT_EQ(unresolved[1]["policy"], "group:missing-group");
}

TEST_F(AuthorizationDetailsFixture, ReportsBadEntriesWithPointer) {
  EXPECT_TRUE(has_error_containing(parsed_.errors, "/UserDetailList/1: user has no Arn"));
  EXPECT_TRUE(has_error_containing(parsed_.errors, "/UserDetailList/2/UserPolicyList/0/PolicyDocument: policy document is not valid JSON"));
  EXPECT_TRUE(has_error_containing(parsed_.errors, "/Policies/1/PolicyVersionList/0/Document: policy document is not valid JSON"));
  EXPECT_TRUE(has_error_containing(parsed_.errors, "/RoleDetailList/1/RolePolicyList/0/PolicyDocument/Statement/0: Effect"));
  EXPECT_EQ(parsed_.errors.size(), 4u);
  for (const auto& error : parsed_.errors) EXPECT_EQ(error.file, kFixture);

  const core::Identity* reader = find_identity(parsed_.batch, "report-reader");
  ASSERT_NE(reader, nullptr) << "a user with broken policies is still inventoried";
  EXPECT_EQ(reader->attributes["unresolved_policies"].size(), 2u);
}

TEST_F(AuthorizationDetailsFixture, ClassifiesRolesFromTrust) {
  const core::Identity* linked = find_identity(parsed_.batch, "AWSServiceRoleForSupport");
  ASSERT_NE(linked, nullptr);
  EXPECT_EQ(linked->kind, "service_linked_role");
  EXPECT_EQ(linked->classification, core::Classification::machine);
  EXPECT_NE(linked->classification_reason.find("support.amazonaws.com"), std::string::npos);

  const core::Identity* worker = find_identity(parsed_.batch, "orders-worker");
  ASSERT_NE(worker, nullptr);
  EXPECT_EQ(worker->kind, "iam_role");
  EXPECT_EQ(worker->classification, core::Classification::machine) << "URL-encoded trust policy";
  EXPECT_NE(worker->classification_reason.find("ecs-tasks.amazonaws.com"), std::string::npos);

  const core::Identity* sso = find_identity(parsed_.batch, "AWSReservedSSO_ReadOnly_0123456789abcdef");
  ASSERT_NE(sso, nullptr);
  EXPECT_EQ(sso->classification, core::Classification::human);

  const core::Identity* partner = find_identity(parsed_.batch, "partner-audit");
  ASSERT_NE(partner, nullptr);
  EXPECT_EQ(partner->classification, core::Classification::unknown);
  EXPECT_TRUE(partner->classification_reason.empty());
}

TEST_F(AuthorizationDetailsFixture, ReadsRoleFields) {
  const core::Identity* worker = find_identity(parsed_.batch, "orders-worker");
  ASSERT_NE(worker, nullptr);
  EXPECT_EQ(worker->last_used, core::parse_time("2024-02-03T04:05:06Z"));
  EXPECT_EQ(worker->attributes["last_used_region"], "eu-west-1");
  EXPECT_EQ(worker->attributes["max_session_duration"], 3600);
  EXPECT_EQ(worker->attributes["instance_profiles"],
            nlohmann::json({"arn:aws:iam::111122223333:instance-profile/orders-worker"}));
  EXPECT_EQ(worker->attributes["trust_policy"]["Statement"][0]["Principal"]["Service"], "ecs-tasks.amazonaws.com");

  std::vector<core::Grant> grants = grants_of(parsed_.batch, worker->id);
  ASSERT_EQ(grants.size(), 1u) << "the statement without Effect is skipped";
  EXPECT_TRUE(grants[0].not_resource);
  EXPECT_EQ(grants[0].condition["Bool"]["aws:SecureTransport"], "true");
  EXPECT_EQ(grants[0].via, "role");
}

TEST(AuthorizationDetailsParse, RejectsInvalidJsonWithOffset) {
  Parsed parsed = parse_text("{\"UserDetailList\": [ {,] }");
  ASSERT_FALSE(parsed.status.ok());
  EXPECT_EQ(parsed.status.error().file, "export.json");
  EXPECT_GE(parsed.status.error().offset, 20);
}

TEST(AuthorizationDetailsParse, RejectsDeepNesting) {
  std::string text = "{\"UserDetailList\": " + std::string(200, '[') + std::string(200, ']') + "}";
  Parsed parsed = parse_text(text);
  ASSERT_FALSE(parsed.status.ok());
  EXPECT_EQ(parsed.status.error().code, core::ErrorCode::limit_exceeded);
}

TEST(AuthorizationDetailsParse, RejectsOtherJsonObjects) {
  Parsed parsed = parse_text("{\"Records\": []}");
  ASSERT_FALSE(parsed.status.ok());
  EXPECT_EQ(parsed.status.error().code, core::ErrorCode::unsupported_format);
}

TEST(AuthorizationDetailsParse, ReportsTruncatedExport) {
  Parsed parsed = parse_text("{\"UserDetailList\": [], \"IsTruncated\": true, \"Marker\": \"abc\"}");
  ASSERT_TRUE(parsed.status.ok());
  EXPECT_TRUE(has_error_containing(parsed.errors, "/IsTruncated"));
}

TEST(AuthorizationDetailsDocuments, DecodesPercentEscapes) {
  EXPECT_EQ(percent_decode("%7B%22a%22%3A1%7D"), std::optional<std::string>("{\"a\":1}"));
  EXPECT_EQ(percent_decode("a+b"), std::optional<std::string>("a+b"));
  EXPECT_EQ(percent_decode("%7"), std::nullopt);
  EXPECT_EQ(percent_decode("%zz"), std::nullopt);
}

TEST(AuthorizationDetailsDocuments, ReadsPlainJsonString) {
  auto document = read_policy_document(nlohmann::json("{\"Statement\": []}"));
  ASSERT_TRUE(document.ok()) << document.error().message;
  EXPECT_TRUE(document->contains("Statement"));
}

TEST(AuthorizationDetailsPrincipals, ExtractsAccountFromArn) {
  EXPECT_EQ(account_from_arn("arn:aws:iam::123456789012:role/x"), "123456789012");
  EXPECT_EQ(account_from_arn("arn:aws:iam::123456789012"), "");
  EXPECT_EQ(account_from_arn("not-an-arn"), "");
}

TEST(AuthorizationDetailsPrincipals, ClassifiesWorkloadIdentityAsMachine) {
  nlohmann::json trust = {{"Statement", {{{"Effect", "Allow"},
                                          {"Principal", {{"Federated", "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}}},
                                          {"Action", "sts:AssumeRoleWithWebIdentity"}}}}};
  EXPECT_EQ(classify_role("/", trust).classification, core::Classification::machine);
}

TEST(AuthorizationDetailsPrincipals, MixedTrustIsUnknown) {
  nlohmann::json trust = {{"Statement",
                           {{{"Effect", "Allow"}, {"Principal", {{"Service", "ec2.amazonaws.com"}}}},
                            {{"Effect", "Allow"}, {"Principal", {{"AWS", "arn:aws:iam::111122223333:root"}}}}}}};
  EXPECT_EQ(classify_role("/", trust).classification, core::Classification::unknown);
  EXPECT_EQ(classify_role("/", nlohmann::json{{"Statement", {{{"Effect", "Allow"}, {"Principal", "*"}}}}})
                .classification,
            core::Classification::unknown);
}

TEST(AuthorizationDetailsRealSample, ReadsEveryPrincipal) {
  if (!std::filesystem::exists(kRealSample)) GTEST_SKIP() << "real sample not found: " << kRealSample;
  Parsed parsed = parse_text(read_file(kRealSample), kRealSample);
  ASSERT_TRUE(parsed.status.ok()) << parsed.status.error().describe();
  EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front().message;

  long long users = 0, roles = 0, service_linked = 0;
  for (const auto& identity : parsed.batch.identities) {
    if (identity.kind == "iam_user") ++users;
    if (identity.kind == "iam_role") ++roles;
    if (identity.kind == "service_linked_role") {
      ++service_linked;
      EXPECT_EQ(identity.classification, core::Classification::machine) << identity.name;
    }
  }
  EXPECT_EQ(users, 44);
  EXPECT_EQ(roles + service_linked, 78);
  EXPECT_EQ(service_linked, 8);

  const core::Identity* sre = find_identity(parsed.batch, "privesc-sre-user");
  ASSERT_NE(sre, nullptr);
  std::vector<core::Grant> grants = grants_of(parsed.batch, sre->id);
  const core::Grant* inherited = find_grant(grants, "arn:aws:iam::200611803367:policy/privesc-sre-admin-policy");
  ASSERT_NE(inherited, nullptr);
  EXPECT_EQ(inherited->via, "group:privesc-sre-group");
}

}  // namespace
}  // namespace keyward::sources::aws
