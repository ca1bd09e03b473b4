// okta.trust.cross_tenant_changed: an Org2Org app or an identity provider is created or changed.
// An Org2Org app stores an API token of another Okta org and provisions users into it; an
// identity provider lets another tenant sign users in to this one. Both are machine trust
// between tenants, and attackers with admin access add them to sign in as any user (Okta's 2023
// warning about cross-tenant impersonation) or to copy users out.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "detect/detector.hpp"
#include "detect/detectors/entity_baseline.hpp"
#include "detect/detectors/okta_record.hpp"
#include "detect/event_helpers.hpp"

namespace keyward::detect {
namespace {

constexpr std::string_view kId = "okta.trust.cross_tenant_changed";
constexpr std::string_view kTitle = "Okta cross-tenant trust created or changed";

bool contains_ignoring_case(std::string_view text, std::string_view part) {
  auto found = std::search(text.begin(), text.end(), part.begin(), part.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
  return found != text.end();
}

// The Org2Org app or identity provider the event changed, described, or "" when it names none.
std::string trust_target(const nlohmann::json& record, bool identity_provider) {
  const nlohmann::json* targets = okta::member_at(record, {"target"});
  if (targets == nullptr || !targets->is_array()) return {};
  for (const nlohmann::json& target : *targets) {
    const std::string type = okta::string_at(target, {"type"});
    const std::string name = okta::string_at(target, {"displayName"});
    const std::string alternate = okta::string_at(target, {"alternateId"});
    const std::string id = okta::string_at(target, {"id"});
    const std::string label = baseline::printable(alternate.empty() || alternate == name ? name : fmt::format("{} ({})", alternate, name), 160);
    if (identity_provider && (type == "IdentityProvider" || type == "IdpConfig" || type.empty())) {
      return fmt::format("identity provider {}{}", label, id.empty() ? "" : fmt::format(" [{}]", baseline::printable(id, 64)));
    }
    if (!identity_provider && type == "AppInstance" &&
        (contains_ignoring_case(name, "org2org") || contains_ignoring_case(alternate, "org2org"))) {
      return fmt::format("Org2Org app {}{}", label, id.empty() ? "" : fmt::format(" [{}]", baseline::printable(id, 64)));
    }
  }
  return {};
}

class OktaCrossTenantTrustChanged final : public Detector {
 public:
  std::string_view id() const override { return kId; }
  std::string_view title() const override { return kTitle; }
  std::string_view description() const override {
    return "An Org2Org app or an identity provider is created or changed: trust with another tenant that attackers "
           "add to sign in as any user or to copy users out.";
  }
  std::vector<std::string_view> platforms() const override { return {"okta"}; }

  void on_event(const core::Event& event, DetectContext& ctx) override {
    const std::string_view name = event.event_name;
    const bool app_change = name == "application.lifecycle.create" || name == "application.lifecycle.update" ||
                            name == "application.lifecycle.activate";
    const bool idp_change = name == "system.idp.lifecycle.create" || name == "system.idp.lifecycle.update" ||
                            name == "system.idp.lifecycle.activate";
    if ((!app_change && !idp_change) || !event.error_code.empty()) return;
    const std::string target = trust_target(okta::parse_record(event), idp_change);
    if (target.empty()) return;

    const bool created = name.ends_with(".create");
    const std::string verb = created ? "created" : name.ends_with(".activate") ? "activated" : "changed";
    core::Alert alert = make_alert(kId, kTitle, created ? core::Severity::high : core::Severity::medium,
                                   created ? 75 : 55, event);
    alert.evidence.push_back(make_evidence(
        event, fmt::format("{} {} {} ({} from {})", baseline::describe_entity(event), verb, target, name,
                           event.source_ip.empty() ? std::string("an unlogged address") : baseline::printable(event.source_ip, 64))));
    alert.remediation = fmt::format(
        "Confirm with the identity team that the trust with the other tenant is planned, and review which users it "
        "provisions or signs in. If not, deactivate the app or identity provider in the Admin Console and contain "
        "the admin: {}",
        containment_command(event));
    alert.dedupe_key = event_dedupe_key(event);
    ctx.raise(std::move(alert));
  }
};

KEYWARD_REGISTER_DETECTOR(OktaCrossTenantTrustChanged);

}  // namespace
}  // namespace keyward::detect
