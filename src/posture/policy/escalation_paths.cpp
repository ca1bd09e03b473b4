#include "posture/policy/escalation_paths.hpp"

namespace keyward::posture::policy {

const std::vector<EscalationPath>& escalation_paths() {
  static const std::vector<EscalationPath> paths = {
      {1, "CreateNewPolicyVersion", {"iam:CreatePolicyVersion"}, true,
       "write a new default version of a customer managed policy attached to the principal, granting any permission"},
      {2, "SetExistingDefaultPolicyVersion", {"iam:SetDefaultPolicyVersion"}, true,
       "make an older, more permissive version of one of the principal's policies the default"},
      {3, "CreateEC2WithExistingInstanceProfile", {"iam:PassRole", "ec2:RunInstances"}, false,
       "launch an instance with a privileged instance profile and take the role's credentials from the instance"},
      {4, "CreateAccessKey", {"iam:CreateAccessKey"}, true,
       "create an access key for a more privileged user"},
      {5, "CreateLoginProfile", {"iam:CreateLoginProfile"}, true,
       "set a console password on a user that has none and sign in as that user"},
      {6, "UpdateLoginProfile", {"iam:UpdateLoginProfile"}, true,
       "change another user's console password and sign in as that user"},
      {7, "AttachUserPolicy", {"iam:AttachUserPolicy"}, true,
       "attach a managed policy such as AdministratorAccess to the principal or another user"},
      {8, "AttachGroupPolicy", {"iam:AttachGroupPolicy"}, true,
       "attach a managed policy to a group the principal belongs to"},
      {9, "AttachRolePolicy", {"iam:AttachRolePolicy"}, true,
       "attach a managed policy to a role the principal can assume"},
      {10, "PutUserPolicy", {"iam:PutUserPolicy"}, true,
       "write an inline policy that grants any permission to the principal or another user"},
      {11, "PutGroupPolicy", {"iam:PutGroupPolicy"}, true,
       "write an inline policy onto a group the principal belongs to"},
      {12, "PutRolePolicy", {"iam:PutRolePolicy"}, true,
       "write an inline policy onto a role the principal can assume"},
      {13, "AddUserToGroup", {"iam:AddUserToGroup"}, true,
       "add the principal or another user to a more privileged group"},
      {14, "UpdatingAssumeRolePolicy", {"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"}, true,
       "rewrite a privileged role's trust policy to trust the principal, then assume the role"},
      {15, "PassExistingRoleToNewLambdaThenInvoke",
       {"iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"}, false,
       "create a Lambda function that runs with a privileged role and invoke it"},
      {16, "PassRoleToNewLambdaThenTriggerWithNewDynamo",
       {"iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"}, false,
       "create a Lambda function with a privileged role and have a DynamoDB stream trigger it "
       "(an existing table, or one made with dynamodb:CreateTable)"},
      {17, "EditExistingLambdaFunctionWithRole", {"lambda:UpdateFunctionCode"}, false,
       "replace the code of an existing Lambda function that runs with a privileged role"},
      {18, "PassExistingRoleToNewGlueDevEndpoint", {"iam:PassRole", "glue:CreateDevEndpoint"}, false,
       "create a Glue development endpoint with a privileged role and use its credentials over SSH"},
      {19, "UpdateExistingGlueDevEndpoint", {"glue:UpdateDevEndpoint"}, false,
       "add an attacker's SSH key to an existing Glue development endpoint and use the endpoint's role"},
      {20, "PassExistingRoleToCloudFormation", {"iam:PassRole", "cloudformation:CreateStack"}, false,
       "create a CloudFormation stack that runs with a privileged role"},
      {21, "PassExistingRoleToNewDataPipeline",
       {"iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"}, false,
       "create a Data Pipeline whose definition runs commands with a privileged role (starting it "
       "on demand also takes datapipeline:ActivatePipeline)"},
  };
  return paths;
}

std::vector<PathMatch> find_escalation_paths(std::span<const core::Grant> grants) {
  std::vector<PathMatch> matches;
  for (const auto& path : escalation_paths()) {
    PathMatch match;
    match.path = &path;
    bool all_allowed = true;
    for (std::string_view action : path.actions) {
      Evaluation evaluation = evaluate(grants, action, kAnyResource);
      if (!evaluation.allowed()) {
        all_allowed = false;
        break;
      }
      match.conditional = match.conditional || evaluation.conditional;
      match.evaluations.push_back(evaluation);
    }
    if (all_allowed) matches.push_back(std::move(match));
  }
  return matches;
}

}  // namespace keyward::posture::policy
