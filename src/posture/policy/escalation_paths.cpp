#include "posture/policy/escalation_paths.hpp"

#include <fmt/format.h>

namespace keyward::posture::policy {
namespace {

using T = Target;

constexpr std::string_view kPassRole = "iam:PassRole";

// Evaluates `action` on kAnyResource and on each target resource; returns the first allowed
// evaluation, preferring one whose conditions are decided, and the resource it was allowed on.
bool evaluate_on_targets(std::span<const core::Grant> grants, std::string_view action,
                         const std::vector<std::string>& resources, const RequestContext& context,
                         Evaluation& best, std::string& best_resource) {
  bool found = false;
  auto consider = [&](std::string_view resource) {
    Evaluation evaluation = evaluate(grants, action, resource, context);
    if (!evaluation.allowed()) return false;
    if (!found || (best.conditional && !evaluation.conditional)) {
      best = std::move(evaluation);
      best_resource = std::string(resource);
      found = true;
    }
    return !best.conditional;
  };
  if (consider(kAnyResource)) return true;
  for (const auto& resource : resources) {
    if (consider(resource)) return true;
  }
  return found;
}

}  // namespace

const std::vector<EscalationPath>& escalation_paths() {
  static const std::vector<EscalationPath> paths = {
      {1, "CreateNewPolicyVersion", {"iam:CreatePolicyVersion"}, {T::own_policy}, "", true,
       "write a new default version of a customer managed policy attached to the principal, granting any permission"},
      {2, "SetExistingDefaultPolicyVersion", {"iam:SetDefaultPolicyVersion"}, {T::own_policy}, "", true,
       "make an older, more permissive version of one of the principal's policies the default"},
      {3, "CreateEC2WithExistingInstanceProfile", {"iam:PassRole", "ec2:RunInstances"},
       {T::passable_role, T::any}, "ec2.amazonaws.com", false,
       "launch an instance with a privileged instance profile and take the role's credentials from the instance"},
      {4, "CreateAccessKey", {"iam:CreateAccessKey"}, {T::other_user}, "", true,
       "create an access key for a more privileged user"},
      {5, "CreateLoginProfile", {"iam:CreateLoginProfile"}, {T::other_user}, "", true,
       "set a console password on a user that has none and sign in as that user"},
      {6, "UpdateLoginProfile", {"iam:UpdateLoginProfile"}, {T::other_user}, "", true,
       "change another user's console password and sign in as that user"},
      {7, "AttachUserPolicy", {"iam:AttachUserPolicy"}, {T::user}, "", true,
       "attach a managed policy such as AdministratorAccess to the principal or another user"},
      {8, "AttachGroupPolicy", {"iam:AttachGroupPolicy"}, {T::own_group}, "", true,
       "attach a managed policy to a group the principal belongs to"},
      {9, "AttachRolePolicy", {"iam:AttachRolePolicy"}, {T::controlled_role}, "", true,
       "attach a managed policy to a role the principal can assume"},
      {10, "PutUserPolicy", {"iam:PutUserPolicy"}, {T::user}, "", true,
       "write an inline policy that grants any permission to the principal or another user"},
      {11, "PutGroupPolicy", {"iam:PutGroupPolicy"}, {T::own_group}, "", true,
       "write an inline policy onto a group the principal belongs to"},
      {12, "PutRolePolicy", {"iam:PutRolePolicy"}, {T::controlled_role}, "", true,
       "write an inline policy onto a role the principal can assume"},
      {13, "AddUserToGroup", {"iam:AddUserToGroup"}, {T::other_group}, "", true,
       "add the principal or another user to a more privileged group"},
      {14, "UpdatingAssumeRolePolicy", {"iam:UpdateAssumeRolePolicy", "sts:AssumeRole"},
       {T::privileged_role, T::privileged_role}, "", true,
       "rewrite a privileged role's trust policy to trust the principal, then assume the role"},
      {15, "PassExistingRoleToNewLambdaThenInvoke",
       {"iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"}, {T::passable_role, T::any, T::any},
       "lambda.amazonaws.com", false, "create a Lambda function that runs with a privileged role and invoke it"},
      {16, "PassRoleToNewLambdaThenTriggerWithNewDynamo",
       {"iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"},
       {T::passable_role, T::any, T::any}, "lambda.amazonaws.com", false,
       "create a Lambda function with a privileged role and have a DynamoDB stream trigger it "
       "(an existing table, or one made with dynamodb:CreateTable)"},
      {17, "EditExistingLambdaFunctionWithRole", {"lambda:UpdateFunctionCode"}, {T::any}, "", false,
       "replace the code of an existing Lambda function that runs with a privileged role"},
      {18, "PassExistingRoleToNewGlueDevEndpoint", {"iam:PassRole", "glue:CreateDevEndpoint"},
       {T::passable_role, T::any}, "glue.amazonaws.com", false,
       "create a Glue development endpoint with a privileged role and use its credentials over SSH"},
      {19, "UpdateExistingGlueDevEndpoint", {"glue:UpdateDevEndpoint"}, {T::any}, "", false,
       "add an attacker's SSH key to an existing Glue development endpoint and use the endpoint's role"},
      {20, "PassExistingRoleToCloudFormation", {"iam:PassRole", "cloudformation:CreateStack"},
       {T::passable_role, T::any}, "cloudformation.amazonaws.com", false,
       "create a CloudFormation stack that runs with a privileged role"},
      {21, "PassExistingRoleToNewDataPipeline",
       {"iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"},
       {T::passable_role, T::any, T::any}, "datapipeline.amazonaws.com", false,
       "create a Data Pipeline whose definition runs commands with a privileged role (starting it "
       "on demand also takes datapipeline:ActivatePipeline)"},
      {0, "CloudFormationUpdateStack", {"cloudformation:UpdateStack"}, {T::any}, "", false,
       "change the template of an existing stack so that its privileged service role creates what the attacker wants"},
      {0, "CodeBuildCreateProjectPassRole", {"iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"},
       {T::passable_role, T::any, T::any}, "codebuild.amazonaws.com", false,
       "create a CodeBuild project with a privileged service role and run a build that uses its credentials"},
      {0, "EC2InstanceConnect", {"ec2-instance-connect:SendSSHPublicKey"}, {T::any}, "", false,
       "push an SSH key to a running instance, log in and take its instance profile credentials"},
      {0, "SageMakerCreateNotebookPassRole",
       {"iam:PassRole", "sagemaker:CreateNotebookInstance", "sagemaker:CreatePresignedNotebookInstanceUrl"},
       {T::passable_role, T::any, T::any}, "sagemaker.amazonaws.com", false,
       "create a notebook instance with a privileged role and open it in a browser"},
      {0, "SageMakerCreatePresignedNotebookURL", {"sagemaker:CreatePresignedNotebookInstanceUrl"}, {T::any}, "",
       false, "open an existing notebook instance and run code with its role"},
      {0, "SageMakerCreateProcessingJobPassRole", {"iam:PassRole", "sagemaker:CreateProcessingJob"},
       {T::passable_role, T::any}, "sagemaker.amazonaws.com", false,
       "start a processing job that runs the attacker's container with a privileged role"},
      {0, "SageMakerCreateTrainingJobPassRole", {"iam:PassRole", "sagemaker:CreateTrainingJob"},
       {T::passable_role, T::any}, "sagemaker.amazonaws.com", false,
       "start a training job that runs the attacker's container with a privileged role"},
      {0, "SSMSendCommand", {"ssm:SendCommand"}, {T::any}, "", false,
       "run commands on managed instances and read their instance profile credentials"},
      {0, "SSMStartSession", {"ssm:StartSession"}, {T::any}, "", false,
       "open a shell on managed instances and read their instance profile credentials"},
  };
  return paths;
}

std::string path_label(const EscalationPath& path) {
  if (path.number == 0) return std::string(path.name);
  return fmt::format("privesc{} {}", path.number, path.name);
}

std::vector<PathMatch> find_escalation_paths(std::span<const core::Grant> grants, const RequestContext& context,
                                             const TargetResources& targets) {
  std::vector<PathMatch> matches;
  for (const auto& path : escalation_paths()) {
    PathMatch match;
    match.path = &path;
    bool all_allowed = true;
    for (std::size_t i = 0; i < path.actions.size(); ++i) {
      std::string_view action = path.actions[i];
      RequestContext action_context = context;
      if (action == kPassRole) action_context.passed_to_service = std::string(path.service);
      std::vector<std::string> resources;
      if (targets && path.targets[i] != Target::any) resources = targets(path.targets[i], path);

      Evaluation evaluation;
      std::string resource;
      if (!evaluate_on_targets(grants, action, resources, action_context, evaluation, resource)) {
        all_allowed = false;
        break;
      }
      match.conditional = match.conditional || evaluation.conditional;
      match.evaluations.push_back(std::move(evaluation));
      match.resources.push_back(std::move(resource));
    }
    if (all_allowed) matches.push_back(std::move(match));
  }
  return matches;
}

std::vector<PathMatch> find_escalation_paths(std::span<const core::Grant> grants) {
  return find_escalation_paths(grants, RequestContext{}, nullptr);
}

}  // namespace keyward::posture::policy
