// aws.identity.machine_with_console_password: an identity classified as a machine that also has
// a console password. A workload never signs in to the console, so the password only lets people
// act as the machine identity, with its permissions and under its name (OWASP NHI10, Human Use
// of NHI). Without MFA the password is also a phishable way in.

#include <fmt/format.h>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

const core::Credential* find_console_password(const Inventory& inventory, const core::Identity& identity) {
  auto credentials = inventory.credentials.find(identity.id);
  if (credentials == inventory.credentials.end()) return nullptr;
  for (const auto& credential : credentials->second) {
    if (credential.kind == "aws_console_password" && credential.status == "active") return &credential;
  }
  return nullptr;
}

std::string describe_attribute(const nlohmann::json& attributes, const char* key) {
  auto found = attributes.find(key);
  if (found == attributes.end() || found->is_null()) return "N/A";
  return found->is_string() ? found->get<std::string>() : found->dump();
}

class MachineConsolePasswordCheck final : public Check {
 public:
  std::string_view id() const override { return "aws.identity.machine_with_console_password"; }
  std::string_view title() const override { return "Machine identity has a console password"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI10"; }
  std::string_view description() const override {
    return "A machine identity with a console password invites people to sign in as it, bypassing personal accountability and MFA.";
  }
  std::vector<std::string_view> platforms() const override { return {"aws"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.classification != core::Classification::machine || identity.kind != "iam_user") continue;
      const core::Credential* password = find_console_password(inventory, identity);
      const bool enabled = identity.attributes.value("password_enabled", nlohmann::json()) == true;
      if (!password && !enabled) continue;
      findings.push_back(make_finding(identity, password, inventory));
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const core::Credential* password,
                             const Inventory& inventory) const {
    core::Finding finding = start_finding(*this, identity, password);
    const nlohmann::json& attributes = identity.attributes;
    finding.evidence.push_back(make_evidence(
        fmt::format("classified machine: {}", identity.classification_reason)));
    finding.evidence.push_back(make_evidence(fmt::format(
        "password_enabled true, password_last_used {}, mfa_active {}, as of {}",
        describe_attribute(attributes, "password_last_used"), describe_attribute(attributes, "mfa_active"),
        describe_as_of(inventory))));
    finding.remediation = fmt::format("aws iam delete-login-profile --user-name {}", identity.name);
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(MachineConsolePasswordCheck);

}  // namespace keyward::posture
