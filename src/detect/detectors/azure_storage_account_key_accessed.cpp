// azure.storage.account_key_accessed: a storage account's shared keys are listed or regenerated.
// An account key is a long-lived credential with full control of the account's data, valid from
// anywhere until rotated, so each read is an exposure of a non-human credential whoever reads it.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/azure_activity_fields.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "azure.storage.account_key_accessed";
constexpr std::string_view kTitle = "Storage account key listed or regenerated";

class StorageAccountKeyAccessed final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A caller lists or regenerates the shared keys of a storage account (Azure Activity Log). A listed key "
           "gives full access to the account's data from anywhere until it is rotated.";
  }
  std::vector<std::string_view> platforms() const override { return {"entra"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!azure::is_activity_log_event(event) || !event.error_code.empty()) return;
    const std::string operation = azure::lower(event.event_name);
    const bool listed = operation == "microsoft.storage/storageaccounts/listkeys/action";
    const bool regenerated = operation == "microsoft.storage/storageaccounts/regeneratekey/action";
    if (!listed && !regenerated) return;

    const std::string resource = azure::resource_id_of(event);
    const std::string account = azure::resource_name_after(resource, "storageAccounts");
    const bool by_machine = event.actor_kind == core::ActorKind::machine;
    core::Alert alert = make_alert(kId, kTitle, core::Severity::medium, by_machine ? 60 : 50, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} {} the keys of storage account {} from {}", azure::describe_caller(event),
                           listed ? "listed" : "regenerated",
                           account.empty() ? std::string("(name not logged)") : baseline::printable(account, 80),
                           event.source_ip.empty() ? std::string_view("an unlogged address") : event.source_ip)));
    alert.remediation = fmt::format(
        "Confirm that the caller needs the account key; prefer Entra ID authorization and disable shared key "
        "access. If the read was not expected, rotate both keys with az storage account keys renew -n {} "
        "--key primary (then --key secondary) and contain the caller: {}",
        account.empty() ? std::string("ACCOUNT") : shell_safe_account(account), azure::contain_caller(event));
    // One alert per caller, account and day: tools list keys on every run.
    alert.dedupe_key = fmt::format("{}|{}|{}|{}", event.identity_id, azure::lower(resource), listed ? "list" : "regenerate",
                                   core::format_date(event.time));
    ctx.raise(std::move(alert));
  }

 private:
  // Storage account names are 3-24 lower-case letters and digits; anything else is shown as a placeholder.
  static std::string shell_safe_account(const std::string& name) {
    for (char c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c))) return "ACCOUNT";
    }
    return name;
  }
};

KEYWARD_REGISTER_DETECTOR(StorageAccountKeyAccessed);

}  // namespace
}  // namespace keyward::detect
