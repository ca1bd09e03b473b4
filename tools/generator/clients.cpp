#include "tools/generator/clients.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>

#include "tools/generator/random.hpp"

namespace keyward::generator {
namespace {

constexpr std::array<NetworkBlock, 16> kBlocks = {{
    {"aws-us-east-1", "US", 14618, "AMAZON-AES", "3.208.0.0/12"},
    {"aws-eu-west-1", "IE", 16509, "AMAZON-02", "34.240.0.0/13"},
    {"gcp-us-central1", "US", 396982, "GOOGLE-CLOUD-PLATFORM", "35.184.0.0/16"},
    {"azure-us-east", "US", 8075, "MICROSOFT-CORP-MSN-AS-BLOCK", "20.102.0.0/16"},
    {"office-zayo", "US", 6461, "ZAYO-6461", "64.125.112.0/20"},
    {"comcast", "US", 7922, "COMCAST-7922", "73.0.0.0/8"},
    {"charter", "US", 20115, "CHARTER-20115", "174.96.0.0/12"},
    {"verizon", "US", 701, "UUNET", "108.28.0.0/16"},
    {"telekom", "DE", 3320, "Deutsche Telekom AG", "79.192.0.0/10"},
    {"bt", "GB", 2856, "British Telecommunications PLC", "86.128.0.0/10"},
    {"hetzner-fi", "FI", 24940, "Hetzner Online GmbH", "65.21.0.0/17"},
    {"digitalocean-sg", "SG", 14061, "DIGITALOCEAN-ASN", "128.199.64.0/18"},
    {"digitalocean-nl", "NL", 14061, "DIGITALOCEAN-ASN", "188.166.0.0/17"},
    {"digitalocean-de", "DE", 14061, "DigitalOcean, LLC", "159.65.0.0/16"},
    {"m247-nl", "NL", 9009, "M247 Europe SRL", "45.83.64.0/22"},
    {"vpn-se", "SE", 39351, "31173 Services AB", "185.213.154.0/24"},
}};

struct Cidr {
  std::uint32_t base = 0;
  int prefix = 32;
};

Cidr parse_cidr(std::string_view text) {
  Cidr cidr;
  const size_t slash = text.find('/');
  std::string_view address = text.substr(0, slash);
  for (int octet = 0; octet < 4; ++octet) {
    const size_t dot = address.find('.');
    unsigned value = 0;
    std::from_chars(address.data(), address.data() + (dot == std::string_view::npos ? address.size() : dot), value);
    cidr.base = (cidr.base << 8) | (value & 0xff);
    address = dot == std::string_view::npos ? std::string_view() : address.substr(dot + 1);
  }
  std::string_view prefix = text.substr(slash + 1);
  std::from_chars(prefix.data(), prefix.data() + prefix.size(), cidr.prefix);
  return cidr;
}

}  // namespace

const NetworkBlock& network_block(Network network) { return kBlocks[static_cast<size_t>(network)]; }

std::string random_ip(Network network, Rng& rng) {
  const Cidr cidr = parse_cidr(network_block(network).cidr);
  const std::uint32_t host_bits = 32 - static_cast<std::uint32_t>(cidr.prefix);
  const std::uint32_t subnets = host_bits > 8 ? (1u << (host_bits - 8)) : 1u;
  const std::uint32_t subnet = static_cast<std::uint32_t>(rng.uniform(0, subnets - 1));
  const std::uint32_t host = static_cast<std::uint32_t>(rng.uniform(1, 254));
  const std::uint32_t address = cidr.base | (subnet << 8) | host;
  return fmt::format("{}.{}.{}.{}", address >> 24, (address >> 16) & 0xff, (address >> 8) & 0xff, address & 0xff);
}

std::string_view user_agent(Agent agent) {
  switch (agent) {
    case Agent::go_sdk:
      return "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64";
    case Agent::python_sdk:
      return "Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.9 "
             "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.144";
    case Agent::python_sdk_lambda:
      return "Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.224-236.876.amzn2.x86_64 md/arch#x86_64 "
             "lang/python#3.12.5 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy "
             "Botocore/1.34.145";
    case Agent::java_sdk:
      return "aws-sdk-java/2.26.25 Linux/5.10.220-209.869.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.4+7-LTS "
             "Java/21.0.4 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy";
    case Agent::node_sdk:
      return "aws-sdk-js/3.637.0 ua/2.1 os/linux#5.10.223-211.872.amzn2.x86_64 lang/js md/nodejs#20.17.0";
    case Agent::cli_linux:
      return "aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.9 "
             "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off";
    case Agent::cli_macos:
      return "aws-cli/2.17.37 md/awscrt#0.21.2 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.11.9 "
             "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off";
    case Agent::cli_kali:
      return "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.6.9-amd64 md/arch#x86_64 lang/python#3.11.8 "
             "md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/distrib#kali.2024 md/prompt#off";
    case Agent::terraform:
      return "APN/1.0 HashiCorp/1.0 Terraform/1.9.3 (+https://www.terraform.io) terraform-provider-aws/5.61.0 "
             "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.3 ua/2.0 os/linux "
             "lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64";
    case Agent::browser_chrome_mac:
      return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/130.0.0.0 Safari/537.36";
    case Agent::browser_firefox_windows:
      return "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0";
    case Agent::browser_safari_mac:
      return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Version/18.1 Safari/605.1.15";
    case Agent::console_internal:
      return "AWS Internal";
    case Agent::datadog:
      return "aws-sdk-go/1.44.327 (go1.21.6; linux; amd64)";
    case Agent::github_configure_credentials:
      return "configure-aws-credentials-for-github-actions";
    case Agent::legacy_python_sdk:
      return "Boto3/1.26.45 Python/3.8.16 Linux/4.14.336-257.562.amzn2.x86_64 Botocore/1.29.45";
  }
  return "";
}

bool agent_takes_command(Agent agent) {
  return agent == Agent::cli_linux || agent == Agent::cli_macos || agent == Agent::cli_kali;
}

std::string cli_command(std::string_view service, std::string_view operation) {
  std::string command(service == "monitoring" ? "cloudwatch" : service);
  if (command == "s3") command = "s3api";
  command += '.';
  for (size_t i = 0; i < operation.size(); ++i) {
    const char c = operation[i];
    if (c >= 'A' && c <= 'Z') {
      if (i > 0) command += '-';
      command += static_cast<char>(c - 'A' + 'a');
    } else if (c >= '0' && c <= '9') {
      break;  // versioned operation names such as ListFunctions20150331
    } else {
      command += c;
    }
  }
  return command;
}

}  // namespace keyward::generator
