// gcp.compute.os_login_to_service_account_vm: OS Login lets a caller log in to a VM that runs as
// a service account, and this caller never logged in to a VM of that service account before.
// Every process on the VM can ask the metadata server for the attached service account's access
// tokens, which is why Google requires roles/iam.serviceAccountUser for such logins: a login is a
// way to act as the service account without a key. The pairs are few and stable, so a new one
// is a new path to the account's rights. Like gcp.iam.first_impersonation_pair there is no
// learning period: each pair alerts once, and a first ingest lists the paths in use.
// OS Login writes the check to the Data Access audit log as CheckPolicy, with the VM's service
// account in the request. Projects that do not enable Data Access logs for OS Login produce none.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/gcp_audit_fields.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "gcp.compute.os_login_to_service_account_vm";
constexpr std::string_view kTitle = "First OS Login to a VM running as this service account";
const std::string kDimension = "os_login_service_account";

class OsLoginToServiceAccountVm final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "A caller logs in through OS Login to a VM running as a service account it never reached that way "
           "before; on the VM it can read the account's tokens from the metadata server.";
  }
  std::vector<std::string_view> platforms() const override { return {"gcp"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "oslogin.googleapis.com" || !event.event_name.ends_with(".CheckPolicy")) return;
    if (!event.error_code.empty() || event.identity_id.empty()) return;
    const nlohmann::json request = gcp::parse_object(event.request_parameters);
    const std::string service_account = gcp::string_at(request, "serviceAccount");
    if (service_account.empty()) return;
    // response.success is false when OS Login rejected the login.
    const nlohmann::json response = gcp::parse_object(event.response_elements);
    const auto success = response.find("success");
    if (success == response.end() || !success->is_boolean() || !success->get<bool>()) return;
    const std::string policy = gcp::string_at(request, "policy");
    if (policy != "LOGIN" && policy != "ADMIN_LOGIN") return;

    const std::string entity = fmt::format("gcp:{}", event.identity_id);
    if (ctx.observe(entity, kDimension, service_account, event.time)) return;

    const std::string instance = gcp::string_at(request, "instance");
    const std::string zone = gcp::string_at(request, "zone");
    const std::string project = gcp::string_at(request, "projectId");
    const bool admin = policy == "ADMIN_LOGIN";
    const bool machine = event.actor_kind == core::ActorKind::machine;
    std::string description = fmt::format(
        "{} was allowed an OS Login{} to VM {} ({}{}{}), which runs as {}; keyward has no earlier login of this "
        "caller to a VM of that service account",
        baseline::printable(event.identity_id, 120), admin ? " with administrator (sudo) rights" : "",
        instance.empty() ? std::string("(not logged)") : baseline::printable(instance, 120),
        project.empty() ? std::string("project not logged") : baseline::printable(project, 64), zone.empty() ? "" : ", ",
        baseline::printable(zone, 40), baseline::printable(service_account, 120));
    if (machine) description += "; the caller is itself a workload identity, so a script is logging in to VMs";

    core::Alert alert = make_alert(kId, kTitle, machine ? core::Severity::high : core::Severity::medium,
                                   machine ? 70 : 50, event);
    alert.evidence.push_back(make_evidence(event, std::move(description)));
    alert.remediation = fmt::format(
        "Confirm the caller needs a shell on VMs of {}. If not, remove its roles/compute.osLogin or "
        "roles/compute.osAdminLogin and roles/iam.serviceAccountUser bindings, and contain the caller: {}",
        baseline::printable(service_account, 120), containment_command(event));
    alert.dedupe_key = fmt::format("{}|{}", entity, service_account);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(OsLoginToServiceAccountVm);

}  // namespace
}  // namespace keyward::detect
