// nhi.auth.okta_ssws_token: an active Okta SSWS API token. An SSWS token is a static bearer
// secret that acts with every admin role of the user who created it, including roles the user
// gains later. It cannot be limited to the API calls an integration makes. Okta
// recommends an OAuth 2.0 service app with private_key_jwt client authentication and only the
// okta.* scopes the integration needs (OWASP NHI4, Insecure Authentication).

#include <fmt/format.h>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

std::string string_attribute(const core::Identity& identity, const char* key) {
  const auto it = identity.attributes.find(key);
  return it != identity.attributes.end() && it->is_string() ? it->get<std::string>() : std::string();
}

class OktaSswsTokenCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.auth.okta_ssws_token"; }
  std::string_view title() const override { return "Okta SSWS API token in use instead of an OAuth service app"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI4"; }
  std::string_view description() const override {
    return "An SSWS token is a static secret that carries every admin role of its creator and cannot be scoped. A "
           "leaked copy works until someone revokes it; an OAuth service app signs short-lived tokens with a private "
           "key and holds only the scopes granted to it.";
  }
  std::vector<std::string_view> platforms() const override { return {"okta"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.platform != "okta" || identity.kind != "okta_api_token" || identity.status != "active") continue;
      const core::Credential* token = nullptr;
      if (auto credentials = inventory.credentials.find(identity.id); credentials != inventory.credentials.end()) {
        for (const auto& credential : credentials->second) {
          if (credential.kind == "okta_ssws_token" && credential.status == "active") token = &credential;
        }
      }
      if (token == nullptr) continue;
      findings.push_back(make_finding(identity, *token, inventory));
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const core::Credential& token,
                             const Inventory& inventory) const {
    core::Finding finding = start_finding(*this, identity, &token);
    const std::string network = string_attribute(identity, "network_connection");
    const bool anywhere = network.empty() || network == "ANYWHERE";
    finding.severity = anywhere ? core::Severity::high : core::Severity::medium;
    finding.title = fmt::format("Okta SSWS token \"{}\" acts with its creator's admin roles{}", identity.name,
                                anywhere ? " from any network" : "");

    std::string creator = identity.owner;
    if (const auto* entry = inventory.entry_of(identity.platform, identity.id);
        entry != nullptr && !entry->owner_resolution.email.empty()) {
      creator = entry->owner_resolution.email;
    }
    finding.evidence.push_back(make_evidence(
        fmt::format("SSWS token {} created {} by {}; it carries every admin role of that user", identity.id,
                    identity.created ? core::format_time(*identity.created) : std::string("at an unknown time"),
                    creator.empty() ? std::string("an unknown user") : creator),
        identity.created));
    finding.evidence.push_back(make_evidence(
        anywhere ? std::string("network.connection = ANYWHERE: usable from any IP address")
                 : fmt::format("network.connection = {}: limited to network zones", network)));
    if (token.expires) {
      finding.evidence.push_back(make_evidence(
          fmt::format("expires {} unless used again; each use extends it by the token window",
                      core::format_time(*token.expires)),
          token.expires));
    }

    finding.remediation = fmt::format(
        "Replace \"{}\" with an OAuth 2.0 service app that authenticates with private_key_jwt and holds only the "
        "okta.* scopes the integration calls, then revoke the token.",
        identity.name);
    finding.remediation_steps = {
        "Okta Admin Console > Applications > Create App Integration > API Services; under Client Credentials choose "
        "Public key / Private key and add the integration's public key",
        "Okta API Scopes tab of the new app: grant only the scopes the integration needs (for example okta.users.read)",
        "Admin roles tab of the new app: assign the smallest admin role that the calls require",
        fmt::format("curl -X DELETE -H \"Authorization: Bearer $OKTA_TOKEN\" https://$OKTA_DOMAIN/api/v1/api-tokens/{}   "
                    "# once the integration runs on the service app",
                    identity.id),
    };
    finding.check_first = {
        fmt::format("What calls the token: System Log events with transaction.detail.requestApiTokenId eq \"{}\"",
                    identity.id),
        "That the integration supports OAuth client credentials; some older tools accept only an SSWS token"};
    finding.safe_now = false;
    finding.safe_reason = "Revoking the token stops the integration until it runs on the service app.";
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(OktaSswsTokenCheck);

}  // namespace keyward::posture
