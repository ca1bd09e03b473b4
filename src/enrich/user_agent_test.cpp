#include "enrich/user_agent.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace keyward::enrich {
namespace {

struct Case {
  const char* user_agent;
  std::string_view family;
};

TEST(UserAgent, RecognizesAwsClients) {
  for (const Case& c : {
           Case{"aws-cli/2.15.59 md/awscrt#0.19.19 ua/2.0 os/macos#22.6.0 md/arch#arm64 lang/python#3.11.11 "
                "md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off "
                "md/command#sts.get-caller-identity",
                "aws-cli"},
           Case{"aws-cli/1.18.69 Python/3.8.3 Linux/5.4.0-42-generic botocore/1.17.12", "aws-cli"},
           Case{"Boto3/1.26.0 md/Botocore#1.29.0 ua/2.0 os/linux#5.15.0 lang/python#3.10.6 Botocore/1.29.0",
                "aws-sdk-python"},
           Case{"Botocore/1.31.0 ua/2.0 os/linux#6.1.0", "aws-sdk-python"},
           Case{"aws-sdk-go/1.38.37 (go1.16; linux; amd64) exec-env/AWS_Lambda_go1.x", "aws-sdk-go"},
           Case{"aws-sdk-go-v2/1.14.0 os/macos lang/go/1.17.6 md/GOOS/darwin md/GOARCH/arm64 api/iam/1.17.0",
                "aws-sdk-go-v2"},
           Case{"aws-sdk-java/1.12.400 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.6+10-LTS java/17.0.6", "aws-sdk-java"},
           Case{"aws-sdk-js/3.332.0 ua/2.0 os/linux#5.10 lang/js md/nodejs#18.16.0 api/sts#3.332.0", "aws-sdk-js"},
           Case{"aws-sdk-nodejs/2.1354.0 linux/v18.16.0 exec-env/AWS_Lambda_nodejs18.x", "aws-sdk-js"},
           Case{"aws-sdk-ruby3/3.171.0 ruby/3.2.1 x86_64-linux aws-sdk-iam/1.77.0", "aws-sdk-ruby"},
           Case{"aws-sdk-dotnet-coreclr/3.7.100.1 aws-sdk-dotnet-core/3.7.100.1 .NET_Core/6.0.13", "aws-sdk-dotnet"},
           Case{"aws-sdk-php/3.263.14 OS/Linux/5.15 lang/php/8.2.3", "aws-sdk-php"},
           Case{"aws-sdk-rust/0.55.1 os/linux lang/rust/1.68.2", "aws-sdk-rust"},
           Case{"aws-sdk-cpp/1.11.50 Linux/5.15 x86_64 GCC/12.2.0", "aws-sdk-cpp"},
       }) {
    EXPECT_EQ(classify_user_agent(c.user_agent).family, c.family) << c.user_agent;
    EXPECT_FALSE(classify_user_agent(c.user_agent).offensive) << c.user_agent;
  }
}

TEST(UserAgent, RecognizesInfrastructureAsCode) {
  EXPECT_EQ(classify_user_agent("APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) "
                                "terraform-provider-aws/5.17.0 aws-sdk-go-v2/1.21.0")
                .family,
            "terraform");
  EXPECT_EQ(classify_user_agent("aws-sdk-go/1.13.32 (go1.9.2; darwin; amd64) APN/1.0 HashiCorp/1.0 Terraform/0.11.7")
                .family,
            "terraform");
  EXPECT_EQ(classify_user_agent("APN/1.0 Pulumi/1.0 pulumi-aws/6.0.2 aws-sdk-go-v2/1.21.0").family, "pulumi");
  EXPECT_EQ(classify_user_agent("cloudformation.amazonaws.com").family, "cloudformation");
}

TEST(UserAgent, RecognizesConsoleAndServices) {
  for (const Case& c : {Case{"console.amazonaws.com", "aws-console"}, Case{"signin.amazonaws.com", "aws-console"},
                        Case{"AWS Internal", "aws-console"}, Case{"console.ec2.amazonaws.com", "aws-console"},
                        Case{"[S3Console/0.4, aws-internal/3 aws-sdk-java/1.11.1030]", "aws-console"},
                        Case{"lambda.amazonaws.com", "aws-service"}, Case{"sqs.amazonaws.com", "aws-service"},
                        Case{"aws-internal/3 aws-sdk-java/1.11.706 Linux/4.9.184 OpenJDK_64-Bit_Server_VM/25.242-b08",
                             "aws-service"},
                        Case{"awslambda-worker/1.0 rusoto/0.47.0 rust/1.55.0 linux", "aws-service"}}) {
    EXPECT_EQ(classify_user_agent(c.user_agent).family, c.family) << c.user_agent;
  }
}

TEST(UserAgent, RecognizesBrowsersAndScripts) {
  for (const Case& c : {
           Case{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/125.0.0.0 Safari/537.36",
                "browser"},
           Case{"Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19045; en-US) PowerShell/7.3.4", "powershell"},
           Case{"curl/8.4.0", "curl"},
           Case{"Wget/1.21.3", "wget"},
           Case{"python-requests/2.28.0", "python-requests"},
           Case{"Python-urllib/3.11", "python-urllib"},
           Case{"Go-http-client/1.1", "go-http-client"},
           Case{"Jersey/${project.version}", "other"},
           Case{"", "unknown"},
           Case{"   ", "unknown"},
       }) {
    EXPECT_EQ(classify_user_agent(c.user_agent).family, c.family) << c.user_agent;
  }
}

TEST(UserAgent, FlagsPentestDistributions) {
  for (const char* agent : {"aws-cli/1.18.69 Python/3.8.3 Linux/5.7.0-kali1-amd64 botocore/1.16.19",
                            "Boto3/1.9.253 Python/3.7.5 Linux/5.10.0-6parrot1-amd64 Botocore/1.12.253",
                            "aws-cli/2.13.0 Python/3.11.4 Linux/6.1.0-pentoo exe/x86_64.pentoo prompt/off",
                            "aws-cli/2.9.0 Python/3.9.11 Linux/6.0.0 exe/x86_64.kali.2022 prompt/off"}) {
    UserAgentInfo info = classify_user_agent(agent);
    EXPECT_TRUE(info.offensive) << agent;
    EXPECT_FALSE(info.marker.empty()) << agent;
    EXPECT_NE(info.family, "offensive-tool") << "the client family is kept: " << agent;
  }
  EXPECT_EQ(classify_user_agent("aws-cli/1.18.69 Python/3.8.3 Linux/5.7.0-kali1-amd64 botocore/1.16.19").marker,
            "Kali Linux");
}

TEST(UserAgent, IgnoresDistributionNamesInsideWords) {
  for (const char* agent : {"aws-sdk-java/1.12.0 app/kalimba-sync", "Boto3/1.26.0 app/parroting Botocore/1.29.0",
                            "aws-cli/2.13.0 Python/3.11.4 Linux/6.2.0-1009-aws exe/x86_64.ubuntu.22"}) {
    EXPECT_FALSE(classify_user_agent(agent).offensive) << agent;
  }
}

TEST(UserAgent, FlagsOffensiveTools) {
  struct ToolCase {
    const char* user_agent;
    const char* marker;
  };
  for (const ToolCase& c : {ToolCase{"stratus-red-team_ea782787-a65d-4fc4-9fca-1c97869a9a25", "Stratus Red Team"},
                            ToolCase{"TruffleHog", "TruffleHog"}, ToolCase{"Pacu/1.5.2 Boto3/1.26.0", "Pacu"},
                            ToolCase{"aws-sdk-go-v2/1.24.0 cloudfox/1.13.0", "CloudFox"}}) {
    UserAgentInfo info = classify_user_agent(c.user_agent);
    EXPECT_EQ(info.family, "offensive-tool") << c.user_agent;
    EXPECT_TRUE(info.offensive) << c.user_agent;
    EXPECT_EQ(info.marker, c.marker) << c.user_agent;
  }
}

TEST(UserAgent, AuditorsAreScannersNotOffensive) {
  for (const char* agent : {"Boto3/1.28.0 Python/3.11 Linux/6.1 Botocore/1.31.0 Scout Suite/5.13.0",
                            "Botocore/1.31.0 APN_1826889 Prowler/3.11.0", "CloudSploit Scanner"}) {
    UserAgentInfo info = classify_user_agent(agent);
    EXPECT_EQ(info.family, "security-scanner") << agent;
    EXPECT_FALSE(info.offensive) << agent;
  }
}

TEST(UserAgent, FamilyListCoversEveryResult) {
  const auto& families = user_agent_families();
  for (const char* agent : {"aws-cli/2.0", "Boto3/1.0", "aws-sdk-go-v2/1.0", "curl/8.0", "PowerShell/7.0", "",
                            "something", "TruffleHog", "Prowler/3.0", "lambda.amazonaws.com", "Mozilla/5.0",
                            "console.amazonaws.com", "Terraform/1.5", "Pulumi/3", "cloudformation.amazonaws.com",
                            "aws-sdk-cpp/1.11"}) {
    std::string family(classify_user_agent(agent).family);
    EXPECT_NE(std::find(families.begin(), families.end(), family), families.end()) << agent << " -> " << family;
  }
  EXPECT_EQ(std::count(families.begin(), families.end(), "aws-sdk-python"), 1);
}

}  // namespace
}  // namespace keyward::enrich
