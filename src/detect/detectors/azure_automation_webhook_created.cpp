// azure.automation.webhook_created: a webhook is added to an Azure Automation runbook. The webhook
// URL is a bearer credential: anyone holding it starts the runbook, which runs with the
// Automation account's managed identity or Run As credentials, without signing in.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/azure_activity_fields.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "azure.automation.webhook_created";
constexpr std::string_view kTitle = "Automation runbook webhook created";

class AutomationWebhookCreated final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A webhook is created or changed on an Azure Automation account (Azure Activity Log): its secret URL "
           "runs a runbook with the account's identity, a known way to keep access without signing in.";
  }
  std::vector<std::string_view> platforms() const override { return {"entra"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (!azure::is_activity_log_event(event) || !event.error_code.empty()) return;
    const std::string operation = azure::lower(event.event_name);
    // WRITE creates or updates; ACTION is logged by older API versions for the same call.
    if (operation != "microsoft.automation/automationaccounts/webhooks/write" &&
        operation != "microsoft.automation/automationaccounts/webhooks/action") {
      return;
    }

    const std::string resource = azure::resource_id_of(event);
    const std::string account = azure::resource_name_after(resource, "automationAccounts");
    const std::string webhook = azure::resource_name_after(resource, "webhooks");
    const bool by_machine = event.actor_kind == core::ActorKind::machine;
    core::Alert alert = make_alert(kId, kTitle, by_machine ? core::Severity::high : core::Severity::medium,
                                   by_machine ? 70 : 55, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} created or changed webhook {} of Automation account {} from {}", azure::describe_caller(event),
                           webhook.empty() ? std::string("(name not logged)") : baseline::printable(webhook, 120),
                           account.empty() ? std::string("(not logged)") : baseline::printable(account, 80),
                           event.source_ip.empty() ? std::string_view("an unlogged address") : event.source_ip)));
    alert.remediation = fmt::format(
        "Check which runbook the webhook starts and who asked for it. If nobody did, delete it under Automation "
        "account > Webhooks in the portal (or with Remove-AzAutomationWebhook), review the runbook's recent jobs and "
        "contain the caller: {}",
        azure::contain_caller(event));
    alert.dedupe_key = event.event_id.empty() ? fmt::format("{}|{}", azure::lower(resource), event.time)
                                              : std::string(event.event_id);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(AutomationWebhookCreated);

}  // namespace
}  // namespace keyward::detect
