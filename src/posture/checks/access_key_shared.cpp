// aws.access_key.shared: one access key used from several unrelated networks or by several
// unrelated client toolchains, from the activity summaries of ingested CloudTrail. One key in
// several places means several workloads (or people) share one identity, so none of them can be
// distinguished, cut off or scoped on its own (OWASP NHI9, NHI Reuse).
//
// Thresholds, per key over everything ingested:
//   - kMinNetworks distinct autonomous systems. Summaries name a network "AS<number>" once the
//     event was enriched with ASN data; bare IP addresses are not counted, because several
//     addresses of one NAT pool or cloud region are one place, not several.
//   - kMinToolchains distinct client toolchains. User-agent families that share an HTTP stack
//     count once: the AWS CLI and boto3 are both botocore, Terraform is the Go SDK. Two
//     toolchains are not enough, because one pipeline running both the AWS CLI and Terraform
//     is common; three different runtimes behind one key rarely belong to one workload.
// Families of AWS services acting for the key holder (aws-console, aws-service, cloudformation,
// *.amazonaws.com) and unrecognized agents (other, unknown) are not counted.

#include <fmt/format.h>

#include <set>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

constexpr size_t kMinNetworks = 3;
constexpr size_t kMinToolchains = 3;

bool is_asn_network(std::string_view network) {
  if (network.size() < 3 || network.substr(0, 2) != "AS") return false;
  for (char c : network.substr(2)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Maps a user-agent family to the client stack behind it, or "" for one that does not identify
// the key holder's own tool.
std::string toolchain_of(std::string_view family) {
  if (family.empty() || family == "unknown" || family == "other" || family == "console" || family == "aws-console" ||
      family == "aws-service" || family == "cloudformation" || ends_with(family, ".amazonaws.com") ||
      starts_with(family, "aws-internal")) {
    return {};
  }
  if (starts_with(family, "aws-cli") || starts_with(family, "aws-sdk-python") || starts_with(family, "boto")) {
    return "botocore";
  }
  // The Terraform AWS provider and Pulumi's AWS provider are both built on the Go SDK.
  if (starts_with(family, "terraform") || starts_with(family, "pulumi") || starts_with(family, "aws-sdk-go")) {
    return "aws-sdk-go";
  }
  if (starts_with(family, "aws-sdk-js") || starts_with(family, "aws-sdk-nodejs")) return "aws-sdk-js";
  if (starts_with(family, "aws-sdk-dotnet") || starts_with(family, "powershell") ||
      starts_with(family, "aws-tools-powershell")) {
    return "aws-sdk-dotnet";
  }
  return std::string(family);
}

class AccessKeySharedCheck final : public Check {
 public:
  std::string_view id() const override { return "aws.access_key.shared"; }
  std::string_view title() const override { return "Access key used from unrelated networks or toolchains"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI9"; }
  std::string_view description() const override {
    return "One access key used from many unrelated networks or clients is usually shared between services or people, so no single owner can rotate it and misuse hides in its normal traffic.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      auto keys = inventory.credentials.find(identity.id);
      if (keys == inventory.credentials.end()) continue;
      for (const auto& key : keys->second) {
        if (key.kind != "aws_access_key") continue;
        auto activity = inventory.activity_by_credential.find(key.id);
        if (activity == inventory.activity_by_credential.end()) continue;
        std::set<std::string> networks;
        for (const auto& network : activity->second.networks) {
          if (is_asn_network(network)) networks.insert(network);
        }
        std::set<std::string> toolchains;
        for (const auto& family : activity->second.user_agent_families) {
          if (std::string toolchain = toolchain_of(family); !toolchain.empty()) toolchains.insert(toolchain);
        }
        if (networks.size() < kMinNetworks && toolchains.size() < kMinToolchains) continue;
        findings.push_back(make_finding(identity, key, activity->second, networks, toolchains, inventory));
      }
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const core::Credential& key,
                             const ActivityProfile& activity, const std::set<std::string>& networks,
                             const std::set<std::string>& toolchains, const Inventory& inventory) const {
    core::Finding finding = start_finding(*this, identity, &key);
    const std::string period = fmt::format("between {} and {}", core::format_time(activity.first_seen.value_or(0)),
                                           core::format_time(activity.last_seen.value_or(0)));
    if (networks.size() >= kMinNetworks) {
      finding.evidence.push_back(make_evidence(
          fmt::format("{} was used from {} autonomous systems ({}) {} (limit {})", describe_key(key), networks.size(),
                      fmt::join(networks, ", "), period, kMinNetworks - 1),
          activity.last_seen));
    }
    if (toolchains.size() >= kMinToolchains) {
      finding.evidence.push_back(make_evidence(
          fmt::format("{} was used by {} client toolchains ({}; user-agent families {}) {} (limit {})",
                      describe_key(key), toolchains.size(), fmt::join(toolchains, ", "),
                      fmt::join(activity.user_agent_families, ", "), period, kMinToolchains - 1),
          activity.last_seen));
    }
    finding.evidence.push_back(make_evidence(
        fmt::format("{} events in the ingested activity summaries, as of {}", activity.events, describe_as_of(inventory))));
    finding.remediation = fmt::format(
        "# give each consumer its own identity, preferably an IAM role per workload; where a consumer\n"
        "# needs a key, a user of its own:\n"
        "aws iam create-user --user-name <CONSUMER>\n"
        "aws iam create-access-key --user-name <CONSUMER>\n"
        "# when every consumer has moved:\n{}",
        deactivate_then_delete(identity, key));
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(AccessKeySharedCheck);

}  // namespace keyward::posture
