#include "inventory/privilege.hpp"

#include <gtest/gtest.h>

#include "inventory/inventory_testing.hpp"

namespace keyward::inventory {
namespace {

using testing::aws_statement;

TEST(InventoryPrivilege, AwsStatementLevels) {
  struct Case {
    std::vector<std::string> actions;
    std::vector<std::string> resources;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"*"}, {"*"}, "admin"},
      {{"*"}, {"arn:aws:s3:::bucket/*"}, "write"},
      {{"iam:*"}, {"*"}, "admin"},
      {{"IAM:*"}, {"*"}, "admin"},
      {{"sts:*"}, {"*"}, "admin"},
      {{"s3:*"}, {"*"}, "write"},
      {{"s3:GetObject", "s3:ListBucket", "ec2:Describe*"}, {"*"}, "read"},
      {{"s3:Get*"}, {"*"}, "read"},
      {{"s3:GetObject", "s3:PutObject"}, {"*"}, "write"},
      {{"iam:CreateAccessKey"}, {"*"}, "write"},
      {{}, {"*"}, ""},
  };
  for (const auto& item : cases) {
    EXPECT_EQ(aws_statement_level(aws_statement("r", item.actions, item.resources)), item.expected)
        << ::testing::PrintToString(item.actions);
  }
  core::Grant not_action = aws_statement("r", {"iam:*"}, {"*"});
  not_action.not_action = true;
  EXPECT_EQ(aws_statement_level(not_action), "admin");
  EXPECT_EQ(aws_statement_level(aws_statement("r", {"*"}, {"*"}, "Deny")), "");
  EXPECT_EQ(aws_statement_level(testing::grant("gcp", "sa", "", "roles/owner", "p")), "");
}

TEST(InventoryPrivilege, HighestOfGrantsAndAttribute) {
  core::Identity identity = testing::machine("gcp", "sa", "gcp_service_account", "sa");
  std::vector<core::Grant> grants{testing::grant("gcp", "sa", "read", "roles/viewer", "p"),
                                  testing::grant("gcp", "sa", "write", "roles/editor", "p"),
                                  testing::grant("gcp", "sa", "", "roles/custom", "p")};
  EXPECT_EQ(privilege_of(identity, grants), "write");
  identity.attributes["privilege"] = "admin";
  EXPECT_EQ(privilege_of(identity, grants), "admin");
  EXPECT_EQ(privilege_of(testing::machine("okta", "t", "okta_api_token", "t"), {}), "");
  std::vector<core::Grant> aws{aws_statement("r", {"s3:GetObject"}, {"*"}), aws_statement("r", {"s3:PutObject"}, {"arn:aws:s3:::b/*"})};
  EXPECT_EQ(privilege_of(testing::machine("aws", "r", "iam_role", "r"), aws), "write");
}

TEST(InventoryPrivilege, RankNames) {
  EXPECT_EQ(privilege_rank("ADMIN"), 3);
  EXPECT_EQ(privilege_rank("owner"), 0);
  EXPECT_EQ(privilege_name(1), "read");
  EXPECT_EQ(privilege_name(0), "");
}

}  // namespace
}  // namespace keyward::inventory
