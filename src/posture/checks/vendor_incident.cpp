// nhi.third_party.vendor_incident: an active third-party app of a vendor that had a publicly
// documented security incident in which the tokens or secrets it held for its customers were
// stolen, connected before the incident was disclosed. Its tokens may be in the stolen set, so
// they must be revoked and issued again (OWASP NHI3, Vulnerable Third-Party NHI). The incidents
// come from data/vendor-incidents.csv (inventory/vendor_incidents.hpp); without that file the
// check reports nothing.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "inventory/vendor_incidents.hpp"
#include "posture/checks/third_party_support.hpp"

namespace keyward::posture {
namespace {

class VendorIncidentCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.third_party.vendor_incident"; }
  std::string_view title() const override { return "Connected to a vendor with a known security incident"; }
  core::Severity severity() const override { return core::Severity::high; }
  std::string_view owasp() const override { return "NHI3"; }
  std::string_view description() const override {
    return "When a vendor that holds OAuth tokens or secrets for its customers is breached, every connection made "
           "before the breach may be in the attacker's hands. Tokens issued before the disclosure must be revoked "
           "and issued again, even if the vendor says it rotated them.";
  }
  std::vector<std::string_view> platforms() const override { return {"*"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    auto loaded = inventory::load_vendor_incidents("");
    if (!loaded.ok()) {
      // NOTE: run() cannot return an error, so a malformed list is logged and the check is skipped.
      spdlog::error("{}; nhi.third_party.vendor_incident was skipped", loaded.error().describe());
      return;
    }
    if (!loaded->has_value()) return;
    const inventory::VendorIncidentList& incidents = **loaded;

    for (const auto& entry : inventory.entries) {
      if (!is_active_third_party(entry)) continue;
      const std::vector<std::string> names = {entry.vendor, entry.publisher, entry.identity.name};
      for (const inventory::VendorIncident* incident : incidents.match(names)) {
        // A connection made after the disclosure got tokens issued after the vendor's response.
        if (entry.identity.created && *entry.identity.created >= incident->date) continue;
        findings.push_back(make_finding(entry, *incident, incidents.file()));
        break;
      }
    }
  }

 private:
  core::Finding make_finding(const report::InventoryEntry& entry, const inventory::VendorIncident& incident,
                             const std::string& file) const {
    core::Finding finding = start_app_finding(*this, entry);
    const std::string name = entry.identity.name.empty() ? entry.identity.id : entry.identity.name;
    finding.title = fmt::format("{} app connected before the {} incident of {}", incident.vendor,
                                core::format_date(incident.date), incident.vendor);
    finding.evidence.push_back(core::Evidence{
        fmt::format("{} incident disclosed {}: {} ({}; {} line {})", incident.vendor, core::format_date(incident.date),
                    incident.title, incident.reference, file, incident.line),
        {},
        incident.date});
    finding.evidence.push_back(core::Evidence{
        entry.identity.created
            ? fmt::format("{} {} connected {}, before the disclosure", entry.platform, entry.kind,
                          core::format_time(*entry.identity.created))
            : fmt::format("{} {}: the export does not say when it was connected, so it may predate the incident",
                          entry.platform, entry.kind),
        {},
        entry.identity.created});
    int tokens = 0;
    for (const auto& credential : entry.credentials) tokens += credential.status == "active" ? 1 : 0;
    if (tokens > 0) {
      finding.evidence.push_back(core::Evidence{
          fmt::format("{} active token{} or secret{} recorded for the app", tokens, tokens == 1 ? "" : "s",
                      tokens == 1 ? "" : "s"),
          {},
          std::nullopt});
    }
    if (!entry.scopes.empty()) {
      finding.evidence.push_back(
          core::Evidence{fmt::format("scopes: {}", join_limited(entry.scopes, 8)), {}, std::nullopt});
    }

    finding.remediation = fmt::format(
        "Revoke every token {} holds and let its owners reconnect it, so only tokens issued after the incident work; "
        "then review the platform's logs for use of the app since {}.",
        name, core::format_date(incident.date));
    finding.remediation_steps = remove_app_steps(entry);
    finding.remediation_steps.push_back(fmt::format("Read the incident report and the vendor's rotation guidance: {}",
                                                    incident.reference));
    finding.check_first = {"Whether the vendor or the platform already revoked the tokens (the report above says so "
                           "when it did)",
                           "Who owns the integration, so it is reconnected right after the revocation"};
    finding.safe_now = false;
    finding.safe_reason = "Revoking the tokens stops the integration until someone reconnects it.";
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(VendorIncidentCheck);

}  // namespace keyward::posture
