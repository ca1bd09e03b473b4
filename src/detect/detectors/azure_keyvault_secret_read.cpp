// azure.keyvault.secret_read: a service principal, managed identity or unlogged caller reads,
// recovers or backs up a Key Vault secret value through Azure Resource Manager. Secrets in a
// vault are mostly other workloads' credentials, so reading one is how a stolen identity widens
// its reach.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/azure_activity_fields.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "azure.keyvault.secret_read";
constexpr std::string_view kTitle = "Key Vault secret read or recovered by a non-human caller";

class KeyVaultSecretRead final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A Key Vault secret value is read, recovered from soft delete or backed up (Azure Activity Log) by a "
           "service principal, a managed identity or a caller the record does not name.";
  }
  std::vector<std::string_view> platforms() const override { return {"entra"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!azure::is_activity_log_event(event) || !event.error_code.empty() || is_human_actor(event)) return;
    const std::string operation = azure::lower(event.event_name);
    const bool read = operation == "microsoft.keyvault/vaults/secrets/getsecret/action";
    const bool recovered = operation == "microsoft.keyvault/vaults/secrets/recover/action";
    const bool backed_up = operation == "microsoft.keyvault/vaults/secrets/backup/action";
    if (!read && !recovered && !backed_up) return;

    const std::string resource = azure::resource_id_of(event);
    const std::string vault = azure::resource_name_after(resource, "vaults");
    const std::string secret = azure::resource_name_after(resource, "secrets");
    std::string_view verb = "backed up";
    if (read) verb = "read";
    if (recovered) verb = "recovered from soft delete";
    // Recovering a deleted secret brings back a credential someone meant to retire.
    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, recovered ? 60 : 55, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} {} secret {} of vault {} from {}", azure::describe_caller(event), verb,
                           secret.empty() ? std::string("(name not logged)") : baseline::printable(secret, 120),
                           vault.empty() ? std::string("(not logged)") : baseline::printable(vault, 80),
                           event.source_ip.empty() ? std::string_view("an unlogged address") : event.source_ip)));
    alert.remediation = fmt::format(
        "Confirm that this identity reads the secret by design (check the vault's access policies or role "
        "assignments). If not, rotate the credential stored in the secret and contain the caller: {}",
        azure::contain_caller(event));
    alert.dedupe_key = fmt::format("{}|{}|{}|{}", event.identity_id, azure::lower(resource), verb, core::format_date(event.time));
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(KeyVaultSecretRead);

}  // namespace
}  // namespace keyward::detect
