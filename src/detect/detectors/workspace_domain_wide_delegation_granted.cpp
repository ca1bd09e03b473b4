// workspace.admin.domain_wide_delegation_granted: an admin authorizes an API client for
// domain-wide delegation (Admin console > Security > API controls). The client's service account
// can then impersonate every user of the domain within the granted scopes, without any user's
// consent, which makes it the strongest non-human identity a Workspace tenant has.

#include <fmt/format.h>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/workspace_parameters.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "workspace.admin.domain_wide_delegation_granted";
constexpr std::string_view kTitle = "Domain-wide delegation granted to an API client";

class DomainWideDelegationGranted final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An admin authorizes an API client for domain-wide delegation, so its service account can act as any "
           "user of the domain within the granted scopes.";
  }
  std::vector<std::string_view> platforms() const override { return {"workspace"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    if (event.event_source != "admin" || event.event_name != "AUTHORIZE_API_CLIENT_ACCESS") return;
    if (!event.error_code.empty()) return;
    const workspace::EventParameters parameters(event);
    const std::string client = parameters.text("API_CLIENT_NAME");
    std::vector<std::string> scopes = parameters.values("API_SCOPES");
    // Some exports carry the scope list as one comma-separated value.
    if (scopes.size() == 1 && scopes.front().find(',') != std::string::npos) {
      std::vector<std::string> split;
      std::string_view rest = scopes.front();
      while (!rest.empty()) {
        const size_t comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        if (!item.empty()) split.emplace_back(item);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
      scopes = std::move(split);
    }
    const std::string client_text = client.empty() ? std::string("an unnamed API client") : baseline::printable(client, 120);
    std::vector<std::string> shown;
    for (const std::string& scope : scopes) shown.push_back(baseline::printable(scope, 120));

    // The network distinguishes a planned change from the office from one made with a stolen
    // admin session through a VPN or a rented server.
    std::string source = event.source_ip.empty() ? std::string("not logged") : baseline::printable(event.source_ip, 64);
    const core::EventEnrichment& enrichment = event.enrichment;
    if (enrichment.asn != 0) {
      source += fmt::format(", AS{}", enrichment.asn);
      if (!enrichment.asn_org.empty()) source += " " + enrichment.asn_org;
    }
    if (!enrichment.network_class.empty()) source += ", " + enrichment.network_class;
    if (!enrichment.country.empty()) source += ", " + enrichment.country;

    core::Alert alert = make_alert(kId, kTitle, core::Severity::critical, 90, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} authorized API client {} for domain-wide delegation with scopes {} (source IP {})",
                           event.identity_id, client_text, shown.empty() ? std::string("(none logged)") : baseline::join_values(shown, 10),
                           source)));
    alert.remediation = fmt::format(
        "Confirm the change with {}. If it was not planned, delete client {} under Admin console > Security > API "
        "controls > Domain-wide delegation, disable the keys of the service account that owns it, and sign the admin "
        "out: {}",
        event.identity_id, client_text, workspace::sign_out_command(event.identity_id));
    alert.dedupe_key = fmt::format("{}|{}", event_dedupe_key(event), client);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(DomainWideDelegationGranted);

}  // namespace
}  // namespace keyward::detect
